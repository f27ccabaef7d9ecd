import { sql, type Kysely, type RawBuilder } from 'kysely';
import { PREPARED } from '../records/index.js';
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

/** What claimOrder writes with the order: its state, and the bets routing planned (none when declined). */
export interface ClaimPlan {
  status: OrderStatus;
  patch?: OrderPatch;
  bets: readonly Omit<
    NewBet,
    | 'orderId'
    | 'betRequestId'
    | 'clientName'
    | 'requestUuid'
    | 'userRef'
    | 'fixtureId'
    | 'outcomeId'
    | 'playerId'
    | 'back'
  >[];
  betStatus?: BetStatus;
}

/** One bet's change in `completeOrder`: guarded by `from`, with its audit note and balance statement. */
export interface BetChange {
  betId: number;
  from: readonly BetStatus[];
  to: BetStatus;
  patch: BetPatch;
  note: AuditNote;
  /** The balance change (AccountDirectory.balanceStatement), run only when the bet moved. */
  balance?: ((when: RawBuilder<unknown>) => RawBuilder<unknown>) | undefined;
}
type Tbl = ReturnType<typeof sql.table>;

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

  /**
   * Claims the requestUuid and writes the order in the state routing decided, with its bets (ids and keys
   * assigned by the database) and every audit row, as ONE statement: the order PENDING, then PROCESSING
   * (when it has bets), each bet in `plan.betStatus`, then the final state (when `plan.status` is one).
   * Null when the client already has an order with this requestUuid (nothing is written).
   */
  async claimOrder(
    o: NewOrder,
    plan: ClaimPlan,
    db: Kysely<unknown> = this.db,
  ): Promise<{ order: OrderRow; bets: BetRow[] } | null> {
    const betStatus = plan.betStatus ?? 'PENDING';
    const p = plan.patch ?? {};
    const hasBets = plan.bets.length > 0;
    const last = hasBets ? 'PROCESSING' : 'PENDING';
    const bets = hasBets
      ? sql`, b as (
        insert into bets (order_id, client_name, bookmaker, account, bet_status, placed_stake, placed_price,
          placed_currency, request_uuid, user_ref, test_bet, bet_request_id, fixture_id, outcome_id, player_id,
          back, sent_data, odds_info)
        select o.order_id, o.client_name, v.bookmaker, v.account, ${betStatus}, v.stake, v.price, v.currency,
          o.request_uuid, o.user_ref, v.test, o.order_id || '-' || v.i, o.fixture_id, o.outcome_id,
          o.player_id, o.back, v.sent, v.odds
        from o cross join (values ${sql.join(plan.bets.map((b, i) => sql`(${i}::int, ${b.bookmaker}::text, ${b.account}::text, ${b.placedStake}::float8, ${b.placedPrice}::float8, ${b.placedCurrency}::text, ${b.testBet}::boolean, ${jsonb(b.sentData)}::jsonb, ${jsonb(b.oddsInfo)}::jsonb)`))})
          as v (i, bookmaker, account, stake, price, currency, test, sent, odds)
        order by v.i
        returning *)`
      : sql`, b as (select * from bets where false)`;
    const r = await sql<{ o: Record<string, unknown>; b: Record<string, unknown>[] }>`${sql.raw(PREPARED)}
      with o as (
        insert into orders (request_uuid, client_name, fixture_id, outcome_id, player_id, order_price,
          order_stake, order_status, user_ref, test_order, accept_better_odds, accept_partial_stake,
          order_currency, back, allowed_bookmakers, meta, expires_at, status_reason, filled_stake, filled_at,
          odds_info)
        values (${o.requestUuid}::uuid, ${o.clientName}, ${o.fixtureId}, ${o.outcomeId}, ${o.playerId},
          ${o.orderPrice}, ${o.orderStake}, ${plan.status}, ${o.userRef}, ${o.testOrder}, ${o.acceptBetterOdds},
          ${o.acceptPartialStake}, ${o.orderCurrency}, ${o.back}, ${o.allowedBookmakers},
          ${jsonb(o.meta)}::jsonb, ${o.expiresAt.toISOString()}::timestamptz, ${p.statusReason ?? null},
          ${p.filledStake ?? 0}, ${p.filledAt ? p.filledAt.toISOString() : null}::timestamptz,
          ${jsonb(p.oddsInfo)}::jsonb)
        on conflict on constraint orders_request_uuid do nothing
        returning *)
      ${bets},
      a as (insert into execution_audit (order_id, bet_id, entity, from_status, to_status, reason, sent)
        select order_id, bet_id, entity, from_status, to_status, reason, sent from (
          select o.order_id, null::bigint as bet_id, 'order' as entity, null::text as from_status,
            'PENDING' as to_status, null::text as reason, ${jsonb(o)}::jsonb as sent, 0 as n from o
          union all select o.order_id, null, 'order', 'PENDING', 'PROCESSING', null, null, 1 from o
            where ${hasBets}
          union all select b.order_id, b.bet_id, 'bet', null, b.bet_status, null, b.sent_data, 2 from b
          union all select o.order_id, null, 'order', ${last}, o.order_status, o.status_reason, null, 3 from o
            where o.order_status <> ${last}) x
        order by n, bet_id)
      select to_jsonb(o) as o, (select coalesce(jsonb_agg(to_jsonb(b) order by b.bet_id), '[]') from b) as b
      from o`.execute(db);
    const row = r.rows[0];
    if (!row) return null;
    const b = typeof row.b === 'string' ? (JSON.parse(row.b) as Record<string, unknown>[]) : row.b;
    const ord = typeof row.o === 'string' ? (JSON.parse(row.o) as Record<string, unknown>) : row.o;
    return { order: orderFromDb(ord), bets: b.map(betFromDb) };
  }

  /**
   * What came back for an order's bets and its final state, as ONE statement: each bet moved (guarded by
   * `from`) with its audit row and balance change (`balance`, run only if the bet moved), then the order
   * moved from PROCESSING to `final` — only when every bet moved, so a bet another process settled first
   * leaves the order to `BetLedger.finalize`. Null entries: a bet (or the order) that did not move.
   */
  async completeOrder(
    orderId: number,
    changes: readonly BetChange[],
    final: { status: OrderStatus; patch: OrderPatch } | null,
  ): Promise<{ order: OrderRow | null; bets: (BetRow | null)[]; balances: (number | null)[] }> {
    const ctes: RawBuilder<unknown>[] = [];
    const audits: RawBuilder<unknown>[] = [];
    changes.forEach((c, i) => {
      const [p, b, k] = [`p${i}`, `b${i}`, `k${i}`].map((n) => sql.table(n)) as [Tbl, Tbl, Tbl];
      const extra = sets(c.patch, BET_COLS);
      ctes.push(sql`${p} as (select bet_id, bet_status from bets where bet_id = ${c.betId})`);
      ctes.push(sql`${b} as (update bets set bet_status = ${c.to}, updated_at = now()
          ${extra.length ? sql`, ${sql.join(extra)}` : sql``}
        where bet_id = ${c.betId} and bet_status = any(${[...c.from]}::text[]) returning *)`);
      ctes.push(
        c.balance
          ? sql`${k} as (${c.balance(sql`exists (select 1 from ${b})`)})`
          : sql`${k} as (select null::float8 as balance where false)`,
      );
      audits.push(sql`select ${b}.order_id, ${b}.bet_id, 'bet', ${p}.bet_status, ${c.to}::text,
          ${c.note.reason ?? c.patch.declineReason ?? null}::text, ${jsonb(c.note.sent)}::jsonb,
          ${jsonb(c.note.received ?? c.patch.receivedData)}::jsonb, ${i}::int
        from ${b} join ${p} using (bet_id)`);
    });
    const moved = changes.map((_, i) => sql`(select count(*) from ${sql.table(`b${i}`)})`);
    const all = changes.length ? sql.join(moved, sql` + `) : sql`0`;
    if (final) {
      const extra = sets(final.patch, ORDER_COLS);
      ctes.push(sql`o as (update orders set order_status = ${final.status}, updated_at = now()
          ${extra.length ? sql`, ${sql.join(extra)}` : sql``}
        where order_id = ${orderId} and order_status = 'PROCESSING' and ${all} = ${changes.length}
        returning *)`);
      audits.push(sql`select o.order_id, null::bigint, 'order', 'PROCESSING', o.order_status,
          o.status_reason, null::jsonb, null::jsonb, ${changes.length}::int from o`);
    } else ctes.push(sql`o as (select * from orders where false)`);
    ctes.push(sql`a as (insert into execution_audit (order_id, bet_id, entity, from_status, to_status, reason,
        sent, received)
      select order_id, bet_id, entity, from_status, to_status, reason, sent, received from (
        ${sql.join(audits, sql` union all `)}) x (order_id, bet_id, entity, from_status, to_status, reason,
        sent, received, n) order by n)`);
    const cols = changes.map(
      (_, i) => sql`(select to_jsonb(b) from ${sql.table(`b${i}`)} b) as ${sql.ref(`b${i}`)},
        (select balance from ${sql.table(`k${i}`)}) as ${sql.ref(`k${i}`)}`,
    );
    const r = await sql<Record<string, unknown>>`${sql.raw(PREPARED)} with ${sql.join(ctes)}
      select (select to_jsonb(o) from o) as o ${cols.length ? sql`, ${sql.join(cols)}` : sql``}`.execute(
      this.db,
    );
    const row = r.rows[0] as Record<string, unknown>;
    const obj = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown> | null;
    const o = obj(row.o);
    return {
      order: o ? orderFromDb(o) : null,
      bets: changes.map((_, i) => {
        const b = obj(row[`b${i}`]);
        return b ? betFromDb(b) : null;
      }),
      balances: changes.map((_, i) => (row[`k${i}`] == null ? null : Number(row[`k${i}`]))),
    };
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

  /**
   * Frees the requestUuid of an order declined at routing (REJECTED, no bet: nothing was sent), so a retry
   * of the same request is evaluated anew; the declined order keeps its rows and audit trail under a key
   * derived from its id. True when released (false: not such an order, or another retry released it).
   */
  async releaseDeclined(clientName: string, requestUuid: string): Promise<boolean> {
    const r = await sql<{ order_id: string }>`
      with o as (
        update orders set request_uuid = md5(request_uuid::text || ':declined:' || order_id)::uuid,
          updated_at = now()
        where client_name = ${clientName} and request_uuid = ${requestUuid}::uuid and order_status = 'REJECTED'
          and not exists (select 1 from bets where bets.order_id = orders.order_id)
        returning order_id),
      a as (insert into execution_audit (order_id, entity, from_status, to_status, reason)
        select order_id, 'order', 'REJECTED', 'REJECTED',
          'requestUuid released: the declined request is evaluated again on retry' from o)
      select order_id from o`.execute(this.db);
    return r.rows.length > 0;
  }

  async orderByUuid(clientName: string, requestUuid: string): Promise<OrderRow | null> {
    const r = await sql<Record<string, unknown>>`select * from orders
      where client_name = ${clientName} and request_uuid = ${requestUuid}::uuid`.execute(this.db);
    return r.rows[0] ? orderFromDb(r.rows[0]) : null;
  }

  /** A bet; inside a transaction (`db`), locked for update. */
  async bet(betId: number, db?: Kysely<unknown>): Promise<BetRow | null> {
    const r = await sql<Record<string, unknown>>`select * from bets where bet_id = ${betId}
      ${db ? sql`for update` : sql``}`.execute(db ?? this.db);
    return r.rows[0] ? betFromDb(r.rows[0]) : null;
  }

  /** A bet by its idempotency key at the bookmaker (`bet_request_id`). */
  async betByKey(key: string): Promise<BetRow | null> {
    const r = await sql<Record<string, unknown>>`select * from bets
      where bet_request_id = ${key}`.execute(this.db);
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

  /**
   * Bets whose placement outcome is not known (sent or maybe sent), untouched for `olderThanMs`. A PLACED
   * bet with the bookmaker's bet id is known: it rests on a maker venue (followed by its owner, not here).
   */
  async unresolvedBets(olderThanMs: number): Promise<BetRow[]> {
    const r = await sql<Record<string, unknown>>`select * from bets
      where (bet_status = 'PENDING' or (bet_status = 'PLACED' and bookmaker_bet_id is null))
        and updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
      order by bet_id limit 500`.execute(this.db);
    return r.rows.map(betFromDb);
  }

  /**
   * Orders still PENDING or PROCESSING, untouched for `olderThanMs` (their placer died or stalled), but not
   * those resting on a maker venue (a PLACED bet with the bookmaker's bet id).
   */
  async staleOrders(olderThanMs: number): Promise<OrderRow[]> {
    const r = await sql<Record<string, unknown>>`select * from orders
      where order_status in ('PENDING', 'PROCESSING')
        and not exists (select 1 from bets where bets.order_id = orders.order_id
          and bets.bet_status = 'PLACED' and bets.bookmaker_bet_id is not null)
        and updated_at < now() - make_interval(secs => ${olderThanMs / 1000})
      order by order_id limit 500`.execute(this.db);
    return r.rows.map(orderFromDb);
  }
}
