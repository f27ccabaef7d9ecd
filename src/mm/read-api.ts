import { sql, type Kysely, type RawBuilder } from 'kysely';
import { round2 } from '../execution/rows.js';

/**
 * The MM read API's view of the execution tables (seed 002, `/mm/api/v1`). There is one order path
 * (src/execution), so an MM "exchange order" is a row of `orders` of the client and an MM "hedge bet" a row
 * of `bets`. The document's fields are mapped from them so:
 *
 * | MM field              | from                                                                         |
 * | --------------------- | ---------------------------------------------------------------------------- |
 * | orderId               | orders.order_id                                                              |
 * | exchange              | bookmaker of the order's latest bet (the venue it went to), else null        |
 * | exchangeOrderId       | that bet's bookmaker_bet_id                                                  |
 * | exchangeOutcomeId     | `fixtureId:outcomeId:playerId` (the selection key the connector uses)        |
 * | orderStatus           | PENDING→PENDING_PLACEMENT, PROCESSING→PLACED, PARTIALLY_FILLED→PARTIAL,      |
 * |                       | REJECTED/FAILED→FAILED, FILLED, CANCELLED, EXPIRED unchanged                 |
 * | matchedStatus         | filled_stake 0 → NOT_MATCHED, ≥ order_stake → FULLY_MATCHED, else PARTIALLY  |
 * | orderCents            | 1 / order_price (the probability price)                                     |
 * | matchedStake          | orders.filled_stake (a quote's: what the exchange matched so far)            |
 * | settlementStatus      | the latest settled bet's settlement_status (PUSH/CASHOUT → VOID), else       |
 * |                       | UNDECIDED                                                                    |
 * | bookmakerOutcomePrice | orders.order_price; bookmakerOutcomeLimit: null (not recorded)               |
 * | matchedAt             | orders.filled_at                                                             |
 *
 * Bets: betStatus PENDING/PLACED→pending, CONFIRMED→placed, REJECTED/FAILED→declined, CANCELLED→cancelled,
 * VOID→void; settlementStatus null while UNSETTLED.
 */

export const MM_ORDER_STATUSES = [
  'PENDING_PLACEMENT',
  'PLACED',
  'PARTIAL',
  'FILLED',
  'FAILED',
  'CANCELLED',
  'EXPIRED',
] as const;
export type MmOrderStatus = (typeof MM_ORDER_STATUSES)[number];

/** The execution statuses an MM order status stands for. */
const EXEC_STATUSES: Record<MmOrderStatus, string[]> = {
  PENDING_PLACEMENT: ['PENDING'],
  PLACED: ['PROCESSING'],
  PARTIAL: ['PARTIALLY_FILLED'],
  FILLED: ['FILLED'],
  FAILED: ['REJECTED', 'FAILED'],
  CANCELLED: ['CANCELLED'],
  EXPIRED: ['EXPIRED'],
};
const MM_STATUS_OF: Record<string, MmOrderStatus> = Object.fromEntries(
  Object.entries(EXEC_STATUSES).flatMap(([mm, execs]) => execs.map((e) => [e, mm as MmOrderStatus])),
);

export const MM_BET_STATUSES = ['pending', 'placed', 'declined', 'cancelled', 'void'] as const;
export type MmBetStatus = (typeof MM_BET_STATUSES)[number];
const BET_EXEC: Record<MmBetStatus, string[]> = {
  pending: ['PENDING', 'PLACED'],
  placed: ['CONFIRMED'],
  declined: ['REJECTED', 'FAILED'],
  cancelled: ['CANCELLED'],
  void: ['VOID'],
};
const MM_BET_OF: Record<string, MmBetStatus> = Object.fromEntries(
  Object.entries(BET_EXEC).flatMap(([mm, execs]) => execs.map((e) => [e, mm as MmBetStatus])),
);

/** An exchange order as the MM document shows it. */
export interface MmOrder {
  orderId: number;
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  exchange: string | null;
  exchangeOrderId: string | null;
  exchangeOutcomeId: string;
  orderStatus: MmOrderStatus;
  matchedStatus: 'NOT_MATCHED' | 'PARTIALLY_MATCHED' | 'FULLY_MATCHED';
  orderCents: number;
  orderStake: number;
  matchedStake: number;
  openStake: number;
  back: boolean;
  settlementStatus: string;
  bookmakerOutcomePrice: number;
  bookmakerOutcomeLimit: number | null;
  createdAt: string;
  matchedAt: string | null;
}

/** A hedge bet as the MM document shows it. */
export interface MmBet {
  betId: number;
  orderId: number;
  client: string;
  bookmaker: string;
  bookmakerBetId: string | null;
  placedPrice: number | null;
  placedStake: number;
  betStatus: MmBetStatus;
  settlementStatus: string | null;
  settlementAmount: number | null;
  fixtureId: string;
  outcomeId: number;
  account: string;
  declineReason: string | null;
  placedAt: string | null;
  createdAt: string;
}

type Raw = Record<string, unknown>;
const iso = (v: unknown): string => (v instanceof Date ? v : new Date(String(v))).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

/** The order row (with the lateral `exchange`, `exchange_order_id`, `settlement` columns) in MM shape. */
function orderOf(r: Raw): MmOrder {
  const stake = Number(r.order_stake);
  const matched = Number(r.filled_stake);
  const status = MM_STATUS_OF[String(r.order_status)] ?? 'FAILED';
  const open = status === 'PENDING_PLACEMENT' || status === 'PLACED' || r.resting === true;
  return {
    orderId: Number(r.order_id),
    fixtureId: String(r.fixture_id),
    outcomeId: Number(r.outcome_id),
    playerId: Number(r.player_id),
    exchange: (r.exchange as string | null) ?? null,
    exchangeOrderId: (r.exchange_order_id as string | null) ?? null,
    exchangeOutcomeId: `${String(r.fixture_id)}:${Number(r.outcome_id)}:${Number(r.player_id)}`,
    orderStatus: status,
    matchedStatus: matched <= 0 ? 'NOT_MATCHED' : matched >= stake ? 'FULLY_MATCHED' : 'PARTIALLY_MATCHED',
    orderCents: Math.round(10_000 / Number(r.order_price)) / 10_000,
    orderStake: stake,
    matchedStake: matched,
    openStake: open ? Math.max(0, round2(stake - matched)) : 0,
    back: Boolean(r.back),
    settlementStatus: String(r.settlement),
    bookmakerOutcomePrice: Number(r.order_price),
    bookmakerOutcomeLimit: null,
    createdAt: iso(r.created_at),
    matchedAt: isoOrNull(r.filled_at),
  };
}

function betOf(r: Raw): MmBet {
  const settlement = String(r.settlement_status);
  return {
    betId: Number(r.bet_id),
    orderId: Number(r.order_id),
    client: String(r.client_name),
    bookmaker: String(r.bookmaker),
    bookmakerBetId: (r.bookmaker_bet_id as string | null) ?? null,
    placedPrice: r.placed_price === null ? null : Number(r.placed_price),
    placedStake: Number(r.placed_stake),
    betStatus: MM_BET_OF[String(r.bet_status)] ?? 'declined',
    settlementStatus: settlement === 'UNSETTLED' ? null : settlement,
    settlementAmount: r.settlement_amount === null ? null : Number(r.settlement_amount),
    fixtureId: String(r.fixture_id),
    outcomeId: Number(r.outcome_id),
    account: String(r.account),
    declineReason: (r.decline_reason as string | null) ?? null,
    placedAt: isoOrNull(r.placed_at),
    createdAt: iso(r.created_at),
  };
}

/** A date range on `created_at` (from inclusive, to inclusive of its whole day when a bare date). */
export interface DateRange {
  fromDate?: string | undefined;
  toDate?: string | undefined;
}

function dateFilter(col: RawBuilder<unknown>, d: DateRange): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (d.fromDate) parts.push(sql`${col} >= ${new Date(d.fromDate).toISOString()}::timestamptz`);
  if (d.toDate) {
    const bare = /^\d{4}-\d{2}-\d{2}$/.test(d.toDate);
    const to = new Date(d.toDate).getTime() + (bare ? 86_400_000 : 1);
    parts.push(sql`${col} < ${new Date(to).toISOString()}::timestamptz`);
  }
  return parts.length ? sql`and ${sql.join(parts, sql` and `)}` : sql``;
}

/** The client's orders with their venue and settlement, as one derived table `o`. */
function ordersOf(clientName: string): RawBuilder<unknown> {
  return sql`(select o.*, lb.bookmaker as exchange, lb.bookmaker_bet_id as exchange_order_id,
      (lb.bet_status = 'PLACED' and lb.bookmaker_bet_id is not null) as resting,
      coalesce(case when sb.settlement_status in ('PUSH', 'CASHOUT') then 'VOID' else sb.settlement_status end,
        'UNDECIDED') as settlement
    from orders o
    left join lateral (select bookmaker, bookmaker_bet_id, bet_status from bets b where b.order_id = o.order_id
      order by b.bet_id desc limit 1) lb on true
    left join lateral (select settlement_status from bets b where b.order_id = o.order_id
      and b.settlement_status <> 'UNSETTLED' order by b.bet_id desc limit 1) sb on true
    where o.client_name = ${clientName})`;
}

export interface MmOrderQuery extends DateRange {
  clientName: string;
  fixtureId?: string | undefined;
  exchange?: string | undefined;
  statuses?: readonly MmOrderStatus[] | undefined;
  beforeId?: number | undefined;
  limit: number;
}

function orderWhere(q: Omit<MmOrderQuery, 'limit' | 'clientName'>): RawBuilder<unknown> {
  const execStatuses = q.statuses?.flatMap((s) => EXEC_STATUSES[s]);
  return sql`true
    ${q.fixtureId !== undefined ? sql`and o.fixture_id = ${q.fixtureId}` : sql``}
    ${q.exchange !== undefined ? sql`and o.exchange = ${q.exchange}` : sql``}
    ${execStatuses?.length ? sql`and o.order_status = any(${execStatuses}::text[])` : sql``}
    ${q.beforeId !== undefined ? sql`and o.order_id < ${q.beforeId}` : sql``}
    ${dateFilter(sql`o.created_at`, q)}`;
}

/** One page of the client's orders, newest first (keyset on order_id). */
export async function listMmOrders(
  db: Kysely<unknown>,
  q: MmOrderQuery,
): Promise<{ orders: MmOrder[]; hasMore: boolean }> {
  const r = await sql<Raw>`select * from ${ordersOf(q.clientName)} o where ${orderWhere(q)}
    order by o.order_id desc limit ${q.limit + 1}`.execute(db);
  return { orders: r.rows.slice(0, q.limit).map(orderOf), hasMore: r.rows.length > q.limit };
}

/** One order of the client, or null (another client's order is null too). */
export async function mmOrder(
  db: Kysely<unknown>,
  clientName: string,
  orderId: number,
): Promise<MmOrder | null> {
  const r = await sql<Raw>`select * from ${ordersOf(clientName)} o where o.order_id = ${orderId}`.execute(db);
  return r.rows[0] ? orderOf(r.rows[0]) : null;
}

/** Most open orders one response lists (the document's open-orders route does not paginate). */
export const OPEN_ORDERS_MAX = 5000;

/** The client's open orders (PENDING_PLACEMENT or PLACED, or PARTIAL with a remainder resting), oldest first. */
export async function openMmOrders(
  db: Kysely<unknown>,
  clientName: string,
  filter: { fixtureId?: string | undefined; exchange?: string | undefined },
): Promise<MmOrder[]> {
  const r = await sql<Raw>`select * from ${ordersOf(clientName)} o
    where ${orderWhere(filter)} and (o.order_status in ('PENDING', 'PROCESSING') or o.resting)
    order by o.order_id limit ${OPEN_ORDERS_MAX}`.execute(db);
  return r.rows.map(orderOf);
}

/** Order statistics of the client over a date range. */
export async function mmOrderSummary(db: Kysely<unknown>, clientName: string, d: DateRange) {
  const r = await sql<Raw>`select o.order_status, count(*) as n, sum(o.order_stake) as stake,
      sum(o.filled_stake) as matched
    from orders o where o.client_name = ${clientName} ${dateFilter(sql`o.created_at`, d)}
    group by o.order_status`.execute(db);
  const byStatus: Record<string, number> = {};
  let total = 0;
  let stake = 0;
  let matched = 0;
  for (const row of r.rows) {
    const mm = MM_STATUS_OF[String(row.order_status)] ?? 'FAILED';
    byStatus[mm] = (byStatus[mm] ?? 0) + Number(row.n);
    total += Number(row.n);
    stake += Number(row.stake);
    matched += Number(row.matched);
  }
  return {
    totalOrders: total,
    byStatus,
    totalStake: round2(stake),
    matchedStake: round2(matched),
    fillRate: stake > 0 ? Math.round((matched / stake) * 10_000) / 100 : 0,
  };
}

export interface MmBetQuery extends DateRange {
  clientName: string;
  orderId?: number | undefined;
  bookmaker?: string | undefined;
  statuses?: readonly MmBetStatus[] | undefined;
  beforeId?: number | undefined;
  limit: number;
}

/** One page of the client's hedge bets, newest first (keyset on bet_id). */
export async function listMmBets(
  db: Kysely<unknown>,
  q: MmBetQuery,
): Promise<{ bets: MmBet[]; hasMore: boolean }> {
  const exec = q.statuses?.flatMap((s) => BET_EXEC[s]);
  const r = await sql<Raw>`select * from bets b where b.client_name = ${q.clientName}
    ${q.orderId !== undefined ? sql`and b.order_id = ${q.orderId}` : sql``}
    ${q.bookmaker !== undefined ? sql`and b.bookmaker = ${q.bookmaker}` : sql``}
    ${exec?.length ? sql`and b.bet_status = any(${exec}::text[])` : sql``}
    ${q.beforeId !== undefined ? sql`and b.bet_id < ${q.beforeId}` : sql``}
    ${dateFilter(sql`b.created_at`, q)}
    order by b.bet_id desc limit ${q.limit + 1}`.execute(db);
  return { bets: r.rows.slice(0, q.limit).map(betOf), hasMore: r.rows.length > q.limit };
}

/** One bet of the client, or null. */
export async function mmBet(db: Kysely<unknown>, clientName: string, betId: number): Promise<MmBet | null> {
  const r =
    await sql<Raw>`select * from bets where client_name = ${clientName} and bet_id = ${betId}`.execute(db);
  return r.rows[0] ? betOf(r.rows[0]) : null;
}

/** Bet statistics of the client over a date range. */
export async function mmBetSummary(db: Kysely<unknown>, clientName: string, d: DateRange) {
  const r =
    await sql<Raw>`select b.bet_status, b.settlement_status, count(*) as n, sum(b.placed_stake) as stake,
      sum(coalesce(b.settlement_amount, 0)) as settled
    from bets b where b.client_name = ${clientName} ${dateFilter(sql`b.created_at`, d)}
    group by b.bet_status, b.settlement_status`.execute(db);
  const byStatus: Record<string, number> = {};
  const bySettlement: Record<string, number> = {};
  let total = 0;
  let stake = 0;
  let settledAmount = 0;
  for (const row of r.rows) {
    const n = Number(row.n);
    const mm = MM_BET_OF[String(row.bet_status)] ?? 'declined';
    byStatus[mm] = (byStatus[mm] ?? 0) + n;
    const s = String(row.settlement_status);
    bySettlement[s] = (bySettlement[s] ?? 0) + n;
    total += n;
    stake += Number(row.stake);
    settledAmount += Number(row.settled);
  }
  return {
    totalBets: total,
    byStatus,
    bySettlement,
    totalStake: round2(stake),
    settlementAmount: round2(settledAmount),
  };
}

/** Position status filters of the document (comma-separated, OR). */
export const POSITION_FILTERS = ['open', 'matched', 'filled', 'cancelled', 'active'] as const;
export type PositionFilter = (typeof POSITION_FILTERS)[number];

const FILTER_SQL: Record<PositionFilter, RawBuilder<unknown>> = {
  open: sql`(o.order_status in ('PENDING', 'PROCESSING') or o.resting)`,
  matched: sql`(o.filled_stake > 0 and o.order_status <> 'CANCELLED')`,
  filled: sql`o.order_status = 'FILLED'`,
  cancelled: sql`o.order_status = 'CANCELLED'`,
  active: sql`o.order_status <> 'CANCELLED'`,
};

/** A position: the client's orders on one fixture/outcome/exchange. */
export interface MmPosition {
  fixtureId: string;
  outcomeId: number;
  exchange: string | null;
  orderCount: number;
  totalStake: number;
  matchedStake: number;
  openStake: number;
  avgPrice: number | null;
  firstOrderAt: string;
  lastOrderAt: string;
}

function positionRows(clientName: string, filters: readonly PositionFilter[], d: DateRange) {
  const chosen = filters.length ? filters : (['active'] as const);
  return sql<Raw>`select o.fixture_id, o.outcome_id, o.exchange, count(*) as n, sum(o.order_stake) as stake,
      sum(o.filled_stake) as matched,
      sum(case when o.order_status in ('PENDING', 'PROCESSING') or o.resting
        then greatest(o.order_stake - o.filled_stake, 0)
        else 0 end) as open,
      sum(o.filled_stake * o.order_price) as matched_value, sum(o.order_stake * o.order_price) as stake_value,
      min(o.created_at) as first_at, max(o.created_at) as last_at
    from ${ordersOf(clientName)} o
    where (${sql.join(
      chosen.map((f) => FILTER_SQL[f]),
      sql` or `,
    )}) ${dateFilter(sql`o.created_at`, d)}
    group by o.fixture_id, o.outcome_id, o.exchange
    order by max(o.created_at) desc, o.fixture_id, o.outcome_id`;
}

/** The client's positions (default filter `active`). */
export async function mmPositions(
  db: Kysely<unknown>,
  clientName: string,
  filters: readonly PositionFilter[],
  d: DateRange,
): Promise<MmPosition[]> {
  const r = await positionRows(clientName, filters, d).execute(db);
  return r.rows.map((row) => {
    const matched = Number(row.matched);
    const stake = Number(row.stake);
    const avg =
      matched > 0 ? Number(row.matched_value) / matched : stake > 0 ? Number(row.stake_value) / stake : null;
    return {
      fixtureId: String(row.fixture_id),
      outcomeId: Number(row.outcome_id),
      exchange: (row.exchange as string | null) ?? null,
      orderCount: Number(row.n),
      totalStake: round2(stake),
      matchedStake: round2(matched),
      openStake: round2(Number(row.open)),
      avgPrice: avg === null ? null : Math.round(avg * 1000) / 1000,
      firstOrderAt: iso(row.first_at),
      lastOrderAt: iso(row.last_at),
    };
  });
}

/** Totals over the client's positions (default filter `active`). */
export async function mmPositionSummary(
  db: Kysely<unknown>,
  clientName: string,
  filters: readonly PositionFilter[],
  d: DateRange,
) {
  const rows = await mmPositions(db, clientName, filters, d);
  const sum = (f: (p: MmPosition) => number) => round2(rows.reduce((s, p) => s + f(p), 0));
  return {
    totalPositions: rows.length,
    fixtures: new Set(rows.map((p) => p.fixtureId)).size,
    totalOrders: rows.reduce((s, p) => s + p.orderCount, 0),
    totalStake: sum((p) => p.totalStake),
    matchedStake: sum((p) => p.matchedStake),
    openStake: sum((p) => p.openStake),
  };
}

/**
 * The document's PnL over the client's orders (price = 1 / probability): realized from settled orders —
 * WON matchedStake × (price − 1), LOST −matchedStake, HALF_WON / HALF_LOST half of those, VOID 0 —
 * unrealized matchedStake × (price − 1) over unsettled (UNDECIDED) orders with matched stake.
 */
export async function mmPnl(db: Kysely<unknown>, clientName: string, d: DateRange) {
  const r = await sql<Raw>`select o.settlement, count(*) as n, sum(o.filled_stake) as matched,
      sum(o.filled_stake * (o.order_price - 1)) as win
    from ${ordersOf(clientName)} o where o.filled_stake > 0 ${dateFilter(sql`o.created_at`, d)}
    group by o.settlement`.execute(db);
  const by = new Map(r.rows.map((row) => [String(row.settlement), row]));
  const n = (s: string) => Number(by.get(s)?.n ?? 0);
  const m = (s: string) => Number(by.get(s)?.matched ?? 0);
  const w = (s: string) => Number(by.get(s)?.win ?? 0);
  const realized = w('WON') - m('LOST') + 0.5 * w('HALF_WON') - 0.5 * m('HALF_LOST');
  const unrealized = w('UNDECIDED');
  return {
    realizedPnl: round2(realized),
    unrealizedPnl: round2(unrealized),
    totalPnl: round2(realized + unrealized),
    settledOrders: n('WON') + n('LOST') + n('HALF_WON') + n('HALF_LOST') + n('VOID'),
    openOrders: n('UNDECIDED'),
    won: n('WON'),
    lost: n('LOST'),
    halfWon: n('HALF_WON'),
    halfLost: n('HALF_LOST'),
    void: n('VOID'),
    settledStake: round2(m('WON') + m('LOST') + m('HALF_WON') + m('HALF_LOST') + m('VOID')),
    openMatchedStake: round2(m('UNDECIDED')),
  };
}

/** The MM order status of an execution order status. */
export function mmOrderStatusOf(execStatus: string): MmOrderStatus {
  return MM_STATUS_OF[execStatus] ?? 'FAILED';
}

/** The MM bet status of an execution bet status. */
export function mmBetStatusOf(execStatus: string): MmBetStatus {
  return MM_BET_OF[execStatus] ?? 'declined';
}
