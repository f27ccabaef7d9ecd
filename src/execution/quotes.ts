import { bestOf } from '../books/best.js';
import { groupBooks } from '../books/books.js';
import type { BookClock } from '../books/freshness.js';
import type { ReadModel } from '../read-model/read-model.js';
import { outcomeKeyOf } from './outcome-keys.js';
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
 * Best prices from the read model: the fixture's match-winner market group across every source's book
 * (src/books), the best back price for a back bet and the best lay price for a lay bet.
 */
export function readModelQuotes(readModel: ReadModel, clock: () => BookClock): QuoteSource {
  return {
    best(selection) {
      const key = outcomeKeyOf(selection.outcomeId, selection.playerId);
      const event = key ? readModel.findEvent(selection.fixtureId) : undefined;
      if (!key || !event) return null;
      const group = groupBooks(event, readModel.marketsOf(event.id)).find((g) => g.key === 'MATCH_ODDS');
      if (!group) return null;
      const best = bestOf(group, clock());
      const runner = best.runners.find((r) => r.key === key);
      if (!runner) return null;
      const p = selection.back ? runner.bestBack : runner.bestLay;
      if (!p)
        return runner.suspended ? { price: 0, size: null, book: '', marketId: '', suspended: true } : null;
      return { price: p.price, size: p.size, book: p.book, marketId: p.marketId, suspended: false };
    },
  };
}
