import type { PriceLevel } from '../../model/index.js';
import { PriceLadder } from './ladder.js';
import type { OrderMarketChange, OrderRunnerChange, UnmatchedOrderChange } from './protocol.js';

/** One runner's orders: unmatched/recent orders by bet id and the matched ladders. */
export interface OrderRunnerSnapshot {
  readonly selectionId: number;
  readonly handicap: number;
  /** Orders as last reported (`uo`), by bet id. Executed-complete orders stay, as in bflw. */
  readonly orders: readonly UnmatchedOrderChange[];
  /** Matched backs `[price, size]` by price, ascending. */
  readonly matchedBacks: readonly PriceLevel[];
  /** Matched lays by price, ascending. */
  readonly matchedLays: readonly PriceLevel[];
  readonly strategyMatches: Readonly<Record<string, unknown>> | null;
}

class OrderRunner {
  readonly orders = new Map<string, UnmatchedOrderChange>();
  readonly matchedBacks = new PriceLadder(false);
  readonly matchedLays = new PriceLadder(false);
  strategyMatches: Record<string, unknown> | null = null;

  constructor(
    readonly selectionId: number,
    readonly handicap: number,
  ) {}

  apply(orc: OrderRunnerChange): void {
    if (Array.isArray(orc.mb)) this.matchedBacks.update(orc.mb);
    if (Array.isArray(orc.ml)) this.matchedLays.update(orc.ml);
    if (Array.isArray(orc.uo))
      for (const o of orc.uo) if (typeof o?.id === 'string') this.orders.set(o.id, o);
    if (orc.smc) this.strategyMatches = orc.smc;
  }

  snapshot(): OrderRunnerSnapshot {
    return {
      selectionId: this.selectionId,
      handicap: this.handicap,
      orders: [...this.orders.values()],
      matchedBacks: this.matchedBacks.snapshot(),
      matchedLays: this.matchedLays.snapshot(),
      strategyMatches: this.strategyMatches,
    };
  }
}

/**
 * The order cache of one market (order stream, `ocm`): per (selection id, handicap) the orders by bet id
 * and the matched back/lay ladders. `fullImage` on a runner replaces that runner; `closed` marks the market.
 */
export class OrderCache {
  closed = false;
  publishTime: number | null;
  private readonly runners = new Map<number | string, OrderRunner>();

  constructor(
    readonly marketId: string,
    publishTime: number | null = null,
  ) {
    this.publishTime = publishTime;
  }

  /** Applies one market's order change. */
  apply(oc: OrderMarketChange, publishTime: number | null): void {
    if (publishTime !== null) this.publishTime = publishTime;
    if (typeof oc.closed === 'boolean') this.closed = oc.closed;
    if (!Array.isArray(oc.orc)) return;
    for (const orc of oc.orc) {
      if (typeof orc?.id !== 'number') continue;
      const hc = typeof orc.hc === 'number' ? orc.hc : 0;
      const key = hc === 0 ? orc.id : `${orc.id}:${hc}`;
      let runner = this.runners.get(key);
      if (!runner || orc.fullImage === true) {
        runner = new OrderRunner(orc.id, hc);
        this.runners.set(key, runner);
      }
      runner.apply(orc);
    }
  }

  /** A runner's orders, or undefined. */
  runner(selectionId: number, handicap = 0): OrderRunnerSnapshot | undefined {
    return this.runners.get(handicap === 0 ? selectionId : `${selectionId}:${handicap}`)?.snapshot();
  }

  /** Every runner's orders, in order of arrival. */
  snapshot(): OrderRunnerSnapshot[] {
    return [...this.runners.values()].map((r) => r.snapshot());
  }
}
