import { bestOf } from '../books/best.js';
import type { BookClock } from '../books/freshness.js';
import type { ReadModel } from '../read-model/read-model.js';
import { catalogueGroups } from './outcome-keys.js';
import type { Selection } from './types.js';

/** The best price of any book for a selection now. */
export interface BestQuote {
  price: number;
  /** What the book shows at that price (null: not said, as bookmakers do). */
  size: number | null;
  book: string;
  marketId: string;
  suspended: boolean;
}

/** Where the paper bookmaker reads prices. */
export interface QuoteSource {
  best(selection: Selection): BestQuote | null;
}

/**
 * Best prices from the read model: for any outcome of the published catalogue (the result, totals lines,
 * handicaps), the fixture's market groups that are its market across every source's book (src/books), the
 * best back price for a back bet and the best lay price for a lay bet.
 */
export function readModelQuotes(readModel: ReadModel, clock: () => BookClock): QuoteSource {
  return {
    best(selection) {
      const event = readModel.findEvent(selection.fixtureId);
      if (!event) return null;
      const where = catalogueGroups(
        event,
        readModel.marketsOf(event.id),
        selection.outcomeId,
        selection.playerId,
      );
      if (!where) return null;
      let best: BestQuote | null = null;
      let suspended = false;
      for (const group of where.groups) {
        const runner = bestOf(group, clock()).runners.find((r) => r.key === where.key);
        if (!runner) continue;
        const p = selection.back ? runner.bestBack : runner.bestLay;
        if (!p) {
          suspended ||= runner.suspended;
          continue;
        }
        const better = !best || (selection.back ? p.price > best.price : p.price < best.price);
        if (better)
          best = { price: p.price, size: p.size, book: p.book, marketId: p.marketId, suspended: false };
      }
      if (best) return best;
      return suspended ? { price: 0, size: null, book: '', marketId: '', suspended: true } : null;
    },
  };
}
