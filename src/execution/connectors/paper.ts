import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { PREPARED } from '../../records/index.js';
import type { QuoteSource } from '../quotes.js';
import {
  TransientConnectorError,
  UnknownOutcomeError,
  type ClearedBet,
  type Connector,
  type PlacedBet,
  type PlaceRequest,
  type Quote,
  type Selection,
} from '../types.js';

/** A fault the paper bookmaker can be told to show (tests, drills): refuse before, or lose the answer. */
export type PaperFault = 'transient' | 'timeout' | null;

/** How the paper bookmaker behaves. */
export interface PaperOptions {
  db: Kysely<unknown>;
  quotes: QuoteSource;
  /** Bookmaker slug (default `paper`). */
  slug?: string;
  /** Time a placement takes (ms). */
  latencyMs?: number;
  /** Stake limits (USD); the largest stake is also capped by the size the best book shows. */
  minStake?: number | null;
  maxStake?: number | null;
  /** Called per placement: a fault to show instead of (transient) or after (timeout) placing. */
  faults?: (req: PlaceRequest) => PaperFault;
}

type PaperRow = {
  idempotency_key: string;
  paper_bet_id: string;
  stake: number;
  price: number;
  status: string;
};

/**
 * The paper bookmaker: fills at the current best price of any source's book (read model), after a
 * configurable latency, within configurable limits; any account name is accepted. Its ledger is a table
 * (`paper_bets`) keyed by the bet's idempotency key, so a placement whose answer was lost is found again
 * by key (reconciliation), and placing a key twice returns the first bet.
 */
export class PaperConnector implements Connector {
  readonly slug: string;
  readonly limits: { minStake: number | null; maxStake: number | null };
  private readonly latencyMs: number;

  constructor(private readonly opts: PaperOptions) {
    this.slug = opts.slug ?? 'paper';
    this.limits = { minStake: opts.minStake ?? 1, maxStake: opts.maxStake ?? 10_000 };
    this.latencyMs = opts.latencyMs ?? 0;
  }

  quote(selection: Selection): Quote | null {
    const q = this.opts.quotes.best(selection);
    if (!q) return null;
    // An exchange's size at the price is what can be matched now (in its currency, taken as USD).
    const cap = this.limits.maxStake ?? Infinity;
    const size =
      q.size !== null && selection.back
        ? q.size
        : q.size !== null
          ? q.size / Math.max(q.price - 1, 0.01)
          : null;
    return {
      price: q.price,
      limit: Math.min(cap, size ?? Infinity) === Infinity ? null : Math.min(cap, size ?? Infinity),
      limitMin: this.limits.minStake,
      currency: 'USD',
      active: !q.suspended,
      info: { book: q.book, marketId: q.marketId, price: q.price, size: q.size },
    };
  }

  async place(req: PlaceRequest, signal?: AbortSignal): Promise<PlacedBet> {
    const fault = this.opts.faults?.(req) ?? null;
    if (fault === 'transient') throw new TransientConnectorError('paper: service unavailable (injected)');
    if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, signal ? { signal } : undefined);
    const q = this.quote(req.selection);
    const refuse = this.refusal(req, q);
    if (refuse || !q) return (await this.byKeys([req.key]))[0] ?? rejected(req, refuse ?? 'no price');
    const price = req.acceptBetterOdds ? q.price : req.price;
    const r = await sql<PaperRow>`${sql.raw(PREPARED)}
      insert into paper_bets (idempotency_key, account, stake, price, back, selection, status)
      values (${req.key}, ${req.account}, ${req.stake}, ${price}, ${req.selection.back},
        ${JSON.stringify(req.selection)}::jsonb, 'OPEN')
      on conflict (idempotency_key) do nothing
      returning idempotency_key, paper_bet_id, stake, price, status`.execute(this.opts.db);
    const placed = r.rows[0] ? accepted(r.rows[0]) : (await this.byKeys([req.key]))[0];
    if (!placed) throw new UnknownOutcomeError('paper: bet neither inserted nor found');
    if (fault === 'timeout') throw new UnknownOutcomeError('paper: answer lost (injected timeout)');
    return placed;
  }

  private refusal(req: PlaceRequest, q: Quote | null): string | null {
    if (!q || !q.active) return 'market not available';
    const ok = req.selection.back ? q.price >= req.price : q.price <= req.price;
    if (!ok) return `price moved to ${q.price}`;
    if (q.limit !== null && req.stake > q.limit + 1e-9) return `stake ${req.stake} above limit ${q.limit}`;
    return null;
  }

  async cancel(key: string): Promise<boolean> {
    const r = await sql`update paper_bets set status = 'CANCELLED'
      where idempotency_key = ${key} and status = 'OPEN'`.execute(this.opts.db);
    return Number(r.numAffectedRows ?? 0) > 0;
  }

  currentOrders(keys: readonly string[]): Promise<PlacedBet[]> {
    return this.byKeys(keys);
  }

  /** The paper bookmaker does not settle: its bets settle from oddsgate's recorded results. */
  async clearedBets(_keys: readonly string[]): Promise<ClearedBet[]> {
    return [];
  }

  /** Paper balances are the account's (the accounts table): the bookmaker keeps none. */
  async balance(): Promise<number | null> {
    return null;
  }

  private async byKeys(keys: readonly string[]): Promise<PlacedBet[]> {
    if (keys.length === 0) return [];
    const r = await sql<PaperRow>`select idempotency_key, paper_bet_id, stake, price, status from paper_bets
      where idempotency_key = any(${[...keys]}::text[]) and status = 'OPEN'`.execute(this.opts.db);
    return r.rows.map(accepted);
  }
}

function accepted(r: PaperRow): PlacedBet {
  const id = `paper-${r.paper_bet_id}`;
  return {
    key: r.idempotency_key,
    bookmakerBetId: id,
    status: 'accepted',
    price: Number(r.price),
    stake: Number(r.stake),
    raw: { betId: id, status: 'accepted', price: Number(r.price), stake: Number(r.stake) },
  };
}

function rejected(req: PlaceRequest, reason: string): PlacedBet {
  return {
    key: req.key,
    bookmakerBetId: '',
    status: 'rejected',
    price: req.price,
    stake: req.stake,
    reason,
    raw: { status: 'rejected', reason },
  };
}
