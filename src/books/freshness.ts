import type { Market, SourceStatus } from '../model/index.js';
import { freshnessContext } from '../contracts/porqpine/freshness.js';

/**
 * When a book is stale. A streamed book (exchange, site) is good as of the last confirmation of its
 * source (a connected stream confirms its quiet markets now); a polled book (an odds API) only as of
 * the poll that last delivered it. A book older than its source's TTL never takes part in best prices
 * or arbitrage.
 */
export interface BookClock {
  now: number;
  /** True when the market's data is older than its source's TTL. */
  isStale(m: Market): boolean;
  /** Epoch ms the market's data is good as of. */
  asOf(m: Market): number;
}

/** TTLs of books, in seconds: a default and per-source overrides. */
export interface BookTtls {
  defaultSec: number;
  bySource: Readonly<Record<string, number>>;
}

/** Sources known to be polled even when this instance does not run them (an API-only instance). */
const POLLED_SOURCES: ReadonlySet<string> = new Set(['oddsapi']);

/** Builds the book clock from the sources' statuses, the read model's last change and the time. */
export function bookClock(
  statuses: readonly SourceStatus[],
  lastChangeAt: number | null,
  now: number,
  ttls: BookTtls,
): BookClock {
  const ctx = freshnessContext(statuses, lastChangeAt, now);
  const polled = new Set(POLLED_SOURCES);
  for (const s of statuses) if (s.kind === 'http-poll') polled.add(s.source);
  const asOf = (m: Market) =>
    polled.has(m.source) ? m.updatedAt : Math.max(m.updatedAt, ctx.confirmedAt(m.source) ?? 0);
  return {
    now,
    asOf,
    isStale: (m) => now - asOf(m) > (ttls.bySource[m.source] ?? ttls.defaultSec) * 1000,
  };
}

/**
 * A clock that never finds a book stale: for bodies cached by data version (Diamond lists), where time
 * cannot enter; closed and suspended books are still left out by bestOf.
 */
export const UNTIMED_CLOCK: BookClock = { now: 0, asOf: (m) => m.updatedAt, isStale: () => false };
