import type { Event, Runner } from '../model/index.js';
import type { Book, MarketGroup } from './books.js';
import type { BookClock } from './freshness.js';
import { isLineMarket, priceUnit } from './price.js';

/**
 * Which books of a market group may be legs of one arbitrage. An arbitrage is only sound across
 * comparable markets: the same market type and line, runners mapped one to one, every leg's market open
 * (not suspended) and fresher than `maxAgeMs`. Single-line (fancy) markets and markets with several
 * winners never are. Refusals say why, for the suspect report and for debugging.
 */

/** Limits of arbitrage (config books.arbMaxEdge / books.arbMaxAgeMs). */
export interface ArbLimits {
  /** Edges above this fraction of the total stake (0.10 = 10%) are suspect, never listed as arbitrages. */
  maxEdge: number;
  /** A leg's data must be at most this old (ms, by the book clock). */
  maxAgeMs: number;
}

export const DEFAULT_ARB_LIMITS: ArbLimits = { maxEdge: 0.1, maxAgeMs: 60_000 };

/** A book left out of a group's arbitrage, and why. */
export interface RefusedBook {
  book: string;
  marketId: string;
  reason: string;
}

/** The verdict on a group: the comparable part of it, or why none is. */
export type Comparability =
  | { ok: true; group: MarketGroup; refused: RefusedBook[] }
  | { ok: false; reason: string; refused: RefusedBook[] };

/** Runners that are still running (a removed or settled runner is no outcome to cover). */
const LIVE: ReadonlySet<Runner['status']> = new Set(['ACTIVE', 'SUSPENDED']);

/** Why a book cannot be a leg of the group's arbitrage, or null when it can. */
function bookRefusal(
  book: Book,
  group: MarketGroup,
  keyOf: Map<Runner, string>,
  outcomes: ReadonlySet<string>,
  clock: BookClock,
  limits: ArbLimits,
): string | null {
  const m = book.market;
  if (m.status !== 'OPEN') return `market ${m.status.toLowerCase()}`;
  if (clock.isStale(m)) return 'stale (older than its source TTL)';
  const age = clock.now - clock.asOf(m);
  if (age > limits.maxAgeMs) return `prices ${Math.round(age)} ms old (limit ${limits.maxAgeMs} ms)`;
  const line = group.line === null ? 0 : Math.abs(group.line);
  if (m.runners.some((r) => LIVE.has(r.status) && r.handicap !== 0 && Math.abs(r.handicap) !== line))
    return `runner lines differ from the group's line ${group.line ?? 0}`;
  const keys = m.runners.filter((r) => LIVE.has(r.status)).map((r) => keyOf.get(r) ?? '');
  const distinct = new Set(keys);
  if (distinct.size !== keys.length) return 'several runners map to one outcome';
  if (distinct.size !== outcomes.size || [...distinct].some((k) => !outcomes.has(k)))
    return `runners [${[...distinct].join(', ')}] do not map one to one onto [${[...outcomes].join(', ')}]`;
  return null;
}

/**
 * The comparable part of a market group for arbitrage: the group with only the books whose markets may
 * be legs (each refused book with its reason), or a refusal of the whole group with its reason.
 */
export function comparableGroup(
  event: Event,
  group: MarketGroup,
  clock: BookClock,
  limits: ArbLimits = DEFAULT_ARB_LIMITS,
): Comparability {
  if (event.status === 'CLOSED') return { ok: false, reason: 'event closed', refused: [] };
  if (group.books.some((b) => isLineMarket(b.market)))
    return { ok: false, reason: 'single-line (fancy) Yes/No market', refused: [] };
  if (group.books.some((b) => (b.market.numberOfWinners ?? 1) > 1))
    return { ok: false, reason: 'market with several winners', refused: [] };
  if (new Set(group.books.map((b) => b.market.type)).size > 1 && group.type !== 'MATCH_ODDS')
    return { ok: false, reason: 'different market types', refused: [] };
  if (new Set(group.books.map((b) => priceUnit(b.market))).size > 1)
    return { ok: false, reason: 'books quote in different units', refused: [] };
  const keyOf = new Map<Runner, string>();
  const outcomes = new Set<string>();
  for (const o of group.outcomes)
    for (const { runner } of o.runners) {
      keyOf.set(runner, o.key);
      if (LIVE.has(runner.status)) outcomes.add(o.key);
    }
  if (outcomes.size < 2) return { ok: false, reason: 'fewer than two outcomes', refused: [] };
  const refused: RefusedBook[] = [];
  const kept = new Set<Book>();
  for (const book of group.books) {
    const reason = bookRefusal(book, group, keyOf, outcomes, clock, limits);
    if (reason === null) kept.add(book);
    else refused.push({ book: book.name, marketId: book.market.id, reason });
  }
  if (kept.size === 0)
    return {
      ok: false,
      reason: `no comparable book (${refused.map((r) => `${r.book}: ${r.reason}`).join('; ')})`,
      refused,
    };
  return {
    ok: true,
    refused,
    group: {
      ...group,
      books: group.books.filter((b) => kept.has(b)),
      outcomes: group.outcomes.map((o) => ({ ...o, runners: o.runners.filter((x) => kept.has(x.book)) })),
    },
  };
}

/** Why a found arbitrage is suspect (kept out of /arbs and the `arbs` room), or null when it is sound. */
export function arbSuspicion(
  arb: { edgePct: number; legs: readonly { book: string }[] },
  limits: ArbLimits = DEFAULT_ARB_LIMITS,
): string | null {
  if (!(arb.edgePct <= limits.maxEdge * 100))
    return `edge ${arb.edgePct.toFixed(2)}% above the ceiling of ${(limits.maxEdge * 100).toFixed(2)}%`;
  if (new Set(arb.legs.map((l) => l.book)).size < 2)
    return "every leg from one book: the book's own prices cross (a data or unit error, not an arbitrage)";
  return null;
}
