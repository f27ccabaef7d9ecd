import type { Event, Market } from '../model/index.js';
import { backArb, layArb, type Arbitrage } from './arbitrage.js';
import { bestOf, type BestMarket } from './best.js';
import { groupBooks } from './books.js';
import type { BookClock } from './freshness.js';

/** An arbitrage found on an event, with what identifies it. */
export interface ArbOpportunity extends Arbitrage {
  /** `<eventId>:<market group>:<kind>`: stable while the same arbitrage lasts. */
  id: string;
  eventId: number;
  eventName: string;
  sportId: number;
  startTime: string;
  inPlay: boolean;
  market: string;
  marketName: string;
  /** Books whose prices were compared (stale ones never are). */
  books: string[];
}

/** Options of an arbitrage scan. */
export interface ArbScanOptions {
  /** Total stake the legs are split from. */
  total: number;
  /** Smallest edge listed, in percent of the total stake. */
  minEdgePct: number;
  sportId?: number;
}

/** Best prices of each market group of an event (stale books left out). */
export function eventBest(event: Event, markets: readonly Market[], clock: BookClock): BestMarket[] {
  return groupBooks(event, markets).map((g) => bestOf(g, clock));
}

/** The arbitrages of one event (single-winner markets only). */
export function eventArbs(
  event: Event,
  markets: readonly Market[],
  clock: BookClock,
  total: number,
): ArbOpportunity[] {
  if (event.status === 'CLOSED') return [];
  const out: ArbOpportunity[] = [];
  for (const group of groupBooks(event, markets)) {
    // a market with several winners (to be placed) prices each runner against more than one payout
    if (group.books.some((b) => (b.market.numberOfWinners ?? 1) > 1)) continue;
    const best = bestOf(group, clock);
    for (const arb of [backArb(best, total), layArb(best, total)]) {
      if (!arb) continue;
      out.push({
        ...arb,
        id: `${event.id}:${best.key}:${arb.kind}`,
        eventId: event.id,
        eventName: event.name,
        sportId: event.sportId,
        startTime: event.startTime,
        inPlay: event.inPlay,
        market: best.key,
        marketName: best.name,
        books: best.books,
      });
    }
  }
  return out;
}

/** Every arbitrage across the events, best edge first. */
export function findArbs(
  events: Iterable<Event>,
  marketsOf: (eventId: number) => Market[],
  clock: BookClock,
  opts: ArbScanOptions,
): ArbOpportunity[] {
  const out: ArbOpportunity[] = [];
  for (const e of events) {
    if (opts.sportId !== undefined && e.sportId !== opts.sportId) continue;
    for (const a of eventArbs(e, marketsOf(e.id), clock, opts.total))
      if (a.edgePct >= opts.minEdgePct) out.push(a);
  }
  return out.sort((a, b) => b.edgePct - a.edgePct || a.id.localeCompare(b.id));
}
