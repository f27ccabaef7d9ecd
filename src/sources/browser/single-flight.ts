/**
 * A keyed cache with single-flight loading: concurrent callers for one key share one load, and a result is
 * served from the cache for `ttlMs` after it was loaded. Failures are not cached. Bounded in entries
 * (least recently used dropped first). lru-cache's `fetch` does the work; this keeps the caller's loader
 * per call and says how each value was obtained.
 */
import { LRUCache } from 'lru-cache';
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

interface Entry<V> {
  value: V;
  at: number;
}

/** Keyed single-flight loader with a TTL cache. */
export class SingleFlightCache<V> {
  private readonly cache: LRUCache<string, Entry<V>, () => Promise<V>>;
  /** Loads started (what "ten concurrent calls → one scrape" counts). */
  loads = 0;

  constructor(opts: SingleFlightOptions) {
    const clock = opts.clock ?? systemClock;
    this.cache = new LRUCache<string, Entry<V>, () => Promise<V>>({
      max: opts.maxEntries,
      ttl: opts.ttlMs,
      // the injected clock, read on every check (no 1 ms caching of "now")
      perf: { now: clock },
      ttlResolution: 0,
      fetchMethod: async (_key, _stale, { context: load }) => {
        this.loads++;
        const value = await load();
        return { value, at: clock() };
      },
    });
  }

  /** The cached value, a share of the load in flight, or a new load. */
  async get(key: string, load: () => Promise<V>): Promise<Flight<V>> {
    const status: LRUCache.Status<string, Entry<V>, () => Promise<V>> = {};
    const r = await this.cache.fetch(key, { context: load, status });
    if (r === undefined) throw new Error(`load of ${key} was abandoned`); // only if the entry was deleted mid-load
    const from = status.fetch === 'hit' ? 'cache' : status.fetch === 'inflight' ? 'shared' : 'loaded';
    return { value: r.value, from, loadedAt: r.at };
  }

  /** The cached value of a key within its TTL, if any. */
  peek(key: string): V | undefined {
    return this.cache.peek(key)?.value;
  }

  /** Number of cached entries. */
  get size(): number {
    return this.cache.size;
  }

  /** Drops every cached value. */
  clear(): void {
    this.cache.clear();
  }
}
