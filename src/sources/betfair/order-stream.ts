import { OrderCache } from './order-cache.js';
import type { OrderChangeMessage } from './protocol.js';
import type { ChangeStream } from './types.js';

/** Called once per order message with the order caches it touched. */
export type OrderChangeHook = (touched: OrderCache[], msg: OrderChangeMessage) => void;

/**
 * The order stream (`ocm`): one {@link OrderCache} per market. A SUB_IMAGE replaces every cache, an
 * order market change with `fullImage: true` replaces that market's cache.
 */
export class OrderStream implements ChangeStream<OrderChangeMessage> {
  private readonly caches = new Map<string, OrderCache>();
  private lastPt: number | null = null;

  constructor(private readonly onChange: OrderChangeHook = () => {}) {}

  /** A full image of the order subscription. */
  onSubscribe(msg: OrderChangeMessage): void {
    this.caches.clear();
    this.process(msg);
  }

  /** Deltas after a resubscription. */
  onResubscribe(msg: OrderChangeMessage): void {
    this.process(msg);
  }

  /** Nothing changed. */
  onHeartbeat(msg: OrderChangeMessage): void {
    if (typeof msg.pt === 'number') this.lastPt = msg.pt;
  }

  /** An ordinary update. */
  onUpdate(msg: OrderChangeMessage): void {
    this.process(msg);
  }

  /** A market's order cache. */
  get(marketId: string): OrderCache | undefined {
    return this.caches.get(marketId);
  }

  /** Number of markets with orders. */
  get size(): number {
    return this.caches.size;
  }

  /** Publish time of the last order message. */
  get publishTime(): number | null {
    return this.lastPt;
  }

  private process(msg: OrderChangeMessage): void {
    const pt = typeof msg.pt === 'number' ? msg.pt : null;
    if (pt !== null) this.lastPt = pt;
    if (!Array.isArray(msg.oc)) return;
    const touched: OrderCache[] = [];
    for (const oc of msg.oc) {
      if (typeof oc?.id !== 'string') continue;
      let cache = this.caches.get(oc.id);
      if (!cache || oc.fullImage === true) {
        cache = new OrderCache(oc.id, pt);
        this.caches.set(oc.id, cache);
      }
      cache.apply(oc, pt);
      if (!touched.includes(cache)) touched.push(cache);
    }
    if (touched.length > 0) this.onChange(touched, msg);
  }
}
