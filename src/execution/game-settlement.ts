import { sql, type Kysely } from 'kysely';
import type { Result } from '../model/index.js';
import { exposureOf, type BetLedger } from './ledger.js';
import type { ExecutionRepository } from './repository.js';
import { betFromDb, round2, type BetRow } from './rows.js';
import { settle, type SettlementOf } from './settlement.js';
import type { ExecutionPublisher } from './types.js';

/** What settling one bet on a result does: its settlement and what goes back to its account. */
export interface BetPayout {
  bet: BetRow;
  settlement: SettlementOf;
  /** Credited to the account: the exposure held since placement plus the net result. */
  payout: number;
}

/** A game's settlement on a result: every open bet's payout (or why a bet cannot settle on it). */
export interface GamePayouts {
  fixtureId: string;
  payouts: BetPayout[];
  /** Confirmed bets of the game that were settled before (a second settlement leaves them as they are). */
  alreadySettled: number;
}

/** A game's settlement was refused as a whole (nothing changed). */
export class SettlementRefusedError extends Error {
  readonly code = 'EXEC_SETTLEMENT_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'SettlementRefusedError';
  }
}

/** A bet whose settlement was reversed, with what its account was debited. */
export interface VoidedSettlement {
  bet: BetRow;
  reversed: number;
}

/** Open bets of a fixture: confirmed, not test bets, unsettled; locked when read inside a transaction. */
async function openBets(db: Kysely<unknown>, fixtureId: string, lock: boolean): Promise<BetRow[]> {
  const r = await sql<Record<string, unknown>>`select * from bets where fixture_id = ${fixtureId}
    and settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED' and not test_bet
    order by bet_id ${lock ? sql`for update` : sql``}`.execute(db);
  return r.rows.map(betFromDb);
}

async function settledCount(db: Kysely<unknown>, fixtureId: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from bets where fixture_id = ${fixtureId}
    and settlement_status <> 'UNSETTLED' and bet_status = 'CONFIRMED' and not test_bet`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Payouts of `bets` on `result`; throws when one cannot settle on it (all or nothing). */
function payoutsOf(bets: readonly BetRow[], result: Result): BetPayout[] {
  return bets.map((bet) => {
    const s = settle(bet, result);
    if (!s)
      throw new SettlementRefusedError(
        result.winnerSource !== 'settled'
          ? `The winner of ${bet.fixtureId} was not settled by the upstream (${result.winnerSource})`
          : `Bet ${bet.betId} is not on a market this result settles`,
      );
    return { bet, settlement: s, payout: round2(exposureOf(bet) + s.amount) };
  });
}

/**
 * Settlement of whole games (the operator's side: preview, settle, void). A game settles in one
 * transaction: its open bets are locked, each is settled with an audit row and its account credited, or
 * none is. Settling a game twice changes nothing (only unsettled bets settle). Voiding reverses a game's
 * settlements (status back to UNSETTLED, the credit debited, an audit row with the reason), so it can be
 * settled again on the right result.
 */
export class GameSettlement {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly repo: ExecutionRepository,
    private readonly ledger: BetLedger,
    private readonly publisher: ExecutionPublisher,
  ) {}

  /** What settling the game on `result` would pay, changing nothing. */
  async preview(fixtureId: string, result: Result): Promise<GamePayouts> {
    const bets = await openBets(this.db, fixtureId, false);
    return {
      fixtureId,
      payouts: payoutsOf(bets, result),
      alreadySettled: await settledCount(this.db, fixtureId),
    };
  }

  /** Settles every open bet of the game on `result` in one transaction; returns what was paid. */
  async settle(fixtureId: string, result: Result): Promise<GamePayouts> {
    const after: (() => void)[] = [];
    const out = await this.db.transaction().execute(async (trx) => {
      const payouts = payoutsOf(await openBets(trx, fixtureId, true), result);
      const done: BetPayout[] = [];
      for (const p of payouts) {
        const { status, amount, reason } = p.settlement;
        const b = await this.repo.settleBet(trx, p.bet.betId, status, amount, reason);
        if (!b) throw new SettlementRefusedError(`Bet ${p.bet.betId} changed while settling`);
        after.push(await this.ledger.credit(trx, b, p.payout));
        done.push({ ...p, bet: b });
      }
      return done;
    });
    for (const p of out) this.publisher.publish('settlements', 'SETTLED', p.bet, p.bet.clientName);
    for (const f of after) f();
    return {
      fixtureId,
      payouts: out,
      alreadySettled: (await settledCount(this.db, fixtureId)) - out.length,
    };
  }

  /** Reverses the settlements of a game's bets (admin), with the reason in each bet's trace. */
  async voidSettlement(fixtureId: string, reason: string): Promise<VoidedSettlement[]> {
    const after: (() => void)[] = [];
    const out = await this.db.transaction().execute(async (trx) => {
      const r = await sql<Record<string, unknown>>`
        with prev as (select bet_id, settlement_status, settlement_amount from bets
          where fixture_id = ${fixtureId} and settlement_status <> 'UNSETTLED' and bet_status = 'CONFIRMED'
            and not test_bet for update),
        b as (update bets set settlement_status = 'UNSETTLED', settlement_amount = null,
            settlement_reason = null, settled_at = null, updated_at = now()
          from prev where bets.bet_id = prev.bet_id
          returning bets.*, prev.settlement_status as prev_status, prev.settlement_amount as prev_amount),
        a as (insert into execution_audit (order_id, bet_id, entity, from_status, to_status, reason)
          select order_id, bet_id, 'settlement', prev_status, 'UNSETTLED', ${`Settlement voided: ${reason}`}
          from b)
        select * from b order by bet_id`.execute(trx);
      const voided: VoidedSettlement[] = [];
      for (const row of r.rows) {
        const bet = betFromDb(row);
        const reversed = round2(exposureOf(bet) + Number(row.prev_amount ?? 0));
        after.push(await this.ledger.credit(trx, bet, -reversed));
        voided.push({ bet, reversed });
      }
      return voided;
    });
    for (const v of out) this.publisher.publish('settlements', 'VOIDED', v.bet, v.bet.clientName);
    for (const f of after) f();
    return out;
  }
}
