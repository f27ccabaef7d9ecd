/**
 * Which markets the engine quotes and what it sees of each: selectors (`fixture:`, `sport:`, `tournament:`)
 * expanded over the read model's events into match-winner outcomes, and each outcome's fair price (the
 * de-margined consensus of the books oddsgate aggregates, `pricing.fairPrices`), suspension and in-play
 * state from the exchange market it is quoted on.
 */
import { groupBooks, type MarketGroup } from '../books/books.js';
import type { MmStrategy } from '../config/mm.js';
import { exchangeQuotes, type ExchangeBooks } from '../execution/connectors/exchange-selection.js';
import { MATCH_WINNER_OUTCOMES } from '../execution/outcome-keys.js';
import type { Event } from '../model/event.js';
import { fairPrices, type BookPrices } from './pricing.js';
import type { MmMarketConfig } from './quoter.js';

/** A selector with the strategy of the markets it selects. */
export interface MmSelection {
  selector: string;
  strategy: MmStrategy;
}

/** What the engine reads of the read model (ReadModel satisfies it). */
export interface MmBooks extends ExchangeBooks {
  eventList(sportId?: number): Event[];
}

/** True when `selector` selects `event`. */
export function selects(selector: string, event: Event): boolean {
  const i = selector.indexOf(':');
  const kind = selector.slice(0, i);
  const value = selector.slice(i + 1);
  if (kind === 'fixture') return String(event.id) === value;
  if (kind === 'sport') return String(event.sportId) === value;
  if (kind === 'tournament')
    return event.competition !== null && (event.competition.id === value || event.competition.name === value);
  return false;
}

/** The market key of a fixture's outcome. */
export const marketKeyOf = (fixtureId: string, outcomeId: number): string => `${fixtureId}:${outcomeId}`;

/**
 * The markets the selections name now: every match-winner outcome of each selected, not closed event
 * that has an exchange market (the first selection naming an event gives its strategy), at most `max`;
 * events it would only cancel (in play with `cancelInPlay`) come last.
 */
export function selectedMarkets(
  books: MmBooks,
  selections: readonly MmSelection[],
  max: number,
): MmMarketConfig[] {
  const out: MmMarketConfig[] = [];
  const quotes = exchangeQuotes(books);
  const chosen = books
    .eventList()
    .filter((e) => e.status !== 'CLOSED')
    .map((event) => ({ event, sel: selections.find((s) => selects(s.selector, event)) }))
    .filter((x): x is { event: Event; sel: MmSelection } => x.sel !== undefined);
  // events it would not quote (in play, cancelInPlay) last: the cap goes to markets it quotes
  const idle = (x: { event: Event; sel: MmSelection }) => x.event.inPlay && x.sel.strategy.cancelInPlay;
  chosen.sort((a, b) => Number(idle(a)) - Number(idle(b)));
  for (const { event, sel } of chosen) {
    for (const outcomeId of Object.keys(MATCH_WINNER_OUTCOMES).map(Number)) {
      const fixtureId = String(event.id);
      if (!quotes({ fixtureId, outcomeId, playerId: 0, back: true })) continue;
      out.push({ marketKey: marketKeyOf(fixtureId, outcomeId), fixtureId, outcomeId, ...sel.strategy });
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** Each usable book's price of every outcome of a match-winner group (its best back price). */
function bookPrices(group: MarketGroup, fairBooks: readonly string[]): BookPrices[] {
  const byBook = new Map<string, Record<string, number>>();
  for (const o of group.outcomes)
    for (const { book, runner } of o.runners) {
      if (fairBooks.length > 0 && !fairBooks.includes(book.name)) continue;
      if (book.market.status !== 'OPEN' || runner.status !== 'ACTIVE') continue;
      const price = runner.back[0]?.price;
      if (price === undefined) continue;
      const prices = byBook.get(book.name) ?? {};
      prices[o.key] = price;
      byBook.set(book.name, prices);
    }
  return [...byBook].map(([book, prices]) => ({ book, prices }));
}

/** What the engine sees of one market now (exposure is the engine's own). */
export interface MarketState {
  fair: number | null;
  suspended: boolean;
  inPlay: boolean;
  /** Gone: the event or its exchange market is no longer in the read model (closed). */
  gone: boolean;
}

/** The fair price, suspension and in-play state of a market from the read model. */
export function marketState(books: MmBooks, m: MmMarketConfig, fairBooks: readonly string[]): MarketState {
  const event = books.findEvent(m.fixtureId);
  const key = MATCH_WINNER_OUTCOMES[m.outcomeId];
  const quote = exchangeQuotes(books)({
    fixtureId: m.fixtureId,
    outcomeId: m.outcomeId,
    playerId: 0,
    back: true,
  });
  if (!event || !key || !quote) return { fair: null, suspended: true, inPlay: false, gone: true };
  const market = books.marketsOf(event.id).find((x) => x.id === quote.info.marketId);
  const inPlay = event.inPlay || market?.inPlay === true;
  const group = groupBooks(event, books.marketsOf(event.id)).find((g) => g.key === 'MATCH_ODDS');
  const keys = group?.outcomes.map((o) => o.key) ?? [];
  const fair = group && keys.includes(key) ? fairPrices(bookPrices(group, fairBooks), keys) : null;
  const suspended = market?.status !== 'OPEN';
  return { fair: fair?.odds[key] ?? null, suspended, inPlay, gone: false };
}
