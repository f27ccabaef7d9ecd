/**
 * The shared registry of domain pools, one per upstream, used by every source that rotates base URLs.
 * Pools are persisted as small store documents (`pool:<name>`) so their health survives restarts and is
 * shared by instances on one Redis.
 */
import type { Store } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import { DomainPool, type DomainState } from './domain-pool.js';

/** Store document key of a pool. */
export function poolDocKey(name: string): string {
  return `pool:${name}`;
}

/** Delay that coalesces bursts of changes into one store write. */
const SAVE_DEBOUNCE_MS = 250;

/** Pools by upstream name, optionally persisted to a store. */
export class DomainPoolRegistry {
  private readonly pools = new Map<string, DomainPool>();
  private store: Store | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly clock?: Clock) {}

  /** The pool of `name`, created with these URLs (and proxies) on first use. */
  pool(name: string, urls: readonly string[], proxies: readonly string[] = []): DomainPool {
    let p = this.pools.get(name);
    if (!p) {
      p = new DomainPool({ name, urls, proxies, ...(this.clock ? { clock: this.clock } : {}) });
      this.pools.set(name, p);
      p.onChange(() => this.scheduleSave(name));
      if (this.store) void this.loadOne(name);
    }
    return p;
  }

  /** A pool by name, if one exists. */
  get(name: string): DomainPool | undefined {
    return this.pools.get(name);
  }

  /** Every pool. */
  all(): DomainPool[] {
    return [...this.pools.values()];
  }

  /** Persists pools to `store` from now on, after loading what it holds for the pools that exist. */
  async attachStore(store: Store): Promise<void> {
    this.store = store;
    await Promise.all([...this.pools.keys()].map((n) => this.loadOne(n)));
  }

  /** Writes pending changes now and stops persisting. */
  async detachStore(): Promise<void> {
    const names = [...this.timers.keys()];
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all(names.map((n) => this.save(n)));
    this.store = null;
  }

  private async loadOne(name: string): Promise<void> {
    const store = this.store;
    const pool = this.pools.get(name);
    if (!store || !pool) return;
    const saved = await store.getDoc<{ domains?: DomainState[] }>(poolDocKey(name)).catch(() => null);
    if (saved?.domains) pool.restore(saved.domains);
  }

  private scheduleSave(name: string): void {
    if (!this.store || this.timers.has(name)) return;
    const t = setTimeout(() => {
      this.timers.delete(name);
      void this.save(name);
    }, SAVE_DEBOUNCE_MS);
    t.unref();
    this.timers.set(name, t);
  }

  private async save(name: string): Promise<void> {
    const pool = this.pools.get(name);
    if (!this.store || !pool) return;
    await this.store.setDoc(poolDocKey(name), { domains: pool.states() }).catch(() => undefined);
  }
}

/** The process-wide registry the configured sources and the admin routes share. */
export const sharedDomainPools = new DomainPoolRegistry();
