/**
 * One runner's order book on the simulated exchange: back and lay ladders on the price ladder, the
 * traded ladder, volume and last traded price. Quoting from a fair probability produces the stream
 * deltas (`atb`/`atl` entries, size 0 to remove a price) that turn the previous book into the new one.
 */
import type { Prng } from './random.js';
import type { PricePair, StreamRunnerChange } from './stream-types.js';
import { LAST_TICK_INDEX, ceilIndex, floorIndex, priceAt } from './ticks.js';

/** How a book is quoted around the fair price. */
export interface QuoteStyle {
  /** Half spread as a fraction of the fair odds (0.005 = ±0.5 %). */
  halfSpread: number;
  /** Extra empty ticks between best back and best lay. */
  gapTicks: number;
  /** Levels per side (≥ 3). */
  depth: number;
  /** Typical size (£) at the best level of an even-money runner. */
  liquidity: number;
}

/** Odds are kept where three levels fit on both sides of the ladder. */
const MIN_ODDS = 1.03;
const MAX_ODDS = 950;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function freshSize(style: QuoteStyle, odds: number, level: number, rng: Prng): number {
  const scale = Math.min(1.5, 3 / Math.sqrt(odds));
  const s = style.liquidity * scale * (1 + 0.7 * level) * Math.exp(0.8 * rng.gauss());
  return Math.max(2, round2(s));
}

/** Sets `prices`/`sizes` to a new side of the book and appends the stream delta to `out`. */
function diffSide(oldP: number[], oldS: number[], newP: number[], newS: number[], out: PricePair[]): void {
  for (let i = 0; i < oldP.length; i++) {
    const p = oldP[i] as number;
    if (!newP.includes(p)) out.push([p, 0]);
  }
  for (let i = 0; i < newP.length; i++) {
    const p = newP[i] as number;
    const j = oldP.indexOf(p);
    if (j < 0 || oldS[j] !== newS[i]) out.push([p, newS[i] as number]);
  }
}

/** A runner's book. Arrays are best price first. */
export class RunnerBook {
  backP: number[] = [];
  backS: number[] = [];
  layP: number[] = [];
  layS: number[] = [];
  /** price → traded amount at that price. */
  readonly traded = new Map<number, number>();
  tv = 0;
  ltp: number | null = null;

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
   * where something moved), or null when nothing changed.
   */
  quote(prob: number, style: QuoteStyle, rng: Prng): StreamRunnerChange | null {
    const odds = Math.min(MAX_ODDS, Math.max(MIN_ODDS, 1 / Math.max(prob, 1e-6)));
    let bi = Math.max(style.depth - 1, floorIndex(odds * (1 - style.halfSpread)));
    let li = Math.max(bi + 1 + style.gapTicks, ceilIndex(odds * (1 + style.halfSpread)));
    if (li > LAST_TICK_INDEX - style.depth + 1) {
      li = LAST_TICK_INDEX - style.depth + 1;
      bi = Math.min(bi, li - 1 - style.gapTicks);
    }
    const newBackP: number[] = [];
    const newLayP: number[] = [];
    for (let k = 0; k < style.depth; k++) {
      newBackP.push(priceAt(bi - k));
      newLayP.push(priceAt(li + k));
    }
    const newBackS = this.sizes(this.backP, this.backS, newBackP, odds, style, rng);
    const newLayS = this.sizes(this.layP, this.layS, newLayP, odds, style, rng);
    const atb: PricePair[] = [];
    const atl: PricePair[] = [];
    diffSide(this.backP, this.backS, newBackP, newBackS, atb);
    diffSide(this.layP, this.layS, newLayP, newLayS, atl);
    this.backP = newBackP;
    this.backS = newBackS;
    this.layP = newLayP;
    this.layS = newLayS;
    if (atb.length === 0 && atl.length === 0) return null;
    const rc: StreamRunnerChange = { id: this.id };
    if (atb.length > 0) rc.atb = atb;
    if (atl.length > 0) rc.atl = atl;
    return rc;
  }

  /** Sizes for new price levels: kept (with some churn) where the price stays, fresh where it is new. */
  private sizes(
    oldP: number[],
    oldS: number[],
    newP: number[],
    odds: number,
    style: QuoteStyle,
    rng: Prng,
  ): number[] {
    const out: number[] = [];
    for (let k = 0; k < newP.length; k++) {
      const j = oldP.indexOf(newP[k] as number);
      if (j < 0) out.push(freshSize(style, odds, k, rng));
      else {
        const s = oldS[j] as number;
        out.push(rng.chance(0.5) ? Math.max(2, round2(s * Math.exp(0.3 * rng.gauss()))) : s);
      }
    }
    return out;
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
