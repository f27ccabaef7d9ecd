import type { Event, Market } from '../model/index.js';
import { backArb, layArb, type Arbitrage } from './arbitrage.js';
import { bestOf, type BestMarket } from './best.js';
import { groupBooks } from './books.js';
import { arbSuspicion, comparableGroup, DEFAULT_ARB_LIMITS, type ArbLimits } from './comparable.js';
import type { BookClock } from './freshness.js';
import { isLineMarket } from './price.js';

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
  /** Why the arbitrage is suspect (edge above the ceiling, ...): kept out of /arbs and the `arbs` room. */
  suspect: string | null;
}

/** Options of an arbitrage scan. */
export interface ArbScanOptions {
  /** Total stake the legs are split from. */
  total: number;
  /** Smallest edge listed, in percent of the total stake. */
  minEdgePct: number;
  sportId?: number;
  /** Edge ceiling and leg freshness (default DEFAULT_ARB_LIMITS). */
  limits?: ArbLimits;
  /** List the suspect arbitrages instead of the sound ones. */
  suspect?: boolean;
}

/**
 * Best prices of each market group of an event in decimal odds (stale and suspended books left out);
 * single-line (fancy) markets have none and are not listed.
 */
export function eventBest(event: Event, markets: readonly Market[], clock: BookClock): BestMarket[] {
  return groupBooks(event, markets)
    .filter((g) => !g.books.some((b) => isLineMarket(b.market)))
    .map((g) => bestOf(g, clock));
}

/**
 * Every arbitrage found on one event's comparable markets (see comparableGroup), sound and suspect
 * (`suspect` says why: an edge above the ceiling, every leg from one book).
 */
export function eventArbCandidates(
  event: Event,
  markets: readonly Market[],
  clock: BookClock,
  total: number,
  limits: ArbLimits = DEFAULT_ARB_LIMITS,
): ArbOpportunity[] {
  if (event.status === 'CLOSED') return [];
  const out: ArbOpportunity[] = [];
  for (const whole of groupBooks(event, markets)) {
    const verdict = comparableGroup(event, whole, clock, limits);
    if (!verdict.ok) continue;
    const best = bestOf(verdict.group, clock);
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
        suspect: arbSuspicion(arb, limits),
      });
    }
  }
  return out;
}

/** The sound arbitrages of one event: comparable markets, edge within the ceiling (see eventArbCandidates). */
export function eventArbs(...args: Parameters<typeof eventArbCandidates>): ArbOpportunity[] {
  return eventArbCandidates(...args).filter((a) => a.suspect === null);
}

/** Every sound arbitrage across the events (or every suspect one, `opts.suspect`), best edge first. */
export function findArbs(
  events: Iterable<Event>,
  marketsOf: (eventId: number) => Market[],
  clock: BookClock,
  opts: ArbScanOptions,
): ArbOpportunity[] {
  const out: ArbOpportunity[] = [];
  for (const e of events) {
    if (opts.sportId !== undefined && e.sportId !== opts.sportId) continue;
    for (const a of eventArbCandidates(e, marketsOf(e.id), clock, opts.total, opts.limits))
      if ((a.suspect !== null) === (opts.suspect ?? false) && a.edgePct >= opts.minEdgePct) out.push(a);
  }
  return out.sort((a, b) => b.edgePct - a.edgePct || a.id.localeCompare(b.id));
}
