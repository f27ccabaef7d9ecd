import type { Kysely, RawBuilder } from 'kysely';
import { OddsgateError } from '../core/errors.js';

/** Order lifecycle (ABP): PENDING → PROCESSING → one of the final states. */
export const ORDER_STATUSES = [
  'PENDING',
  'PROCESSING',
  'FILLED',
  'PARTIALLY_FILLED',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
  'FAILED',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Bet lifecycle (ABP): PENDING → PLACED → one of the final states. */
export const BET_STATUSES = [
  'PENDING',
  'PLACED',
  'CONFIRMED',
  'REJECTED',
  'CANCELLED',
  'FAILED',
  'VOID',
] as const;
export type BetStatus = (typeof BET_STATUSES)[number];

/** Settlement lifecycle (ABP): UNSETTLED → one of the settled states. */
export const SETTLEMENT_STATUSES = [
  'UNSETTLED',
  'WON',
  'LOST',
  'VOID',
  'HALF_WON',
  'HALF_LOST',
  'PUSH',
  'CASHOUT',
] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/** A final order state: nothing changes it any more. */
export const FINAL_ORDER: ReadonlySet<OrderStatus> = new Set([
  'FILLED',
  'PARTIALLY_FILLED',
  'REJECTED',
  'EXPIRED',
  'CANCELLED',
  'FAILED',
]);

/** What a selection is: a fixture's outcome for a player (0 for non-player markets), backed or laid. */
export interface Selection {
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  back: boolean;
}

/** A price a bookmaker offers now for a selection, with its stake limits in `currency`. */
export interface Quote {
  price: number;
  /** Largest stake accepted now (null: the bookmaker does not say). */
  limit: number | null;
  limitMin: number | null;
  currency: string;
  active: boolean;
  /** Where the price came from (book, market, runner) — kept on the bet as oddsInfo. */
  info: Record<string, unknown>;
}

/** A bookmaker account as execution uses it (the accounts table is the ABP surface's). */
export interface ExecutionAccount {
  bookmaker: string;
  username: string;
  clientName: string;
  active: boolean;
  priority: number;
  minStake: number | null;
  maxStake: number | null;
  currency: string;
  balance: number;
}

/**
 * Accounts, read by routing and credited or debited by placements and settlements. `adjustBalance` runs
 * inside the caller's transaction (`db`), so a bet's state and its balance move together.
 */
export interface AccountDirectory {
  /** The client's active and inactive accounts. */
  list(clientName: string): Promise<ExecutionAccount[]>;
  /** Adds `delta` (account currency) to the balance; returns the new balance, null if the account is gone. */
  adjustBalance(
    db: Kysely<unknown>,
    clientName: string,
    bookmaker: string,
    username: string,
    delta: number,
  ): Promise<number | null>;
  /**
   * Optional: the same change as one `update … where <when> returning balance` statement (a CTE of the
   * caller's statement), so a placement's answers, balance and final state are written in one round trip.
   * Directories without it are adjusted through `adjustBalance` inside a transaction, or after the
   * statement when `outsideTransactions` says they never join one (memory).
   */
  /** True for a directory whose balances are not in the database (memory): they never join a transaction. */
  readonly outsideTransactions?: boolean;
  balanceStatement?(
    clientName: string,
    bookmaker: string,
    username: string,
    delta: number,
    when: RawBuilder<unknown>,
  ): RawBuilder<unknown>;
}

/** A bet as sent to a connector. `key` is the idempotency key: the same key never places twice. */
export interface PlaceRequest {
  key: string;
  account: string;
  selection: Selection;
  stake: number;
  /** Worst acceptable price (back: at least, lay: at most). */
  price: number;
  acceptBetterOdds: boolean;
}

/** A bookmaker's answer for a bet (placed, or looked up by its key). */
export interface PlacedBet {
  key: string;
  bookmakerBetId: string;
  status: 'accepted' | 'rejected';
  price: number;
  stake: number;
  reason?: string;
  /** The raw answer (stored as the bet's receivedData). */
  raw: Record<string, unknown>;
  /**
   * A maker venue's answer: the order rests on the book. `stake` is what was put on the book, `matched`
   * what of it matched at once; the rest is followed with `Connector.orderStates`.
   */
  resting?: boolean;
  matched?: number;
}

/** What became of a resting order: matched so far, still resting, or finished (cleared). */
export interface RestingOrderState {
  key: string;
  betId: string;
  /** EXECUTABLE: part of it rests; EXECUTION_COMPLETE: nothing rests (matched, cancelled or lapsed). */
  status: 'EXECUTABLE' | 'EXECUTION_COMPLETE';
  sizeMatched: number;
  averagePriceMatched: number;
  sizeRemaining: number;
}

/** A settled bet as the bookmaker reports it. */
export interface ClearedBet {
  key: string;
  bookmakerBetId: string;
  outcome: 'WON' | 'LOST' | 'VOID';
  profit: number;
}

/**
 * One bookmaker integration. `place` is idempotent by `key`; `lookup` answers whether a key was placed
 * (the reconciliation of an unknown outcome), from the bookmaker's current-orders listing.
 */
export interface Connector {
  readonly slug: string;
  /** The default stake limits of the bookmaker (the middle of the limit cascade). */
  readonly limits: { minStake: number | null; maxStake: number | null };
  quote(selection: Selection): Quote | null;
  place(req: PlaceRequest, signal?: AbortSignal): Promise<PlacedBet>;
  cancel(key: string): Promise<boolean>;
  /** Current (unsettled) bets by idempotency key, among `keys`. */
  currentOrders(keys: readonly string[]): Promise<PlacedBet[]>;
  clearedBets(keys: readonly string[]): Promise<ClearedBet[]>;
  /** Maker venues only: resting orders by key as the venue has them now (absent: no longer current). */
  orderStates?(keys: readonly string[]): Promise<RestingOrderState[]>;
  balance(account: string): Promise<number | null>;
}

/** A connector error that is safe to retry: the request certainly did not take effect. */
export class TransientConnectorError extends OddsgateError<'EXEC_TRANSIENT'> {
  constructor(message: string) {
    super('EXEC_TRANSIENT', message);
    this.name = 'TransientConnectorError';
  }
}

/** The outcome of a placement is unknown (timeout, lost connection): resolve by key, never resend blindly. */
export class UnknownOutcomeError extends OddsgateError<'EXEC_UNKNOWN_OUTCOME'> {
  constructor(message: string) {
    super('EXEC_UNKNOWN_OUTCOME', message);
    this.name = 'UnknownOutcomeError';
  }
}

/** The client-filtered and global channels execution publishes on (the ABP WebSocket's). */
export type ExecutionChannel =
  'orders' | 'bets' | 'settlements' | 'balance' | 'emergency' | 'status' | 'currencies';

/** Where execution events go (the ABP WebSocket's AbpChannels satisfies it). */
export interface ExecutionPublisher {
  publish(channel: ExecutionChannel, event: string, payload: unknown, clientName?: string): void;
}

/** A publisher that drops everything (no WebSocket attached). */
export const NO_PUBLISHER: ExecutionPublisher = { publish: () => undefined };
