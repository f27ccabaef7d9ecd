import type { Event } from '../model/index.js';
import type { Market } from '../model/index.js';
import type { BestMarket, BookPrice } from './best.js';
import { groupBooks, type MarketGroup } from './books.js';
import type { BookClock } from './freshness.js';
import { eventBest, type ArbOpportunity } from './scan.js';

/**
 * Feed (Porqpine-style, snake_case) renderings of books: `view=best` and `view=all` of
 * /event/:id/odds, and the /arbs list.
 */

/** A best price: `odds` always decimal; a rate-quoted (bookmaker) book's quoted rate as `rate`. */
function price(p: BookPrice | null) {
  return p === null
    ? null
    : {
        odds: p.price,
        ...(p.rate === undefined ? {} : { rate: p.rate }),
        size: p.size,
        book: p.book,
        source: p.source,
        market_id: p.marketId,
      };
}

/**
 * `best` of /event/:id/odds?view=best: per market group, each runner's best back and lay (decimal odds)
 * and their books; a group no book offers open prices for is `status: "SUSPENDED"` with no best price.
 */
export function renderBest(best: readonly BestMarket[]) {
  return best.map((m) => ({
    market: m.key,
    type: m.type,
    line: m.line,
    market_name: m.name,
    status: m.status,
    books: m.books,
    stale_books: m.staleBooks,
    suspended_books: m.suspendedBooks,
    back_overround: m.backOverround,
    lay_overround: m.layOverround,
    selections: m.runners.map((r) => ({
      key: r.key,
      name: r.name,
      best_back: price(r.bestBack),
      best_lay: price(r.bestLay),
      suspended: r.suspended,
    })),
  }));
}

/** `books` of /event/:id/odds?view=all: per market group, every book with its prices and staleness. */
export function renderAll(groups: readonly MarketGroup[], clock: BookClock) {
  return groups.map((g) => ({
    market: g.key,
    type: g.type,
    line: g.line,
    market_name: g.name,
    books: g.books.map((b) => ({
      book: b.name,
      source: b.source,
      market_id: b.market.id,
      market_name: b.market.name,
      status: b.market.status,
      stale: clock.isStale(b.market),
      updatedAt: b.market.updatedAt,
      selections: b.market.runners.map((r) => ({
        key: g.outcomes.find((o) => o.runners.some((x) => x.runner === r))?.key ?? null,
        name: r.name,
        selection_id: r.selectionId,
        status: r.status,
        back: r.back.map((l, i) => ({ level: i + 1, odds: l.price, size: l.size })),
        lay: r.lay.map((l, i) => ({ level: i + 1, odds: l.price, size: l.size })),
      })),
    })),
  }));
}

/** One /arbs entry. */
export function renderArb(a: ArbOpportunity, event: Event | undefined) {
  return {
    id: a.id,
    internal_id: String(a.eventId),
    event_name: a.eventName,
    sport_id: a.sportId,
    start_time: a.startTime,
    in_play: a.inPlay,
    sources: event?.upstreamIds ?? {},
    market: a.market,
    market_name: a.marketName,
    kind: a.kind,
    sum: a.sum,
    edge_pct: a.edgePct,
    total: a.total,
    profit: a.profit,
    max_total: a.maxTotal,
    books: a.books,
    ...(a.suspect === null ? {} : { suspect: a.suspect }),
    legs: a.legs.map((l) => ({
      selection: l.runner,
      name: l.name,
      odds: l.price,
      ...(l.rate === undefined ? {} : { rate: l.rate }),
      book: l.book,
      source: l.source,
      market_id: l.marketId,
      stake: l.stake,
      payout: l.payout,
      liability: l.liability,
      size: l.size,
    })),
  };
}

/** What `arb_closed` carries of an arbitrage that vanished (the /arbs entry's ids). */
export function renderArbClosed(a: ArbOpportunity) {
  return { id: a.id, internal_id: String(a.eventId), market: a.market, kind: a.kind };
}

/** The `?view=` of /event/:id/odds. */
export type OddsView = 'best' | 'all';

/** Parses `?view=`: undefined when absent (the default response), else best or all; null when invalid. */
export function parseOddsView(raw: unknown): OddsView | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  return raw === 'best' || raw === 'all' ? raw : null;
}

/**
 * The additive fields of /event/:id/odds for a view: `best` (best back and lay per runner across books,
 * stale books left out) or `books` (every book, stale ones flagged).
 */
export function oddsView(event: Event, markets: readonly Market[], clock: BookClock, view: OddsView) {
  if (view === 'best') return { view, best: renderBest(eventBest(event, markets, clock)) };
  return { view, books: renderAll(groupBooks(event, markets), clock) };
}
