import { sql, type Kysely } from 'kysely';
import type { AppLogger as Logger } from '../logger.js';
import { outcomeKey } from '../books/books.js';
import type { Event, Result, Runner } from '../model/index.js';
import type { BetLedger } from './ledger.js';
import { exposureOf } from './ledger.js';
import { settleLine } from './line-settlement.js';
import { outcomeKeyOf } from './outcome-keys.js';
import type { ExecutionRepository } from './repository.js';
import { betFromDb, round2, type BetRow } from './rows.js';
import type { ClearedBet, Connector, ExecutionPublisher, SettlementStatus } from './types.js';

/** Where settled results are read (the records archive). */
export interface ResultLookup {
  get(eventId: number): Promise<Result | null>;
}

/** A bet's settlement: status, net result (profit positive) and why. */
export interface SettlementOf {
  status: SettlementStatus;
  amount: number;
  reason: string;
}

/** The outcome keys (home/draw/away) of a result's winners. */
function winnerKeys(r: Result): string[] {
  const event = {
    sportId: r.sportId,
    name: r.eventName,
    team1: r.team1,
    team2: r.team2,
  } as unknown as Event;
  return r.winners.map((w) => outcomeKey({ name: w.name } as Runner, event));
}

/**
 * How a bet settles on a result the upstream settled. An inferred winner (from final prices) never settles
 * money: null. Totals and handicap bets settle on the final score (settleLine), quarter lines in halves. A settled market without winners voids; several winners of a one-winner market are a dead
 * heat (the stake divided among them).
 */
export function settle(
  bet: Pick<BetRow, 'outcomeId' | 'playerId' | 'back' | 'placedStake' | 'placedPrice'>,
  r: Result,
): SettlementOf | null {
  if (r.winnerSource !== 'settled') return null;
  const key = outcomeKeyOf(bet.outcomeId, bet.playerId);
  // totals and handicaps settle on the final score of an event whose result the upstream settled
  if (!key) return settleLine(bet, r);
  const stake = bet.placedStake;
  const price = bet.placedPrice ?? 1;
  if (r.winners.length === 0) return { status: 'VOID', amount: 0, reason: 'Market settled without a winner' };
  const winners = winnerKeys(r);
  const won = winners.includes(key);
  const n = winners.length;
  const deadHeat = won && n > 1 && (r.finalMarket.numberOfWinners ?? 1) < n;
  // Backing: a win pays stake × (price − 1); a dead heat pays the 1/n share at full odds, the rest is lost.
  const backWin = deadHeat ? round2((stake / n) * price - stake) : round2(stake * (price - 1));
  const amount = bet.back ? (won ? backWin : -stake) : won ? -round2(stake * (price - 1)) : stake;
  const status: SettlementStatus = bet.back === won ? 'WON' : 'LOST';
  const names = r.winners.map((w) => w.name).join(', ');
  return {
    status,
    amount: round2(amount),
    reason: `Result: ${names}${deadHeat ? ` (dead heat 1/${n})` : ''}`,
  };
}

/**
 * Settles confirmed bets from recorded results: every `intervalMs`, the fixtures with open bets are looked
 * up in the results archive; a settled result settles each bet in one transaction (status, amount, audit,
 * balance credited with the exposure plus the result) and is pushed on `settlements` and `balance`.
 */
export class SettlementWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly repo: ExecutionRepository,
    private readonly ledger: BetLedger,
    private readonly results: ResultLookup,
    private readonly publisher: ExecutionPublisher,
    private readonly opts: { intervalMs: number; logger?: Logger },
    private readonly connectors: ReadonlyMap<string, Connector> = new Map(),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass; resolves to the number of bets settled. */
  runOnce(): Promise<number> {
    this.running ??= this.pass()
      .catch((err: unknown) => {
        this.opts.logger?.error({ err: String(err) }, 'execution: settlement failed');
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<number> {
    let settled = await this.fromClearedBets();
    const fixtures = await sql<{ fixture_id: string }>`select distinct fixture_id from bets
      where settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED' and not test_bet`.execute(this.db);
    for (const { fixture_id } of fixtures.rows) {
      const id = Number(fixture_id);
      const result = Number.isSafeInteger(id) ? await this.results.get(id) : null;
      if (result) settled += await this.settleFixture(fixture_id, result);
    }
    return settled;
  }

  /**
   * Bets the bookmaker itself has cleared settle as it says (its outcome and profit), before any result:
   * the bookmaker's word is what pays. Connectors without cleared bets (paper) answer none.
   */
  private async fromClearedBets(): Promise<number> {
    const open = await sql<Record<string, unknown>>`select * from bets
      where settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED' and not test_bet
      order by bet_id limit 2000`.execute(this.db);
    const byBookmaker = new Map<string, BetRow[]>();
    for (const b of open.rows.map(betFromDb))
      byBookmaker.set(b.bookmaker, [...(byBookmaker.get(b.bookmaker) ?? []), b]);
    let n = 0;
    for (const [slug, bets] of byBookmaker) {
      const connector = this.connectors.get(slug);
      if (!connector) continue;
      let cleared: ClearedBet[];
      try {
        cleared = await connector.clearedBets(bets.map((b) => b.betRequestId));
      } catch (err) {
        this.opts.logger?.warn({ err: String(err), bookmaker: slug }, 'execution: cleared bets not read');
        continue;
      }
      const byKey = new Map(cleared.map((c) => [c.key, c]));
      for (const bet of bets) {
        const c = byKey.get(bet.betRequestId);
        if (!c) continue;
        const s = {
          status: c.outcome,
          amount: round2(c.profit),
          reason: `Cleared by ${slug} (${c.bookmakerBetId})`,
        };
        if (await this.apply(bet, s)) n++;
      }
    }
    return n;
  }

  /** Settles one bet (status, amount, audit, balance credit) in one transaction; false if already settled. */
  private async apply(bet: BetRow, s: SettlementOf): Promise<boolean> {
    const out = await this.db.transaction().execute(async (trx) => {
      const b = await this.repo.settleBet(trx, bet.betId, s.status, s.amount, s.reason);
      if (!b) return null;
      const after = await this.ledger.credit(trx, b, round2(exposureOf(b) + s.amount));
      return { b, after };
    });
    if (!out) return false;
    this.publisher.publish('settlements', 'SETTLED', out.b, out.b.clientName);
    out.after();
    return true;
  }

  /** Settles the open bets of a fixture on its result; returns how many settled. */
  async settleFixture(fixtureId: string, result: Result): Promise<number> {
    const open = await sql<Record<string, unknown>>`select * from bets where fixture_id = ${fixtureId}
      and settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED' and not test_bet`.execute(this.db);
    let n = 0;
    for (const bet of open.rows.map(betFromDb)) {
      const s = settle(bet, result);
      if (s && (await this.apply(bet, s))) n++;
    }
    return n;
  }
}
