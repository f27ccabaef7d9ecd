import type { Event, Market } from '../model/index.js';
import { bestOf } from './best.js';
import { groupBooks } from './books.js';
import { UNTIMED_CLOCK, type BookClock } from './freshness.js';
import { isLineMarket } from './price.js';

/** A best price across books as Diamond shows it beside a runner. */
export interface BestPrice {
  price: number;
  /** null when the book gives no size (bookmakers). */
  size: number | null;
  book: string;
}

/** A runner's best back and lay across every book of its market. */
export interface RunnerBest {
  bestBack: BestPrice | null;
  bestLay: BestPrice | null;
}

/**
 * Best back and lay across books for each runner (by selection id) of `headline`, comparing it with the
 * same market of the event's other books (other sources, other bookmakers). Prices are compared in
 * decimal odds and shown in the headline's own unit (a bookmaker headline keeps its rates); a fancy
 * headline has none; a suspended market offers none.
 */
export function headlineBest(
  event: Event,
  markets: readonly Market[],
  headline: Market,
  clock: BookClock = UNTIMED_CLOCK,
): Map<number, RunnerBest> {
  const out = new Map<number, RunnerBest>();
  if (isLineMarket(headline)) return out;
  const group = groupBooks(event, markets).find((g) => g.books.some((b) => b.market.id === headline.id));
  if (!group) return out;
  const best = bestOf(group, clock);
  group.outcomes.forEach((o, i) => {
    const b = best.runners[i];
    if (!b) return;
    const pick = (p: typeof b.bestBack) =>
      p ? { price: p.rate ?? p.price, size: p.size, book: p.book } : null;
    for (const { book, runner } of o.runners) {
      if (book.market.id === headline.id)
        out.set(runner.selectionId, { bestBack: pick(b.bestBack), bestLay: pick(b.bestLay) });
    }
  });
  return out;
}
