import type { PriceLevel } from '../../model/index.js';
import type { LevelTriple, PricePair } from './protocol.js';

/** An empty, frozen ladder shared by every runner that has none. */
export const EMPTY_LADDER: readonly PriceLevel[] = Object.freeze([]);

/** Ladders up to this many prices are searched linearly (faster than bisection at that size). */
const LINEAR_SEARCH_MAX = 16;

/**
 * A price-keyed ladder (`atb`, `atl`, `trd`, `spb`, `spl`, order `mb`/`ml`): `[price, size]` pairs, size 0
 * removes the price. Kept sorted (back ladders descending, lay ladders ascending) so a snapshot is free.
 *
 * Snapshots are shared arrays, copy-on-write: once a snapshot was handed out, the next change builds a new
 * array, so a snapshot never changes under its holder. Holders must not mutate it (it is not frozen:
 * frozen arrays make the next copy several times slower).
 */
export class PriceLadder {
  private levels: PriceLevel[] = [];
  /**
   * The prices of `levels`, in the same order, as plain numbers: searched instead of the level objects
   * (contiguous doubles, no pointer chasing). Internal, never handed out, so always updated in place.
   */
  private readonly prices: number[] = [];
  private shared = false;

  /** `descending`: best first for back ladders (highest price first). */
  constructor(private readonly descending: boolean) {}

  /** Applies `[price, size]` pairs; malformed pairs are skipped. */
  update(pairs: readonly PricePair[]): void {
    if (!Array.isArray(pairs)) return;
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      if (!Array.isArray(pair)) continue;
      const price: unknown = pair[0];
      const size: unknown = pair[1];
      if (typeof price === 'number' && typeof size === 'number') this.set(price, size);
    }
  }

  /** Removes every price. */
  clear(): void {
    this.levels = [];
    this.prices.length = 0;
    this.shared = false;
  }

  /** Number of prices held. */
  get size(): number {
    return this.levels.length;
  }

  /** The ladder, best first (shared: do not mutate). */
  snapshot(): readonly PriceLevel[] {
    this.shared = true;
    return this.levels;
  }

  private set(price: number, size: number): void {
    const prices = this.prices;
    const at = this.position(price);
    if (at < prices.length && prices[at] === price) {
      if (size === 0) this.removeAt(at);
      else if (this.shared) this.copyWith(at, { price, size });
      else this.levels[at] = { price, size };
    } else if (size !== 0) {
      this.insertAt(at, { price, size });
    }
  }

  /** Index of `price`, or where it would be inserted (ladder order). */
  private position(price: number): number {
    const prices = this.prices;
    const n = prices.length;
    const desc = this.descending;
    if (n <= LINEAR_SEARCH_MAX) {
      let i = 0;
      if (desc) while (i < n && (prices[i] as number) > price) i++;
      else while (i < n && (prices[i] as number) < price) i++;
      return i;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = prices[mid] as number;
      if (desc ? p > price : p < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private copyWith(at: number, level: PriceLevel): void {
    const next = this.levels.slice();
    next[at] = level;
    this.levels = next;
    this.shared = false;
  }

  /** Inserts at `at`; a shared array is copied with the insertion in one pass. */
  private insertAt(at: number, level: PriceLevel): void {
    const prices = this.prices;
    const old = this.levels;
    const n = old.length;
    for (let i = n; i > at; i--) prices[i] = prices[i - 1] as number;
    prices[at] = level.price;
    if (!this.shared) {
      for (let i = n; i > at; i--) old[i] = old[i - 1] as PriceLevel;
      old[at] = level;
      return;
    }
    const next = new Array<PriceLevel>(n + 1);
    for (let i = 0; i < at; i++) next[i] = old[i] as PriceLevel;
    next[at] = level;
    for (let i = at; i < n; i++) next[i + 1] = old[i] as PriceLevel;
    this.levels = next;
    this.shared = false;
  }

  /** Removes the level at `at`; a shared array is copied without it in one pass. */
  private removeAt(at: number): void {
    const prices = this.prices;
    const old = this.levels;
    const n = old.length;
    for (let i = at; i < n - 1; i++) prices[i] = prices[i + 1] as number;
    prices.pop();
    if (!this.shared) {
      for (let i = at; i < n - 1; i++) old[i] = old[i + 1] as PriceLevel;
      old.pop();
      return;
    }
    const next = new Array<PriceLevel>(n - 1);
    for (let i = 0; i < at; i++) next[i] = old[i] as PriceLevel;
    for (let i = at + 1; i < n; i++) next[i - 1] = old[i] as PriceLevel;
    this.levels = next;
    this.shared = false;
  }
}

/**
 * A level-keyed ladder (`batb`, `batl`, `bdatb`, `bdatl`): `[level, price, size]`, size 0 removes the level,
 * level 0 is the best price. The snapshot lists levels in ascending level order (best first).
 */
export class LevelLadder {
  private byLevel: (PriceLevel | undefined)[] = [];
  private snap: readonly PriceLevel[] | null = EMPTY_LADDER;

  /** Applies `[level, price, size]` triples; an empty array changes nothing. */
  update(triples: readonly LevelTriple[]): void {
    if (!Array.isArray(triples)) return;
    for (const t of triples) {
      if (!Array.isArray(t)) continue;
      const level = t[0];
      const price = t[1];
      const size = t[2];
      if (!Number.isInteger(level) || level < 0 || level > 1000) continue;
      if (typeof price !== 'number' || typeof size !== 'number') continue;
      this.byLevel[level] = size === 0 ? undefined : { price, size };
      this.snap = null;
    }
  }

  /** The levels, best (level 0) first. */
  snapshot(): readonly PriceLevel[] {
    if (this.snap) return this.snap;
    const out: PriceLevel[] = [];
    for (const l of this.byLevel) if (l) out.push(l);
    this.snap = Object.freeze(out);
    return this.snap;
  }
}
