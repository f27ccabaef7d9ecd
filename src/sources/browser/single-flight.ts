/**
 * A keyed cache with single-flight loading: concurrent callers for one key share one load, and a result is
 * served from the cache for `ttlMs` after it was loaded. Failures are not cached. Bounded in entries.
 */
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';

/** Options of the cache. */
export interface SingleFlightOptions {
  ttlMs: number;
  maxEntries: number;
  clock?: Clock;
}

/** A value and how it was obtained. */
export interface Flight<V> {
  value: V;
  /** "cache": served from a finished load within the TTL; "shared": joined a load in flight; "loaded". */
  from: 'cache' | 'shared' | 'loaded';
  /** Epoch ms the value was loaded. */
  loadedAt: number;
}

/** Keyed single-flight loader with a TTL cache. */
export class SingleFlightCache<V> {
  private readonly cache = new Map<string, { value: V; at: number }>();
  private readonly inflight = new Map<string, Promise<{ value: V; at: number }>>();
  private readonly clock: Clock;
  /** Loads started (what "ten concurrent calls → one scrape" counts). */
  loads = 0;

  constructor(private readonly opts: SingleFlightOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** The cached value, a share of the load in flight, or a new load. */
  async get(key: string, load: () => Promise<V>): Promise<Flight<V>> {
    const hit = this.cache.get(key);
    if (hit && this.clock() - hit.at < this.opts.ttlMs)
      return { value: hit.value, from: 'cache', loadedAt: hit.at };
    const running = this.inflight.get(key);
    if (running) {
      const r = await running;
      return { value: r.value, from: 'shared', loadedAt: r.at };
    }
    const p = this.run(key, load);
    this.inflight.set(key, p);
    const r = await p;
    return { value: r.value, from: 'loaded', loadedAt: r.at };
  }

  /** The cached value of a key within its TTL, if any. */
  peek(key: string): V | undefined {
    const hit = this.cache.get(key);
    return hit && this.clock() - hit.at < this.opts.ttlMs ? hit.value : undefined;
  }

  /** Number of cached entries. */
  get size(): number {
    return this.cache.size;
  }

  /** Drops every cached value. */
  clear(): void {
    this.cache.clear();
  }

  private async run(key: string, load: () => Promise<V>): Promise<{ value: V; at: number }> {
    this.loads++;
    try {
      const value = await load();
      const entry = { value, at: this.clock() };
      this.cache.delete(key);
      this.cache.set(key, entry);
      this.evict();
      return entry;
    } finally {
      this.inflight.delete(key);
    }
  }

  private evict(): void {
    const now = this.clock();
    for (const [k, v] of this.cache) if (now - v.at >= this.opts.ttlMs) this.cache.delete(k);
    while (this.cache.size > this.opts.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
