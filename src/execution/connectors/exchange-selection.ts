/**
 * Where an execution selection trades on a Betfair-protocol exchange, read from the read model: the
 * fixture's (internal event's) MATCH_ODDS market from an exchange source (Betfair ids: `betfair`, `sim`,
 * `historical`), the runner by the match-winner outcome (101 home = the first runner by sort priority,
 * 103 away = the second, 102 draw = the third), and its best price on the side asked for as the quote.
 */
import type { Market } from '../../model/market.js';
import type { Event } from '../../model/event.js';
import type { Quote, Selection } from '../types.js';
import type { ExchangeSelection } from './betfair-ex.js';

/** The part of the read model the resolver reads. */
export interface ExchangeBooks {
  findEvent(id: string | number): Event | undefined;
  marketsOf(eventId: number): Market[];
}

/** Match-winner outcome id → runner position (by sort priority). */
const RUNNER_OF_OUTCOME: Readonly<Record<number, number>> = { 101: 0, 103: 1, 102: 2 };
/** Sources whose market and selection ids are the exchange's own. */
export const EXCHANGE_SOURCES: readonly string[] = ['betfair', 'sim', 'historical'];

function locate(books: ExchangeBooks, s: Selection, sources: readonly string[]) {
  const pos = RUNNER_OF_OUTCOME[s.outcomeId];
  if (pos === undefined || s.playerId !== 0) return null;
  const event = books.findEvent(s.fixtureId);
  if (!event) return null;
  const market = books
    .marketsOf(event.id)
    .find((m) => m.type === 'MATCH_ODDS' && sources.includes(m.source) && m.status !== 'CLOSED');
  if (!market) return null;
  const runner = [...market.runners].sort((a, b) => a.sortPriority - b.sortPriority)[pos];
  return runner ? { market, runner } : null;
}

/** A resolver for BetfairExConnector's `resolve`. */
export function exchangeSelectionResolver(
  books: ExchangeBooks,
  sources: readonly string[] = EXCHANGE_SOURCES,
): (s: Selection) => ExchangeSelection | null {
  return (s) => {
    const found = locate(books, s, sources);
    return found ? { marketId: found.market.id, selectionId: found.runner.selectionId } : null;
  };
}

/** Quotes for BetfairExConnector's `quotes`: the best back (or lay) level of the exchange market's runner. */
export function exchangeQuotes(
  books: ExchangeBooks,
  currency = 'GBP',
  sources: readonly string[] = EXCHANGE_SOURCES,
): (s: Selection) => Quote | null {
  return (s) => {
    const found = locate(books, s, sources);
    if (!found) return null;
    const level = (s.back ? found.runner.back : found.runner.lay)[0];
    const active = found.market.status === 'OPEN' && found.runner.status === 'ACTIVE' && level !== undefined;
    return {
      price: level?.price ?? 0,
      limit: level?.size ?? null,
      limitMin: found.market.minStake,
      currency,
      active,
      info: { book: found.market.source, marketId: found.market.id, selectionId: found.runner.selectionId },
    };
  };
}
