import { sql, type Kysely, type RawBuilder } from 'kysely';
import { betFromDb, orderFromDb, type BetRow, type OrderRow } from './rows.js';
import type { BetStatus, OrderStatus, SettlementStatus } from './types.js';

/** A new order, as validated from the request (the database assigns id and times). */
export interface NewOrder {
  requestUuid: string;
  clientName: string;
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  orderPrice: number;
  orderStake: number;
  userRef: string;
  testOrder: boolean;
  acceptBetterOdds: boolean;
  acceptPartialStake: boolean;
  orderCurrency: string;
  back: boolean;
  allowedBookmakers: string;
  meta: Record<string, unknown>;
  expiresAt: Date;
}

/** A new bet of an order (PENDING until it is sent). */
export interface NewBet {
  orderId: number;
  clientName: string;
  bookmaker: string;
  account: string;
  placedStake: number;
  placedPrice: number;
  placedCurrency: string;
  requestUuid: string;
  userRef: string;
  testBet: boolean;
  betRequestId: string;
  fixtureId: string;
  outcomeId: number;
  playerId: number;
  back: boolean;
  sentData: unknown;
  oddsInfo: unknown;
}

/** Columns a transition may set beside the status. */
export interface OrderPatch {
  statusReason?: string | null;
  filledStake?: number;
  filledAt?: Date | null;
  oddsInfo?: unknown;
}
export interface BetPatch {
  bookmakerBetId?: string | null;
  placedPrice?: number;
  placedStake?: number;
  receivedData?: unknown;
  declineReason?: string | null;
  placedAt?: Date;
}

/** What the audit row of a change records: why, and what was sent and received (secrets masked). */
export interface AuditNote {
  reason?: string | null;
  sent?: unknown;
  received?: unknown;
}

const ORDER_COLS: Record<keyof OrderPatch, string> = {
  statusReason: 'status_reason',
  filledStake: 'filled_stake',
  filledAt: 'filled_at',
  oddsInfo: 'odds_info',
};
const BET_COLS: Record<keyof BetPatch, string> = {
  bookmakerBetId: 'bookmaker_bet_id',
  placedPrice: 'placed_price',
  placedStake: 'placed_stake',
  receivedData: 'received_data',
  declineReason: 'decline_reason',
  placedAt: 'placed_at',
};
const JSON_COLS = new Set(['odds_info', 'received_data']);

function sets(patch: object, cols: Record<string, string>): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  for (const [k, v] of Object.entries(patch)) {
    const col = cols[k];
    if (!col || v === undefined) continue;
    const value = JSON_COLS.has(col)
      ? sql`${jsonb(v)}::jsonb`
      : sql`${v instanceof Date ? v.toISOString() : v}`;
    out.push(sql`${sql.ref(col)} = ${value}`);
  }
  return out;
}

/** A value as a jsonb parameter (secrets masked by the caller). */
export function jsonb(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/**
 * The orders and bets tables. Every change is one statement that updates the row and writes its audit row
 * together (a data-modifying CTE), guarded by the state it moves from, so a change made twice (two
 * instances, a reconciler racing a placement) happens once; callers group several in a transaction.
 */
export class ExecutionRepository {
  constructor(readonly db: Kysely<unknown>) {}

  /** Inserts a PENDING order; null when the client already has an order with this requestUuid. */
  async insertOrder(o: NewOrder, db: Kysely<unknown> = this.db): Promise<OrderRow | null> {
    const r = await sql<Record<string, unknown>>`
      with o as (
        insert into orders (request_uuid, client_name, fixture_id, outcome_id, player_id, order_price,
          order_stake, order_status, user_ref, test_order, accept_better_odds, accept_partial_stake,
          order_currency, back, allowed_bookmakers, meta, expires_at)
        values (${o.requestUuid}::uuid, ${o.clientName}, ${o.fixtureId}, ${o.outcomeId}, ${o.playerId},
          ${o.orderPrice}, ${o.orderStake}, 'PENDING', ${o.userRef}, ${o.testOrder}, ${o.acceptBetterOdds},
          ${o.acceptPartialStake}, ${o.orderCurrency}, ${o.back}, ${o.allowedBookmakers},
          ${jsonb(o.meta)}::jsonb, ${o.expiresAt.toISOString()}::timestamptz)
        on conflict on constraint orders_request_uuid do nothing
        returning *),
      a as (insert into execution_audit (order_id, entity, to_status, reason, sent, received)
        select order_id, 'order', 'PENDING', null, ${jsonb(o)}::jsonb, null::jsonb from o)
      select * from o`.execute(db);
    return r.rows[0] ? orderFromDb(r.rows[0]) : null;
  }

  /** Moves an order from one of `from` to `to`; null (nothing changed) when it was in none of them. */
  async orderTo(
    db: Kysely<unknown>,
    orderId: number,
    from: readonly OrderStatus[],
    to: OrderStatus,
    patch: OrderPatch = {},
    note?: AuditNote,
  ): Promise<OrderRow | null> {
    const extra = sets(patch, ORDER_COLS);
    const r = await sql<Record<string, unknown>>`
      with prev as (select order_id, order_status from orders where order_id = ${orderId}),
      o as (
        update orders set order_status = ${to}, updated_at = now()
          ${extra.length ? sql`, ${sql.join(extra)}` : sql``}
        where order_id = ${orderId} and order_status = any(${[...from]}::text[])
        returning *),
      a as (insert into execution_audit (order_id, entity, from_status, to_status, reason, sent, received)
        select o.order_id, 'order', prev.order_status, ${to}, ${note?.reason ?? patch.statusReason ?? null},
          ${jsonb(note?.sent)}::jsonb, ${jsonb(note?.received)}::jsonb
        from o join prev using (order_id))
      select * from o`.execute(db);
    return r.rows[0] ? orderFromDb(r.rows[0]) : null;
  }

  /** Inserts a PENDING bet (before it is sent: its bet_request_id is the connector's idempotency key). */
  async insertBet(db: Kysely<unknown>, b: NewBet, status: BetStatus = 'PENDING'): Promise<BetRow> {
    const r = await sql<Record<string, unknown>>`
      with b as (
        insert into bets (order_id, client_name, bookmaker, account, bet_status, placed_stake, placed_price,
          placed_currency, request_uuid, user_ref, test_bet, bet_request_id, fixture_id, outcome_id,
          player_id, back, sent_data, odds_info)
        values (${b.orderId}, ${b.clientName}, ${b.bookmaker}, ${b.account}, ${status}, ${b.placedStake},
          ${b.placedPrice}, ${b.placedCurrency}, ${b.requestUuid}::uuid, ${b.userRef}, ${b.testBet},
          ${b.betRequestId}, ${b.fixtureId}, ${b.outcomeId}, ${b.playerId}, ${b.back},
          ${jsonb(b.sentData)}::jsonb, ${jsonb(b.oddsInfo)}::jsonb)
        returning *),
      a as (insert into execution_audit (order_id, bet_id, entity, to_status, reason, sent, received)
        select order_id, bet_id, 'bet', ${status}, null, ${jsonb(b.sentData)}::jsonb, null::jsonb from b)
      select * from b`.execute(db);
    return betFromDb(r.rows[0] as Record<string, unknown>);
  }

  /** Moves a bet from one of `from` to `to`; null when it was in none of them. */
  async betTo(
    db: Kysely<unknown>,
    betId: number,
    from: readonly BetStatus[],
    to: BetStatus,
    patch: BetPatch = {},
    note?: AuditNote,
  ): Promise<BetRow | null> {
    const extra = sets(patch, BET_COLS);
    const r = await sql<Record<string, unknown>>`
      with prev as (select bet_id, bet_status from bets where bet_id = ${betId}),
      b as (
        update bets set bet_status = ${to}, updated_at = now()
          ${extra.length ? sql`, ${sql.join(extra)}` : sql``}
        where bet_id = ${betId} and bet_status = any(${[...from]}::text[])
        returning *),
      a as (insert into execution_audit (order_id, bet_id, entity, from_status, to_status, reason, sent, received)
        select b.order_id, b.bet_id, 'bet', prev.bet_status, ${to}, ${note?.reason ?? patch.declineReason ?? null},
          ${jsonb(note?.sent)}::jsonb, ${jsonb(note?.received ?? patch.receivedData)}::jsonb
        from b join prev using (bet_id))
      select * from b`.execute(db);
    return r.rows[0] ? betFromDb(r.rows[0]) : null;
  }

  /** Settles an unsettled bet; null when it was already settled (a second settlement changes nothing). */
  async settleBet(
    db: Kysely<unknown>,
    betId: number,
    status: SettlementStatus,
    amount: number,
    reason: string,
  ): Promise<BetRow | null> {
    const r = await sql<Record<string, unknown>>`
      with b as (
        update bets set settlement_status = ${status}, settlement_amount = ${amount},
          settlement_reason = ${reason}, settled_at = now(), updated_at = now()
        where bet_id = ${betId} and settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED'
        returning *),
      a as (insert into execution_audit (order_id, bet_id, entity, from_status, to_status, reason)
        select order_id, bet_id, 'settlement', 'UNSETTLED', ${status}, ${reason} from b)
      select * from b`.execute(db);
    return r.rows[0] ? betFromDb(r.rows[0]) : null;
  }

  /** An order; inside a transaction (`db`), locked for update. */
  async order(orderId: number, db?: Kysely<unknown>): Promise<OrderRow | null> {
    const r = await sql<Record<string, unknown>>`select * from orders where order_id = ${orderId}
      ${db ? sql`for update` : sql``}`.execute(db ?? this.db);
    return r.rows[0] ? orderFromDb(r.rows[0]) : null;
  }

  async orderByUuid(clientName: string, requestUuid: string): Promise<OrderRow | null> {
    const r = await sql<Record<string, unknown>>`select * from orders
      where client_name = ${clientName} and request_uuid = ${requestUuid}::uuid`.execute(this.db);
    return r.rows[0] ? orderFromDb(r.rows[0]) : null;
  }

  async bet(betId: number): Promise<BetRow | null> {
    const r = await sql<Record<string, unknown>>`select * from bets where bet_id = ${betId}`.execute(this.db);
    return r.rows[0] ? betFromDb(r.rows[0]) : null;
  }

  async betsOf(orderIds: readonly number[], db: Kysely<unknown> = this.db): Promise<BetRow[]> {
    if (orderIds.length === 0) return [];
    const r = await sql<Record<string, unknown>>`select * from bets
      where order_id = any(${orderIds.map(String)}::bigint[]) order by bet_id`.execute(db);
    return r.rows.map(betFromDb);
  }

  /** The owners of ids (to refuse a client another's rows with 403). */
  async ownersOf(table: 'orders' | 'bets', ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const col = table === 'orders' ? 'order_id' : 'bet_id';
    const r = await sql<{ id: string; client_name: string }>`
      select ${sql.ref(col)} as id, client_name from ${sql.table(table)}
      where ${sql.ref(col)} = any(${ids.map(String)}::bigint[])`.execute(this.db);
    return new Map(r.rows.map((x) => [Number(x.id), x.client_name]));
  }

  /** A client's orders that may still be cancelled (PENDING, PROCESSING, PARTIALLY_FILLED). */
  async openOrdersOf(clientName: string): Promise<OrderRow[]> {
    const r = await sql<Record<string, unknown>>`select * from orders where client_name = ${clientName}
      and order_status in ('PENDING', 'PROCESSING', 'PARTIALLY_FILLED') order by order_id limit 1000`.execute(
      this.db,
    );
    return r.rows.map(orderFromDb);
  }

  /** Bets whose placement outcome is not known (sent or maybe sent), untouched for `olderThanMs`. */
  async unresolvedBets(olderThanMs: number): Promise<BetRow[]> {
    const r = await sql<Record<string, unknown>>`select * from bets
      where bet_status in ('PENDING', 'PLACED')
        and updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
      order by bet_id limit 500`.execute(this.db);
    return r.rows.map(betFromDb);
  }

  /** Orders still PENDING or PROCESSING, untouched for `olderThanMs` (their placer died or stalled). */
  async staleOrders(olderThanMs: number): Promise<OrderRow[]> {
    const r = await sql<Record<string, unknown>>`select * from orders
      where order_status in ('PENDING', 'PROCESSING')
        and updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
      order by order_id limit 500`.execute(this.db);
    return r.rows.map(orderFromDb);
  }
}
