/**
 * Which markets the Betfair stream subscribes to: the configured filter (resolved to market ids by the
 * catalogue) ∪ the markets clients asked for in the last N minutes, capped at the subscription limit
 * (Betfair's default is 200 markets; demanded markets first, most recent first, then configured ones in
 * catalogue order). A new subscription replaces the previous one, so changes are debounced into one
 * resubscription.
 */
import { silentLogger, type BetfairLogger } from './types.js';
import type { Clock } from '../../core/clock.js';

/** Options of {@link DemandTracker}. */
export interface DemandOptions {
  /** Demand lasts this long after the last touch. */
  windowMs: number;
  /** Changes are gathered this long before one resubscription. */
  debounceMs: number;
  /** Most markets in one subscription. */
  limit: number;
  /** Called (debounced) when the wanted market set changed. */
  onChange: () => void;
  clock?: Clock;
  logger?: BetfairLogger;
}

/** The subscription the tracker wants now. */
export interface DesiredMarkets {
  marketIds: string[];
  /** Markets wanted before the cap. */
  wanted: number;
  /** Wanted markets left out by the cap. */
  dropped: number;
  demanded: number;
  configured: number;
  limit: number;
}

/** Tracks configured and demanded markets and debounces subscription changes. */
export class DemandTracker {
  private configured: string[] = [];
  private readonly demanded = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private lastKey = '';
  private limitNow: number;
  private readonly clock: Clock;
  private readonly log: BetfairLogger;
  /** Debounced change notifications sent. */
  changes = 0;

  constructor(private readonly opts: DemandOptions) {
    this.clock = opts.clock ?? Date.now;
    this.log = opts.logger ?? silentLogger;
    this.limitNow = opts.limit;
  }

  /** Current cap (lowered when Betfair refuses a subscription as too large). */
  get limit(): number {
    return this.limitNow;
  }

  /** Starts expiring old demand. */
  start(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(
      () => this.sweep(),
      Math.max(50, Math.min(60_000, Math.floor(this.opts.windowMs / 4))),
    );
    this.sweeper.unref();
  }

  /** Stops the timers. */
  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.timer) clearTimeout(this.timer);
    this.sweeper = this.timer = null;
  }

  /** Sets the markets the configured filter resolves to (in priority order). */
  setConfigured(ids: readonly string[]): void {
    this.configured = [...ids];
    this.schedule();
  }

  /** Records that clients want these markets now. */
  touch(marketIds: readonly string[]): void {
    const now = this.clock();
    let added = false;
    for (const id of marketIds) {
      if (!this.demanded.has(id)) added = true;
      this.demanded.delete(id);
      this.demanded.set(id, now);
    }
    if (added) this.schedule();
  }

  /** Lowers the cap (Betfair said SUBSCRIPTION_LIMIT_EXCEEDED); returns the new cap. */
  lowerLimit(): number {
    this.limitNow = Math.max(1, Math.floor(this.limitNow * 0.8));
    this.log.warn({ limit: this.limitNow }, 'betfair subscription limit lowered');
    this.schedule();
    return this.limitNow;
  }

  /** True when the market is demanded (within the window) or configured. */
  wants(marketId: string): boolean {
    return this.demanded.has(marketId) || this.configured.includes(marketId);
  }

  /** The markets to subscribe to now. */
  desired(): DesiredMarkets {
    const ids: string[] = [];
    const seen = new Set<string>();
    const recentFirst = [...this.demanded.keys()].reverse();
    for (const id of [...recentFirst, ...this.configured]) {
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
    }
    const marketIds = ids.slice(0, this.limitNow);
    return {
      marketIds,
      wanted: ids.length,
      dropped: ids.length - marketIds.length,
      demanded: this.demanded.size,
      configured: this.configured.length,
      limit: this.limitNow,
    };
  }

  /** Forgets demand older than the window; schedules a change when any expired. */
  sweep(): void {
    const oldest = this.clock() - this.opts.windowMs;
    let expired = 0;
    for (const [id, at] of this.demanded) {
      if (at > oldest) break; // insertion order = touch order
      this.demanded.delete(id);
      expired++;
    }
    if (expired > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const key = [...this.desired().marketIds].sort().join(',');
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.changes++;
      this.opts.onChange();
    }, this.opts.debounceMs);
  }
}
