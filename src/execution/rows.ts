import type { BetStatus, OrderStatus, SettlementStatus } from './types.js';

/** An order as the ABP surface shows it (the `orders` payload: the full row, camelCase). */
export interface OrderRow {
  orderId: number;
  requestUuid: string;
  client: string;
  clientName: string;
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  orderPrice: number;
  orderStake: number;
  filledStake: number;
  remainingStake: number;
  orderStatus: OrderStatus;
  statusReason: string | null;
  userRef: string;
  testOrder: boolean;
  acceptBetterOdds: boolean;
  acceptPartialStake: boolean;
  orderCurrency: string;
  back: boolean;
  allowedBookmakers: string;
  oddsInfo: unknown;
  meta: Record<string, unknown>;
  expiresAt: string;
  filledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A bet as the ABP surface shows it (the `bets` / `settlements` payload). */
export interface BetRow {
  betId: number;
  orderId: number;
  bookmaker: string;
  bookmakerBetId: string | null;
  betStatus: BetStatus;
  settlementStatus: SettlementStatus;
  placedStake: number;
  placedPrice: number | null;
  placedCurrency: string;
  account: string;
  requestUuid: string;
  userRef: string;
  testBet: boolean;
  client: string;
  clientName: string;
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  back: boolean;
  sentData: unknown;
  receivedData: unknown;
  settlementAmount: number | null;
  settlementReason: string | null;
  settledAt: string | null;
  declineReason: string | null;
  betRequestId: string;
  oddsInfo: unknown;
  meta: Record<string, unknown>;
  placedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type Raw = Record<string, unknown>;

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
function isoOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : iso(v);
}
function json(v: unknown): unknown {
  return typeof v === 'string' ? (JSON.parse(v) as unknown) : (v ?? null);
}
function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** Maps an `orders` row (snake_case, as PostgreSQL returns it) to the ABP shape. */
export function orderFromDb(r: Raw): OrderRow {
  const stake = Number(r.order_stake);
  const filled = Number(r.filled_stake);
  return {
    orderId: Number(r.order_id),
    requestUuid: String(r.request_uuid),
    client: String(r.client_name),
    clientName: String(r.client_name),
    fixtureId: String(r.fixture_id),
    outcomeId: Number(r.outcome_id),
    playerId: Number(r.player_id),
    orderPrice: Number(r.order_price),
    orderStake: stake,
    filledStake: filled,
    remainingStake: Math.max(0, round2(stake - filled)),
    orderStatus: r.order_status as OrderStatus,
    statusReason: (r.status_reason as string | null) ?? null,
    userRef: String(r.user_ref),
    testOrder: Boolean(r.test_order),
    acceptBetterOdds: Boolean(r.accept_better_odds),
    acceptPartialStake: Boolean(r.accept_partial_stake),
    orderCurrency: String(r.order_currency),
    back: Boolean(r.back),
    allowedBookmakers: String(r.allowed_bookmakers),
    oddsInfo: json(r.odds_info),
    meta: (json(r.meta) as Record<string, unknown> | null) ?? {},
    expiresAt: iso(r.expires_at),
    filledAt: isoOrNull(r.filled_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Maps a `bets` row to the ABP shape. */
export function betFromDb(r: Raw): BetRow {
  return {
    betId: Number(r.bet_id),
    orderId: Number(r.order_id),
    bookmaker: String(r.bookmaker),
    bookmakerBetId: (r.bookmaker_bet_id as string | null) ?? null,
    betStatus: r.bet_status as BetStatus,
    settlementStatus: r.settlement_status as SettlementStatus,
    placedStake: Number(r.placed_stake),
    placedPrice: numOrNull(r.placed_price),
    placedCurrency: String(r.placed_currency),
    account: String(r.account),
    requestUuid: String(r.request_uuid),
    userRef: String(r.user_ref),
    testBet: Boolean(r.test_bet),
    client: String(r.client_name),
    clientName: String(r.client_name),
    fixtureId: String(r.fixture_id),
    outcomeId: Number(r.outcome_id),
    playerId: Number(r.player_id),
    back: Boolean(r.back),
    sentData: json(r.sent_data),
    receivedData: json(r.received_data),
    settlementAmount: numOrNull(r.settlement_amount),
    settlementReason: (r.settlement_reason as string | null) ?? null,
    settledAt: isoOrNull(r.settled_at),
    declineReason: (r.decline_reason as string | null) ?? null,
    betRequestId: String(r.bet_request_id),
    oddsInfo: json(r.odds_info),
    meta: (json(r.meta) as Record<string, unknown> | null) ?? {},
    placedAt: isoOrNull(r.placed_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Money to cents. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
