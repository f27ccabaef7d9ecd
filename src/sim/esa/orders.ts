/**
 * The simulated account's orders for the order stream (`ocm`): each runner's unmatched/recent orders
 * (`uo`) and matched ladders (`mb` backs, `ml` lays). Bets of the matching engine (placeOrders) arrive
 * through betChanged() with their new matches; orders placed on command (admin route) are placed with
 * the amount matched given and never matched against the books.
 */
import type {
  StreamOrderMarketChange as OrderMarketChange,
  StreamOrderRunnerChange as OrderRunnerChange,
  StreamUnmatchedOrder as UnmatchedOrderChange,
} from '../stream-types.js';
import type { Clock } from '../../core/clock.js';

/** An order to place. */
export interface OrderRequest {
  marketId: string;
  selectionId: number;
  side: 'B' | 'L';
  price: number;
  size: number;
  /** Amount matched at once (default 0: fully unmatched). */
  matched?: number;
}

interface RunnerOrders {
  orders: Map<string, UnmatchedOrderChange>;
  matchedBacks: Map<number, number>;
  matchedLays: Map<number, number>;
}

/** An order change message as sent on the wire. */
export interface OcmMessage {
  op: 'ocm';
  clk: string;
  pt: number;
  initialClk?: string;
  ct?: 'SUB_IMAGE';
  oc: OrderMarketChange[];
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
/** Orders of a runner kept for images (complete ones are dropped oldest first beyond it). */
const MAX_ORDERS_PER_RUNNER = 1000;
/** Markets kept for images. */
const MAX_MARKETS = 2000;

/** The simulated account's order book. */
export class SimOrders {
  private clk = 0;
  private nextBetId = 300_000_000_000;
  private readonly markets = new Map<string, Map<number, RunnerOrders>>();
  private readonly listeners = new Set<(msg: OcmMessage) => void>();
  readonly initialClk = Buffer.from(`orders:${Date.now()}`).toString('base64');

  constructor(private readonly now: Clock = Date.now) {}

  /** Number of markets with orders. */
  get size(): number {
    return this.markets.size;
  }

  /** Registers a listener for order changes; returns its remover. */
  onChange(listener: (msg: OcmMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Places an order and publishes the change; returns the bet id. */
  place(req: OrderRequest): string {
    const id = String(this.nextBetId++);
    const matched = round2(Math.min(req.size, Math.max(0, req.matched ?? 0)));
    const remaining = round2(req.size - matched);
    const order: UnmatchedOrderChange = {
      id,
      p: req.price,
      s: req.size,
      side: req.side,
      status: remaining > 0 ? 'E' : 'EC',
      pt: 'L',
      ot: 'L',
      pd: this.now(),
      sm: matched,
      sr: remaining,
      sl: 0,
      sc: 0,
      sv: 0,
      rc: 'REG_GGC',
      rac: '',
      rfo: '',
      rfs: '',
    };
    const runner = this.runner(req.marketId, req.selectionId);
    runner.orders.set(id, order);
    const orc: OrderRunnerChange = { id: req.selectionId, uo: [order] };
    if (matched > 0) {
      const ladder = req.side === 'B' ? runner.matchedBacks : runner.matchedLays;
      const total = round2((ladder.get(req.price) ?? 0) + matched);
      ladder.set(req.price, total);
      if (req.side === 'B') orc.mb = [[req.price, total]];
      else orc.ml = [[req.price, total]];
    }
    this.publish({
      op: 'ocm',
      clk: String(++this.clk),
      pt: this.now(),
      oc: [{ id: req.marketId, orc: [orc] }],
    });
    return id;
  }

  /**
   * Publishes a bet of the matching engine: its `uo` entry and, when it matched, the runner's matched
   * ladder at the prices of its new matches.
   */
  betChanged(
    marketId: string,
    selectionId: number,
    order: UnmatchedOrderChange,
    fills: readonly { price: number; size: number }[],
  ): void {
    const runner = this.runner(marketId, selectionId);
    runner.orders.set(order.id, order);
    // bounded: beyond MAX_ORDERS_PER_RUNNER the oldest complete orders leave the image
    for (const [id, o] of runner.orders) {
      if (runner.orders.size <= MAX_ORDERS_PER_RUNNER) break;
      if (o.status === 'EC') runner.orders.delete(id);
    }
    const orc: OrderRunnerChange = { id: selectionId, uo: [order] };
    const ladder = order.side === 'L' ? runner.matchedLays : runner.matchedBacks;
    const changed = new Map<number, number>();
    for (const f of fills) {
      const total = round2((ladder.get(f.price) ?? 0) + f.size);
      ladder.set(f.price, total);
      changed.set(f.price, total);
    }
    if (changed.size > 0) {
      if (order.side === 'L') orc.ml = [...changed];
      else orc.mb = [...changed];
    }
    this.publish({ op: 'ocm', clk: String(++this.clk), pt: this.now(), oc: [{ id: marketId, orc: [orc] }] });
  }

  /** Every market's orders as a full image. */
  image(): OcmMessage {
    const oc: OrderMarketChange[] = [];
    for (const [marketId, runners] of this.markets) {
      const orc: OrderRunnerChange[] = [];
      for (const [selectionId, r] of runners) {
        orc.push({
          id: selectionId,
          fullImage: true,
          uo: [...r.orders.values()],
          mb: [...r.matchedBacks],
          ml: [...r.matchedLays],
        });
      }
      oc.push({ id: marketId, fullImage: true, orc });
    }
    return {
      op: 'ocm',
      initialClk: this.initialClk,
      clk: String(this.clk),
      pt: this.now(),
      ct: 'SUB_IMAGE',
      oc,
    };
  }

  private runner(marketId: string, selectionId: number): RunnerOrders {
    let market = this.markets.get(marketId);
    if (!market) {
      this.markets.set(marketId, (market = new Map()));
      // bounded: the markets ordered on longest ago leave the image first
      if (this.markets.size > MAX_MARKETS) this.markets.delete(this.markets.keys().next().value as string);
    }
    let r = market.get(selectionId);
    if (!r)
      market.set(selectionId, (r = { orders: new Map(), matchedBacks: new Map(), matchedLays: new Map() }));
    return r;
  }

  private publish(msg: OcmMessage): void {
    for (const l of this.listeners) l(msg);
  }
}
