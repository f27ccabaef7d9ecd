import type { Event, Market, SourceStatus } from '../../model/index.js';

/** Server-side TTLs of the Porqpine surface (seed 001, "Caching, polling, freshness"), in seconds. */
export const TTL_SEC = {
  lists: 30,
  event: 5,
  fancyInPlay: 8,
  fancyPreMatch: 60,
  scores: 10,
  scorecard: 60,
  stream: 30,
  results: 12 * 3600,
  /** /socket-events and /socket-odds are live (no TTL); their data counts as stale after this long. */
  live: 5,
} as const;

/** `Cache-Control` for a TTL in seconds; live routes (0) are not cached by clients or proxies. */
export function cacheControl(ttlSec: number): string {
  return ttlSec > 0 ? `public, max-age=${ttlSec}` : 'no-cache';
}

/**
 * What a response's freshness is judged against: the time, and when each source last confirmed its data.
 * A source that is connected and healthy confirms its data now (a quiet market is not a stale one); a
 * disconnected or degraded one confirms it as of its last upstream update; a source this instance does
 * not run (an API-only instance, a replayed store) counts as current when the update log moved recently.
 */
export interface FreshnessContext {
  now: number;
  /** Epoch ms at which `source` last confirmed its data, or null when unknown. */
  confirmedAt(source: string): number | null;
}

/** Builds a FreshnessContext from the sources' statuses and the read model's last change time. */
export function freshnessContext(
  statuses: readonly SourceStatus[],
  lastChangeAt: number | null,
  now: number,
): FreshnessContext {
  const bySource = new Map<string, number | null>();
  for (const s of statuses) {
    bySource.set(s.source, s.connected && s.state === 'connected' ? now : s.lastUpdateAt);
  }
  return {
    now,
    confirmedAt: (source) => (bySource.has(source) ? (bySource.get(source) ?? null) : lastChangeAt),
  };
}

/** Epoch ms the market's data is known good as of. */
export function marketAsOf(m: Market, ctx: FreshnessContext): number {
  return Math.max(m.updatedAt, ctx.confirmedAt(m.source) ?? 0);
}

/** Epoch ms the event's data is known good as of: its own update, its sources, its markets. */
export function eventAsOf(e: Event, markets: readonly Market[], ctx: FreshnessContext): number {
  let t = e.updatedAt;
  for (const s of Object.keys(e.upstreamIds)) t = Math.max(t, ctx.confirmedAt(s) ?? 0);
  for (const m of markets) t = Math.max(t, marketAsOf(m, ctx));
  return t;
}

/** True when data good as of `asOf` is older than `ttlSec`: it must then be marked stale, not live. */
export function isStale(asOf: number, ttlSec: number, ctx: FreshnessContext): boolean {
  return ctx.now - asOf > ttlSec * 1000;
}

/**
 * A version for ReadModel.serialized that also changes every `granularityMs`, so bodies carrying `stale`
 * flags are rebuilt as time passes even when the data does not change.
 */
export function timedVersion(dataVersion: number, now: number, granularityMs = 1000): number {
  return dataVersion * 2 ** 20 + (Math.floor(now / granularityMs) % 2 ** 20);
}
