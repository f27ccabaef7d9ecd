import type { Event, Market } from '../model/index.js';

/**
 * Completion of events the upstream stopped talking about. An event is taken as finished ("gone") when
 * it is not CLOSED, its start time plus the expected duration of its sport plus `goneAfterMs` has passed,
 * and neither it nor any of its markets changed for `goneAfterMs`. Ingest then closes its open markets,
 * closes the event and records a result inferred from the last prices (unless one is already recorded).
 */
export interface CompletionOptions {
  /** Quiet time after the expected end before an event counts as gone (default 30 min). */
  goneAfterMs: number;
  /** Expected duration of an event of a sport (default: per-sport table, 3 h otherwise). */
  expectedDurationMs: (sportId: number) => number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Typical event length per canonical sport id (the upper end of a normal match, not the record). */
export const EXPECTED_DURATION_MS: Readonly<Record<number, number>> = {
  1: 2 * HOUR, // Football: 90 min + half time + stoppage (extra time is covered by goneAfterMs)
  2: 4 * HOUR, // Tennis: best of five
  3: 8 * HOUR, // Cricket: one-day; Tests keep updating, so they never look quiet
  26: 15 * MIN, // Horse Racing
  4339: 10 * MIN, // Greyhound Racing
  7522: 3 * HOUR, // Basketball
  7524: 3 * HOUR, // Ice Hockey
  468328: 2 * HOUR, // Handball
  998917: 3 * HOUR, // Volleyball
  2593174: HOUR, // Table Tennis
};

/** Default for sports not in the table. */
export const DEFAULT_EXPECTED_DURATION_MS = 3 * HOUR;
/** Default quiet time after the expected end. */
export const DEFAULT_GONE_AFTER_MS = 30 * MIN;

/** Completion options with defaults filled in. */
export function completionOptions(partial: Partial<CompletionOptions> = {}): CompletionOptions {
  return {
    goneAfterMs: partial.goneAfterMs ?? DEFAULT_GONE_AFTER_MS,
    expectedDurationMs:
      partial.expectedDurationMs ??
      ((sportId) => EXPECTED_DURATION_MS[sportId] ?? DEFAULT_EXPECTED_DURATION_MS),
  };
}

/** Epoch ms of the last change to the event or any of its markets. */
export function lastActivity(event: Event, markets: readonly Market[]): number {
  let t = event.updatedAt;
  for (const m of markets) if (m.updatedAt > t) t = m.updatedAt;
  return t;
}

/** True when the event is finished by silence (see CompletionOptions). */
export function isGone(
  event: Event,
  markets: readonly Market[],
  now: number,
  opts: CompletionOptions,
): boolean {
  if (event.status === 'CLOSED') return false;
  const start = Date.parse(event.startTime);
  if (!Number.isFinite(start)) return false;
  if (now < start + opts.expectedDurationMs(event.sportId) + opts.goneAfterMs) return false;
  return now - lastActivity(event, markets) >= opts.goneAfterMs;
}

/** A market as oddsgate closes it when its event is gone: CLOSED, not in play, next version. */
export function closedByCompletion(m: Market, now: number): Market {
  return { ...m, status: 'CLOSED', inPlay: false, updatedAt: now, version: m.version + 1 };
}
