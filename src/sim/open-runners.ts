/**
 * The runners of OPEN markets, for spending the simulator's change budget: runners whose fair price
 * left their best back/lay, or whose quote the market's no-arbitrage limits held and now release, first
 * (so books follow the market), then distinct random runners.
 */
import type { LiveEvent } from './live-event.js';
import type { SimMarket } from './market.js';
import type { Prng } from './random.js';
import { MAX_PRICE, MIN_PRICE } from '../model/ticks.js';

/** Visits one runner: its event, market and index in the market. */
export type RunnerVisitor = (ev: LiveEvent, m: SimMarket, runner: number) => void;

/** True when fair odds are outside [best back, best lay] and a requote can move the book towards them. */
function crossed(odds: number, back: number | null, lay: number | null): boolean {
  if (back === null || lay === null) return false;
  if (odds >= back && odds <= lay) return false;
  return !((odds < back && back <= MIN_PRICE) || (odds > lay && lay >= MAX_PRICE));
}

/** Index of the runners of open markets, rebuilt when a market opens, closes or is added/removed. */
export class OpenRunners {
  private dirty = true;
  private events: LiveEvent[] = [];
  private markets: SimMarket[] = [];
  /** (market index << 8) | runner index. */
  private codes = new Int32Array(0);
  /** A permutation of code indices; its prefix is the random sample of a tick. */
  private perm = new Int32Array(0);
  private crossStart = 0;

  /** Marks the index stale (a status changed, a market came or went). */
  invalidate(): void {
    this.dirty = true;
  }

  /** Rebuilds from the live events when stale. */
  refresh(live: Iterable<LiveEvent>): void {
    if (!this.dirty) return;
    this.events = [];
    this.markets = [];
    const codes: number[] = [];
    for (const ev of live) {
      for (const m of ev.markets) {
        if (m.status !== 'OPEN') continue;
        const mi = this.markets.push(m) - 1;
        this.events.push(ev);
        for (let r = 0; r < m.books.length; r++) codes.push((mi << 8) | r);
      }
    }
    this.codes = Int32Array.from(codes);
    this.perm = Int32Array.from(codes.keys());
    this.crossStart = 0;
    this.dirty = false;
  }

  /** Number of open runners. */
  get size(): number {
    return this.codes.length;
  }

  /**
   * Visits up to `limit` runners whose fair odds are outside [best back, best lay] or whose last quote
   * was held by the market's no-arbitrage limits that the other runners have since relaxed, scanning from a
   * rotating market so that none waits long; returns how many were visited.
   */
  visitCrossed(limit: number, visit: RunnerVisitor): number {
    const markets = this.markets;
    const n = markets.length;
    let count = 0;
    let next = n > 0 ? (this.crossStart + 1) % n : 0;
    for (let k = 0; k < n && count < limit; k++) {
      const mi = (this.crossStart + k) % n;
      // the next scan starts after the last market this one reached: round robin, so that when the
      // budget runs out before the scan ends, the markets further on are served first next tick
      next = (mi + 1) % n;
      const m = markets[mi] as SimMarket;
      const ev = this.events[mi] as LiveEvent;
      const fair = ev.fairOf(m);
      for (let r = 0; r < m.books.length && count < limit; r++) {
        const b = m.books[r];
        const back = b?.bestBack ?? null;
        const lay = b?.bestLay ?? null;
        if (!crossed(1 / (fair[r] as number), back, lay) && !m.released(r)) continue;
        visit(ev, m, r);
        count++;
      }
    }
    this.crossStart = count >= limit ? next : n > 0 ? (this.crossStart + 1) % n : 0;
    return count;
  }

  /** Visits `n` distinct random open runners (fewer if there are fewer). */
  visitRandom(n: number, rng: Prng, visit: RunnerVisitor): void {
    const perm = this.perm;
    const count = Math.min(n, perm.length);
    for (let k = 0; k < count; k++) {
      const j = k + rng.int(perm.length - k);
      const pick = perm[j] as number;
      perm[j] = perm[k] as number;
      perm[k] = pick;
      const code = this.codes[pick] as number;
      const mi = code >> 8;
      visit(this.events[mi] as LiveEvent, this.markets[mi] as SimMarket, code & 0xff);
    }
  }
}
