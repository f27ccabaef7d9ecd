import { round2 } from '../../execution/rows.js';
import type { RunnerBook } from './book.js';

/**
 * The paper fill model of the backtest: how a quote resting on the replayed exchange would have filled,
 * and how a hedge takes the replayed book. Conservative and deterministic:
 *
 * - A resting **back** quote at p fills when a layer shows up at p or better for us — the replayed best
 *   back price is ≥ p (the book crosses it: up to the size shown there) — or when the runner traded
 *   *through* it — last traded price > p while volume grew (up to the volume gained). A trade exactly at p
 *   never fills it: where we stood in the queue is unknown. A **lay** quote at q mirrors it (best lay ≤ q,
 *   or last traded price < q).
 * - It fills at its own price p (price improvement goes to the taker), for at most its remaining size.
 * - The book's liquidity is used once: what our fills and hedges took at a best price is remembered
 *   (`Taken`) and not offered again while that price stays best; traded volume is shared by every quote of
 *   the runner in the step.
 * - A hedge takes the best price on its side of the replayed book, up to the size shown there (less what
 *   we took already); the rest waits for the next step.
 */

/** Liquidity we took at the best price of each runner's side of the book, forgotten when that price moves. */
export class Taken {
  private readonly at = new Map<string, { price: number; size: number }>();

  /** What is still offered at `price` on the side (`back`: the back column) of what the book shows. */
  left(selectionId: number, back: boolean, price: number, shown: number): number {
    const t = this.at.get(`${selectionId}:${back}`);
    return Math.max(0, round2(shown - (t && t.price === price ? t.size : 0)));
  }

  /** Records `size` taken at `price`. */
  take(selectionId: number, back: boolean, price: number, size: number): void {
    const key = `${selectionId}:${back}`;
    const t = this.at.get(key);
    const before = t && t.price === price ? t.size : 0;
    this.at.set(key, { price, size: round2(before + size) });
  }
}

/** A quote's unmatched remainder. */
export interface OpenQuote {
  back: boolean;
  price: number;
  size: number;
}

/** What a quote filled in one step: its size, taken off the shown book first, the rest off the traded volume. */
export interface QuoteFill {
  size: number;
  fromBook: number;
  fromTraded: number;
}

/**
 * The size a resting quote fills in a step, given the runner's replayed book, the volume traded in the step
 * not yet used by another quote (`traded`), and the liquidity taken already.
 */
export function quoteFill(
  q: OpenQuote,
  selectionId: number,
  book: RunnerBook,
  traded: number,
  taken: Taken,
): QuoteFill {
  // Our back is matched by layers: the back column (their offers to be backed) and trades above p.
  const best = q.back ? book.back : book.lay;
  const crosses = best !== null && (q.back ? best >= q.price : best <= q.price);
  const shown = q.back ? book.backSize : book.laySize;
  const onBook = crosses ? taken.left(selectionId, q.back, best, shown) : 0;
  const through = book.ltp !== null && (q.back ? book.ltp > q.price : book.ltp < q.price);
  const onTape = through ? Math.max(0, traded) : 0;
  const size = round2(Math.min(q.size, Math.max(onBook, onTape)));
  if (size <= 0) return { size: 0, fromBook: 0, fromTraded: 0 };
  const fromBook = round2(Math.min(size, onBook));
  return { size, fromBook, fromTraded: round2(size - fromBook) };
}

/** What the book offers a hedge now: the best price on its side and what is left there for us. */
export interface HedgeOffer {
  price: number;
  size: number;
}

/**
 * What the replayed book offers a hedge bet (`back`: we back) now: the best price on that side, up to the
 * size shown there less what we took. Null when the side shows no price.
 */
export function hedgeOffer(
  back: boolean,
  selectionId: number,
  book: RunnerBook,
  taken: Taken,
): HedgeOffer | null {
  const price = back ? book.back : book.lay;
  if (price === null) return null;
  return { price, size: taken.left(selectionId, back, price, back ? book.backSize : book.laySize) };
}
