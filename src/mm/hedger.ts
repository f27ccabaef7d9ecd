import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { OrderService, PlaceOutcome } from '../execution/order-service.js';
import type { ExecutionRepository } from '../execution/repository.js';
import { round2 } from '../execution/rows.js';

/** A quote's fill as the exchange reported it. `fillKey` is the exchange's id of this fill (unique). */
export interface Fill {
  fillKey: string;
  clientName: string;
  /** The engine's market (fixture and outcome it quotes). */
  marketKey: string;
  fixtureId: string;
  outcomeId: number;
  exchange: string;
  /** The side of the quote that filled (true: our back quote was matched). */
  quoteBack: boolean;
  price: number;
  size: number;
}

/** Where and at what price to hedge: the bookmaker and its current price on the hedge side. */
export interface HedgeTarget {
  bookmaker: string;
  /** The bookmaker's price on the opposite side of the fill (the hedge's worst acceptable price). */
  price: number;
}

/** A fill row and its hedge state. */
export interface FillRow {
  fillId: number;
  fillKey: string;
  clientName: string;
  fixtureId: string;
  outcomeId: number;
  hedgeBookmaker: string;
  hedgeBack: boolean;
  hedgeStake: number;
  hedgePrice: number;
  hedgeOrderId: number | null;
  hedgeStatus: string;
}

/** What became of a reported fill. */
export type FillOutcome =
  | { kind: 'duplicate'; fillKey: string }
  | { kind: 'hedged'; fill: FillRow; orderId: number; status: string; reason: string | null };

/**
 * The stake that makes a filled quote flat (the same result whichever way the outcome goes): a back
 * of `size` at `price` is laid off by laying `size × price / hedgePrice` at `hedgePrice`, and a lay the
 * other way round.
 */
export function hedgeStakeOf(size: number, price: number, hedgePrice: number): number {
  return round2((size * price) / hedgePrice);
}

/** The hedge order's requestUuid: a name-based UUID of the fill, so one fill is at most one order. */
export function hedgeUuidOf(fillKey: string): string {
  const h = createHash('sha256').update(`mm-hedge:${fillKey}`).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x80;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

function rowOf(r: Record<string, unknown>): FillRow {
  return {
    fillId: Number(r.fill_id),
    fillKey: String(r.fill_key),
    clientName: String(r.client_name),
    fixtureId: String(r.fixture_id),
    outcomeId: Number(r.outcome_id),
    hedgeBookmaker: String(r.hedge_bookmaker),
    hedgeBack: Boolean(r.hedge_back),
    hedgeStake: Number(r.hedge_stake),
    hedgePrice: Number(r.hedge_price),
    hedgeOrderId:
      r.hedge_order_id === null || r.hedge_order_id === undefined ? null : Number(r.hedge_order_id),
    hedgeStatus: String(r.hedge_status),
  };
}

/** What the hedger needs of the execution layer (exec's order service and repository). */
export interface HedgerDeps {
  db: Kysely<unknown>;
  orders: Pick<OrderService, 'place'>;
  repo: Pick<ExecutionRepository, 'orderByUuid'>;
  /** How long a hedge order may take to be placed (ms, default 30 s). */
  expiryMs?: number;
}

/**
 * Hedges quote fills exactly once. A fill is recorded under its unique `fill_key` (a repeat is refused by
 * the database, whichever stream or instance reports it), then hedged through the execution layer's order
 * service with a requestUuid derived from the fill (exec's unique key: a second placement of the same
 * hedge is the first order). A fill recorded but not hedged (a crash in between) is found by `resume`
 * and hedged with the same requestUuid: no missed hedge, no double one.
 */
export class Hedger {
  constructor(private readonly deps: HedgerDeps) {}

  /** Records a fill and hedges it; a fill seen before is a duplicate (nothing happens). */
  async onFill(fill: Fill, target: HedgeTarget): Promise<FillOutcome> {
    const stake = hedgeStakeOf(fill.size, fill.price, target.price);
    const r = await sql<Record<string, unknown>>`
      insert into mm_fills (fill_key, client_name, market_key, fixture_id, outcome_id, exchange, quote_back,
        fill_price, fill_size, hedge_bookmaker, hedge_back, hedge_stake, hedge_price)
      values (${fill.fillKey}, ${fill.clientName}, ${fill.marketKey}, ${fill.fixtureId}, ${fill.outcomeId},
        ${fill.exchange}, ${fill.quoteBack}, ${fill.price}, ${fill.size}, ${target.bookmaker},
        ${!fill.quoteBack}, ${stake}, ${target.price})
      on conflict on constraint mm_fills_fill_key do nothing
      returning *`.execute(this.deps.db);
    const row = r.rows[0];
    if (!row) return { kind: 'duplicate', fillKey: fill.fillKey };
    return this.hedge(rowOf(row));
  }

  /** Hedges every fill recorded at least `olderThanMs` ago without a hedge order; returns how many. */
  async resume(olderThanMs = 0): Promise<number> {
    const r = await sql<Record<string, unknown>>`select * from mm_fills where hedge_order_id is null
      and created_at <= now() - make_interval(secs => ${olderThanMs / 1000}) order by fill_id limit 500`.execute(
      this.deps.db,
    );
    for (const row of r.rows) await this.hedge(rowOf(row));
    return r.rows.length;
  }

  /** Places (or finds) the fill's hedge order and records it on the fill. */
  private async hedge(fill: FillRow): Promise<FillOutcome> {
    const requestUuid = hedgeUuidOf(fill.fillKey);
    const outcome: PlaceOutcome = await this.deps.orders.place(
      { clientName: fill.clientName, bookmakers: [fill.hedgeBookmaker] },
      {
        requestUuid,
        fixtureId: fill.fixtureId,
        outcomeId: fill.outcomeId,
        playerId: 0,
        orderStake: fill.hedgeStake,
        orderPrice: fill.hedgePrice,
        userRef: 'mm-hedge',
        testOrder: false,
        bookmakers: fill.hedgeBookmaker,
        orderCurrency: 'USD',
        acceptBetterOdds: true,
        acceptPartialStake: false,
        back: fill.hedgeBack,
        expiresAt: new Date(Date.now() + (this.deps.expiryMs ?? 30_000)),
        meta: { source: 'mm-hedge', fillKey: fill.fillKey, fillId: fill.fillId },
      },
    );
    const order =
      outcome.kind === 'accepted'
        ? outcome.order
        : await this.deps.repo.orderByUuid(fill.clientName, requestUuid);
    if (!order) throw new Error(`hedge order of fill ${fill.fillKey} not found after placement`);
    const reason = outcome.kind === 'declined' ? outcome.declineReason : order.statusReason;
    await sql`update mm_fills set hedge_order_id = ${order.orderId}, hedge_status = ${order.orderStatus},
      hedge_reason = ${reason}, hedged_at = now() where fill_id = ${fill.fillId}`.execute(this.deps.db);
    return {
      kind: 'hedged',
      fill: { ...fill, hedgeOrderId: order.orderId, hedgeStatus: order.orderStatus },
      orderId: order.orderId,
      status: order.orderStatus,
      reason,
    };
  }
}
