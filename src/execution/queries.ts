import { sql, type Kysely, type RawBuilder } from 'kysely';
import { betFromDb, orderFromDb, round2, type BetRow, type OrderRow } from './rows.js';

/** Filters of GET /orders (OR logic), always within one client, newest first, keyset-paginated. */
export interface OrderQuery {
  clientName: string;
  orderIds?: number[];
  requestUuids?: string[];
  userRef?: string;
  afterOrderId?: number;
  limit: number;
}

/** Filters of GET /bets (OR logic), always within one client. */
export interface BetQuery {
  clientName: string;
  betIds?: number[];
  orderIds?: number[];
  userRef?: string;
  afterBetId?: number;
  limit: number;
}

/** One page and whether there is more. */
export interface Page<T> {
  rows: T[];
  hasMore: boolean;
}

function anyOf(parts: (RawBuilder<unknown> | null)[]): RawBuilder<unknown> {
  const list = parts.filter((p): p is RawBuilder<unknown> => p !== null);
  return list.length ? sql`(${sql.join(list, sql` or `)})` : sql`true`;
}

const ints = (xs: number[] | undefined) => (xs?.length ? xs.map(String) : null);

export async function listOrders(db: Kysely<unknown>, q: OrderQuery): Promise<Page<OrderRow>> {
  const orderIds = ints(q.orderIds);
  const where = anyOf([
    orderIds ? sql`order_id = any(${orderIds}::bigint[])` : null,
    q.requestUuids?.length ? sql`request_uuid = any(${q.requestUuids}::uuid[])` : null,
    q.userRef !== undefined ? sql`user_ref = ${q.userRef}` : null,
  ]);
  const after = q.afterOrderId !== undefined ? sql`and order_id < ${q.afterOrderId}` : sql``;
  const r = await sql<Record<string, unknown>>`select * from orders
    where client_name = ${q.clientName} and ${where} ${after}
    order by order_id desc limit ${q.limit + 1}`.execute(db);
  return { rows: r.rows.slice(0, q.limit).map(orderFromDb), hasMore: r.rows.length > q.limit };
}

export async function listBets(db: Kysely<unknown>, q: BetQuery): Promise<Page<BetRow>> {
  const betIds = ints(q.betIds);
  const orderIds = ints(q.orderIds);
  const where = anyOf([
    betIds ? sql`bet_id = any(${betIds}::bigint[])` : null,
    orderIds ? sql`order_id = any(${orderIds}::bigint[])` : null,
    q.userRef !== undefined ? sql`user_ref = ${q.userRef}` : null,
  ]);
  const after = q.afterBetId !== undefined ? sql`and bet_id < ${q.afterBetId}` : sql``;
  const r = await sql<Record<string, unknown>>`select * from bets
    where client_name = ${q.clientName} and ${where} ${after}
    order by bet_id desc limit ${q.limit + 1}`.execute(db);
  return { rows: r.rows.slice(0, q.limit).map(betFromDb), hasMore: r.rows.length > q.limit };
}

/** How analytics group: by bookmaker, by bookmaker account, or by the client's userRef. */
export type GroupBy = 'bookmaker' | 'account' | 'userRef';

/** Analytics filters (each narrows; all within one client). */
export interface AnalyticsQuery {
  clientName: string;
  groupBy: GroupBy;
  bookmaker?: string;
  userRef?: string;
  account?: string;
}

const GROUP_COLS: Record<GroupBy, RawBuilder<unknown>> = {
  bookmaker: sql`bookmaker`,
  account: sql`bookmaker, account`,
  userRef: sql`user_ref`,
};

function filters(q: AnalyticsQuery): RawBuilder<unknown> {
  const f = [sql`client_name = ${q.clientName}`, sql`not test_bet`];
  if (q.bookmaker !== undefined) f.push(sql`bookmaker = ${q.bookmaker}`);
  if (q.userRef !== undefined) f.push(sql`user_ref = ${q.userRef}`);
  if (q.account !== undefined) f.push(sql`account = ${q.account}`);
  return sql.join(f, sql` and `);
}

function groupKeys(q: AnalyticsQuery, r: Record<string, unknown>): Record<string, string> {
  if (q.groupBy === 'bookmaker') return { bookmaker: String(r.bookmaker) };
  if (q.groupBy === 'account') return { bookmaker: String(r.bookmaker), account: String(r.account) };
  return { userRef: String(r.user_ref) };
}

/** Open positions: bets PLACED or CONFIRMED and UNSETTLED; count, stake and stake-weighted average price. */
export async function positions(db: Kysely<unknown>, q: AnalyticsQuery) {
  const cols = GROUP_COLS[q.groupBy];
  const r = await sql<Record<string, unknown>>`
    select ${cols}, count(*)::int as open_bets, sum(placed_stake) as total_stake,
      sum(placed_stake * placed_price) / nullif(sum(placed_stake), 0) as avg_price
    from bets where ${filters(q)} and bet_status in ('PLACED', 'CONFIRMED') and settlement_status = 'UNSETTLED'
    group by ${cols} order by ${cols}`.execute(db);
  const rows = r.rows.map((x) => ({
    ...groupKeys(q, x),
    openBets: Number(x.open_bets),
    totalStake: round2(Number(x.total_stake)),
    avgPrice: Math.round(Number(x.avg_price ?? 0) * 1000) / 1000,
  }));
  return {
    status: 'success' as const,
    groupBy: q.groupBy,
    positions: rows,
    count: rows.length,
    totalStake: round2(rows.reduce((s, p) => s + p.totalStake, 0)),
    totalOpenBets: rows.reduce((s, p) => s + p.openBets, 0),
  };
}

/** Profit and loss of settled bets: wins (WON, HALF_WON), losses (LOST, HALF_LOST), net, win rate (%). */
export async function pnl(db: Kysely<unknown>, q: AnalyticsQuery) {
  const cols = GROUP_COLS[q.groupBy];
  const r = await sql<Record<string, unknown>>`
    select ${cols}, count(*)::int as settled,
      count(*) filter (where settlement_status in ('WON', 'HALF_WON'))::int as wins,
      count(*) filter (where settlement_status in ('LOST', 'HALF_LOST'))::int as losses,
      coalesce(sum(settlement_amount), 0) as net, sum(placed_stake) as staked
    from bets where ${filters(q)} and settlement_status <> 'UNSETTLED'
    group by ${cols} order by ${cols}`.execute(db);
  const rows = r.rows.map((x) => {
    const settled = Number(x.settled);
    const wins = Number(x.wins);
    return {
      ...groupKeys(q, x),
      settledBets: settled,
      wins,
      losses: Number(x.losses),
      netPnl: round2(Number(x.net)),
      winRate: settled ? Math.round((wins / settled) * 1000) / 10 : 0,
      staked: round2(Number(x.staked)),
    };
  });
  return {
    status: 'success' as const,
    groupBy: q.groupBy,
    pnl: rows.map(({ staked: _s, ...p }) => p),
    count: rows.length,
    totalNetPnl: round2(rows.reduce((s, p) => s + p.netPnl, 0)),
    totalStaked: round2(rows.reduce((s, p) => s + p.staked, 0)),
    totalSettledBets: rows.reduce((s, p) => s + p.settledBets, 0),
  };
}
