import { splitTeams } from '../model/index.js';
import { nameKey } from './names.js';
import { keySimilarity, MATCH_THRESHOLD } from './teams.js';

/**
 * Whether two events from different sources are the same real match: same sport, start times within a
 * window, and both sides the same (in either order: "A v B", "B @ A"). Events without two sides (races)
 * match only on an equal normalised name and a start within RACE_WINDOW_MS.
 */

/** What matching reads of an event. */
export interface MatchSubject {
  sportId: number;
  name: string;
  team1?: string | null | undefined;
  team2?: string | null | undefined;
  /** ISO 8601. */
  startTime: string;
}

/** Canonical sport ids of sports played by persons (names are read as player names). */
export const INDIVIDUAL_SPORTS: ReadonlySet<number> = new Set([2, 6, 3503, 6422, 2593174, 26420387]);

/** Score of a pair of events where only one side is alike. */
export const ONE_SIDE = 0.5;

/** Start-time tolerance of events without two sides (races go off on the minute). */
export const RACE_WINDOW_MS = 2 * 60_000;

/** The two sides of an event: its teams when given, else split from its name; null when not a fixture. */
export function sidesOf(e: MatchSubject): [string, string] | null {
  if (e.team1 && e.team2) return [e.team1, e.team2];
  const t = splitTeams(e.name);
  return t.team1 && t.team2 ? [t.team1, t.team2] : null;
}

function sideScore(a: readonly [string, string], b: readonly [string, string], individual: boolean): number {
  const opts = { individual };
  const k = (s: string) => nameKey(s, opts);
  const s = (x: string, y: string) => keySimilarity(k(x), k(y), individual);
  const straight = pairScore(s(a[0], b[0]), s(a[1], b[1]));
  const swapped = pairScore(s(a[0], b[1]), s(a[1], b[0]));
  return Math.max(straight, swapped);
}

/** Both sides alike: the weaker score; only one side alike: ONE_SIDE (a near miss, never a match). */
function pairScore(x: number, y: number): number {
  if (x >= MATCH_THRESHOLD && y >= MATCH_THRESHOLD) return Math.min(x, y);
  return Math.max(x, y) >= MATCH_THRESHOLD ? ONE_SIDE : 0;
}

/**
 * How well two events match, 0..1 (≥ MATCH_THRESHOLD: the same match). 0 when the sports differ or the
 * start times are further apart than `windowMs`.
 */
export function eventSimilarity(a: MatchSubject, b: MatchSubject, windowMs: number): number {
  if (a.sportId !== b.sportId) return 0;
  const dt = Math.abs(Date.parse(a.startTime) - Date.parse(b.startTime));
  if (!Number.isFinite(dt) || dt > windowMs) return 0;
  const sa = sidesOf(a);
  const sb = sidesOf(b);
  if (sa && sb) return sideScore(sa, sb, INDIVIDUAL_SPORTS.has(a.sportId));
  if (sa || sb || dt > RACE_WINDOW_MS) return 0;
  const ka = nameKey(a.name).words.join(' ');
  return ka !== '' && ka === nameKey(b.name).words.join(' ') ? 1 : 0;
}

/** True when two events are taken as the same match. */
export function sameEvent(a: MatchSubject, b: MatchSubject, windowMs: number): boolean {
  return eventSimilarity(a, b, windowMs) >= MATCH_THRESHOLD;
}
