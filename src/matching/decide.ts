import type { MatchSubject } from './events.js';
import { eventSimilarity } from './events.js';
import { MATCH_THRESHOLD } from './teams.js';

/** An existing event a new upstream event may be linked to. */
export interface MatchCandidate extends MatchSubject {
  id: number;
  /** Source → upstream id of the sources the event already has. */
  upstreamIds: Readonly<Record<string, string>>;
}

/** A candidate with its score. */
export interface ScoredCandidate {
  eventId: number;
  name: string;
  startTime: string;
  score: number;
}

/** The outcome of matching one new upstream event against the events already known. */
export type MatchDecision =
  | { kind: 'match'; eventId: number; score: number }
  | { kind: 'ambiguous'; candidates: ScoredCandidate[] }
  | { kind: 'none'; near: ScoredCandidate[] };

/** Tunables of decideMatch. */
export interface DecideOptions {
  /** Largest start-time difference of one match across sources. */
  windowMs: number;
  /** Event ids this upstream event must not be linked to (manual unlinks). */
  excluded?: ReadonlySet<number>;
}

/** Candidates scoring this much below the match threshold are listed as near misses for an operator. */
const NEAR_SCORE = 0.5;
/** The best candidate must lead the next one by this much; otherwise the choice is ambiguous. */
const LEAD = 0.1;
/** Near misses and ambiguous candidates listed at most. */
const LISTED = 5;

/**
 * Picks the one existing event a new upstream event of `source` is the same match as. An event that
 * already has an upstream id of `source` is never a candidate (a source names each match once). Two
 * or more equally good candidates are ambiguous: the new event then stays separate.
 */
export function decideMatch(
  source: string,
  subject: MatchSubject,
  candidates: Iterable<MatchCandidate>,
  opts: DecideOptions,
): MatchDecision {
  const scored: ScoredCandidate[] = [];
  for (const c of candidates) {
    if (Object.hasOwn(c.upstreamIds, source) || opts.excluded?.has(c.id)) continue;
    const score = eventSimilarity(subject, c, opts.windowMs);
    if (score >= NEAR_SCORE) scored.push({ eventId: c.id, name: c.name, startTime: c.startTime, score });
  }
  scored.sort((a, b) => b.score - a.score || a.eventId - b.eventId);
  const good = scored.filter((s) => s.score >= MATCH_THRESHOLD);
  const [best, second] = good;
  if (best && (!second || best.score - second.score >= LEAD)) {
    return { kind: 'match', eventId: best.eventId, score: best.score };
  }
  if (best) return { kind: 'ambiguous', candidates: good.slice(0, LISTED) };
  return { kind: 'none', near: scored.slice(0, LISTED) };
}
