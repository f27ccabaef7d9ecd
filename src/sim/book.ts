/**
 * One runner's order book on the simulated exchange: back and lay ladders on the price ladder, the
 * traded ladder, volume and last traded price. Quoting from a fair probability produces the stream
 * deltas (`atb`/`atl` entries, size 0 to remove a price) that turn the previous book into the new one.
 */
import type { Prng } from './random.js';
import type { PricePair, StreamRunnerChange } from './stream-types.js';
import { LAST_TICK_INDEX, MAX_PRICE, MIN_PRICE, ceilIndex, floorIndex, priceAt } from '../model/ticks.js';

/** How a book is quoted around the fair price. */
export interface QuoteStyle {
  /** Half spread as a fraction of the fair odds (0.005 = ±0.5 %). */
  halfSpread: number;
  /** Extra empty ticks between best back and best lay. */
  gapTicks: number;
  /**
   * Widest free spread in ticks before the gap: where ±halfSpread spans more ticks than this (short
   * prices, where ticks are fine), best back is the tick at or below the fair price and best lay this
   * many ticks above it. A real exchange's liquid book is a tick or two wide at any price.
   */
  maxSpreadTicks: number;
  /** Levels per side (≥ 3; fewer only at the ends of the ladder). */
  depth: number;
  /** Typical size (£) at the best level of an even-money runner. */
  liquidity: number;
}

/**
 * Index of the highest price ≤ maxBack, -1 when even 1.01 is above it (the back side is left empty).
 * Exact: floorIndex tolerates 1e-9 above its argument, a limit must not.
 */
function backCapIndex(maxBack: number): number {
  if (maxBack >= MAX_PRICE) return LAST_TICK_INDEX;
  if (maxBack < MIN_PRICE) return -1;
  const i = floorIndex(maxBack);
  return priceAt(i) > maxBack ? i - 1 : i;
}

/** Index of the lowest price ≥ minLay, past the ladder when even 1000 is below it (the lay side is left empty). */
function layFloorIndex(minLay: number): number {
  if (minLay <= MIN_PRICE) return 0;
  if (minLay > MAX_PRICE) return LAST_TICK_INDEX + 1;
  const i = ceilIndex(minLay);
  return priceAt(i) < minLay ? i + 1 : i;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function freshSize(style: QuoteStyle, odds: number, level: number, rng: Prng): number {
  const scale = Math.min(1.5, 3 / Math.sqrt(odds));
  const s = style.liquidity * scale * (1 + 0.7 * level) * Math.exp(0.8 * rng.gauss());
  return Math.max(2, round2(s));
}

const scratchP: number[] = [];
const scratchS: number[] = [];

/**
 * Moves one side of a book (in place) to `depth` ladder prices from index `start` stepping `dir` (−1 for
 * the back side, +1 for the lay side), fewer where the ladder ends (none when `start` is off it), and
 * appends the stream delta to `out`: new or resized prices, and size 0 for prices that left. Sizes stay
 * (with some churn) where a price stays, fresh where it is new.
 */
function requoteSide(
  prices: number[],
  sizes: number[],
  start: number,
  dir: 1 | -1,
  odds: number,
  style: QuoteStyle,
  rng: Prng,
  out: PricePair[],
): void {
  scratchP.length = 0;
  scratchS.length = 0;
  const levels = Math.min(style.depth, dir < 0 ? start + 1 : LAST_TICK_INDEX - start + 1);
  for (let k = 0; k < levels; k++) {
    const p = priceAt(start + dir * k);
    const j = prices.indexOf(p);
    let size: number;
    if (j < 0) size = freshSize(style, odds, k, rng);
    else {
      size = sizes[j] as number;
      if (rng.chance(0.5)) size = Math.max(2, round2(size * Math.exp(0.3 * rng.gauss())));
    }
    scratchP.push(p);
    scratchS.push(size);
    if (j < 0 || sizes[j] !== size) out.push([p, size]);
  }
  for (const p of prices) if (!scratchP.includes(p)) out.push([p, 0]);
  prices.length = 0;
  sizes.length = 0;
  prices.push(...scratchP);
  sizes.push(...scratchS);
}

/** A runner's book. Arrays are best price first. */
export class RunnerBook {
  readonly backP: number[] = [];
  readonly backS: number[] = [];
  readonly layP: number[] = [];
  readonly layS: number[] = [];
  /** price → traded amount at that price. */
  readonly traded = new Map<number, number>();
  tv = 0;
  ltp: number | null = null;
  /** The last quote's best back was held shorter than the fair price asked by the market's limits. */
  backHeld = false;
  /** The last quote's best lay was held longer than the fair price asked by the market's limits. */
  layHeld = false;

  constructor(readonly id: number) {}

  /** Best back price, or null when the back side is empty. */
  get bestBack(): number | null {
    return this.backP[0] ?? null;
  }

  /** Best lay price, or null when the lay side is empty. */
  get bestLay(): number | null {
    return this.layP[0] ?? null;
  }

  /**
   * Requotes the book around fair probability `prob` and returns the change (`atb`/`atl` deltas only
   * where something moved), or null when nothing changed. The best back stays ≤ `maxBack` and the best
   * lay ≥ `minLay` (the market's no-arbitrage limits); a side whose limit is off the ladder is emptied.
   * A near-certain runner is backed at 1.01–1.02 with fewer than `depth` back levels.
   */
  quote(
    prob: number,
    style: QuoteStyle,
    rng: Prng,
    maxBack = Infinity,
    minLay = 0,
  ): StreamRunnerChange | null {
    const odds = 1 / Math.max(prob, 1e-6);
    const gap = style.gapTicks;
    const max = Math.max(1, style.maxSpreadTicks);
    let wideBack = floorIndex(odds * (1 - style.halfSpread));
    let wideLay = ceilIndex(odds * (1 + style.halfSpread));
    if (wideLay - wideBack > max) {
      // back at or below fair, lay at or above it (ceil ≤ floor + 1 ≤ floor + max)
      wideBack = floorIndex(odds);
      wideLay = Math.min(LAST_TICK_INDEX, wideBack + max);
    }
    const freeBack = Math.min(wideBack, LAST_TICK_INDEX - 1 - gap);
    const bi = Math.min(freeBack, backCapIndex(maxBack));
    const freeLay = Math.max(wideLay, bi + 1 + gap);
    const li = Math.max(freeLay, layFloorIndex(minLay));
    this.backHeld = bi < freeBack;
    this.layHeld = li > freeLay;
    const atb: PricePair[] = [];
    const atl: PricePair[] = [];
    requoteSide(this.backP, this.backS, bi, -1, odds, style, rng, atb);
    requoteSide(this.layP, this.layS, li, 1, odds, style, rng, atl);
    if (atb.length === 0 && atl.length === 0) return null;
    const rc: StreamRunnerChange = { id: this.id };
    if (atb.length > 0) rc.atb = atb;
    if (atl.length > 0) rc.atl = atl;
    return rc;
  }

  /**
   * Matches `amount` at the best back (a backer takes the lay offer: side 'lay') or best lay price and
   * adds `trd`, `ltp` and `tv` to `rc`. Returns the amount matched (0 when that side is empty).
   */
  trade(side: 'back' | 'lay', amount: number, rc: StreamRunnerChange): number {
    const price = side === 'back' ? this.bestBack : this.bestLay;
    if (price === null || amount <= 0) return 0;
    const amt = Math.max(2, round2(amount));
    const total = round2((this.traded.get(price) ?? 0) + amt);
    this.traded.set(price, total);
    this.tv = round2(this.tv + amt);
    this.ltp = price;
    (rc.trd ??= []).push([price, total]);
    rc.ltp = price;
    rc.tv = this.tv;
    return amt;
  }

  /**
   * A customer's order takes `amount` offered at `price` on one ladder (`atb`: the back offers a backer
   * takes; `atl`: the lay offers a layer takes): the level shrinks (and leaves the ladder when emptied),
   * the amount is traded at that price, and the deltas go to `rc`. Returns the amount taken (at most what
   * was offered there).
   */
  takeOffered(ladder: 'atb' | 'atl', price: number, amount: number, rc: StreamRunnerChange): number {
    const prices = ladder === 'atb' ? this.backP : this.layP;
    const sizes = ladder === 'atb' ? this.backS : this.layS;
    const i = prices.indexOf(price);
    if (i < 0 || amount <= 0) return 0;
    const taken = round2(Math.min(amount, sizes[i] as number));
    const left = round2((sizes[i] as number) - taken);
    if (left > 0) sizes[i] = left;
    else {
      prices.splice(i, 1);
      sizes.splice(i, 1);
    }
    (rc[ladder] ??= []).push([price, left]);
    const total = round2((this.traded.get(price) ?? 0) + taken);
    this.traded.set(price, total);
    this.tv = round2(this.tv + taken);
    this.ltp = price;
    (rc.trd ??= []).push([price, total]);
    rc.ltp = price;
    rc.tv = this.tv;
    return taken;
  }

  /** Adds volume traded before the simulator saw the market (no delta). */
  seedTraded(price: number, amount: number): void {
    const amt = round2(amount);
    this.traded.set(price, round2((this.traded.get(price) ?? 0) + amt));
    this.tv = round2(this.tv + amt);
    this.ltp = price;
  }

  /** Size at the best level of a side (0 when empty). */
  bestSize(side: 'back' | 'lay'): number {
    return (side === 'back' ? this.backS[0] : this.layS[0]) ?? 0;
  }

  /** The whole runner as an image entry. */
  image(): StreamRunnerChange {
    const rc: StreamRunnerChange = {
      id: this.id,
      atb: this.backP.map((p, i): PricePair => [p, this.backS[i] as number]),
      atl: this.layP.map((p, i): PricePair => [p, this.layS[i] as number]),
      trd: [...this.traded].map(([p, s]): PricePair => [p, s]),
      tv: this.tv,
    };
    if (this.ltp !== null) rc.ltp = this.ltp;
    return rc;
  }
}
