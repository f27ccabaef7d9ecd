import { sql, type Kysely } from 'kysely';
import { betFromDb, orderFromDb, type BetRow, type OrderRow } from './rows.js';

/** One state change of an order, a bet or a settlement, with what was sent and what came back. */
export interface TraceEvent {
  auditId: number;
  at: string;
  entity: 'order' | 'bet' | 'settlement' | string;
  orderId: number;
  betId: number | null;
  fromStatus: string | null;
  toStatus: string;
  reason: string | null;
  sent: unknown;
  received: unknown;
}

/** An order's whole story: the order, its bets and every change, oldest first. */
export interface OrderTrace {
  order: OrderRow;
  bets: BetRow[];
  events: TraceEvent[];
}

/** A bet's whole story: the bet, its order and the changes of both (the order's, then the bet's own). */
export interface BetTrace {
  bet: BetRow;
  order: OrderRow;
  events: TraceEvent[];
}

/** Keys whose values are secrets in anything sent or received. */
const SECRET_KEY =
  /pass(word)?|secret|token|session|ssoid|app_?key|api_?key|auth(entication|orization)|x-application|credential|cookie|cert/i;
/** What a secret is shown as. */
export const MASK = '***';

/** A copy of `v` with every value under a secret-looking key replaced by `***` (at any depth). */
export function maskSecrets(v: unknown, depth = 0): unknown {
  if (depth > 20) return MASK;
  if (Array.isArray(v)) return v.map((x) => maskSecrets(x, depth + 1));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) ? MASK : maskSecrets(x, depth + 1)]),
    );
  return v;
}

function json(v: unknown): unknown {
  return typeof v === 'string' ? (JSON.parse(v) as unknown) : (v ?? null);
}

function eventOf(r: Record<string, unknown>): TraceEvent {
  return {
    auditId: Number(r.audit_id),
    at: new Date(r.at as string | Date).toISOString(),
    entity: String(r.entity),
    orderId: Number(r.order_id),
    betId: r.bet_id === null || r.bet_id === undefined ? null : Number(r.bet_id),
    fromStatus: (r.from_status as string | null) ?? null,
    toStatus: String(r.to_status),
    reason: (r.reason as string | null) ?? null,
    sent: maskSecrets(json(r.sent)),
    received: maskSecrets(json(r.received)),
  };
}

function maskBet(b: BetRow): BetRow {
  return { ...b, sentData: maskSecrets(b.sentData), receivedData: maskSecrets(b.receivedData) };
}

/** The bet trace over the execution audit table (secrets masked). */
export class ExecutionTrace {
  constructor(private readonly db: Kysely<unknown>) {}

  async order(orderId: number): Promise<OrderTrace | null> {
    const o = await sql<Record<string, unknown>>`select * from orders where order_id = ${orderId}`.execute(
      this.db,
    );
    if (!o.rows[0]) return null;
    const [bets, events] = await Promise.all([
      sql<Record<string, unknown>>`select * from bets where order_id = ${orderId} order by bet_id`.execute(
        this.db,
      ),
      sql<Record<string, unknown>>`select * from execution_audit where order_id = ${orderId}
        order by audit_id`.execute(this.db),
    ]);
    const order = orderFromDb(o.rows[0]);
    return {
      order: { ...order, meta: maskSecrets(order.meta) as Record<string, unknown> },
      bets: bets.rows.map((r) => maskBet(betFromDb(r))),
      events: events.rows.map(eventOf),
    };
  }

  async bet(betId: number): Promise<BetTrace | null> {
    const b = await sql<Record<string, unknown>>`select * from bets where bet_id = ${betId}`.execute(this.db);
    if (!b.rows[0]) return null;
    const bet = betFromDb(b.rows[0]);
    const [o, events] = await Promise.all([
      sql<Record<string, unknown>>`select * from orders where order_id = ${bet.orderId}`.execute(this.db),
      sql<Record<string, unknown>>`select * from execution_audit where order_id = ${bet.orderId}
        and (bet_id = ${betId} or bet_id is null) order by audit_id`.execute(this.db),
    ]);
    const order = orderFromDb(o.rows[0] as Record<string, unknown>);
    return {
      bet: maskBet(bet),
      order: { ...order, meta: maskSecrets(order.meta) as Record<string, unknown> },
      events: events.rows.map(eventOf),
    };
  }
}
