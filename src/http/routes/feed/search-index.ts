import type { Event } from '../../../model/index.js';

/** Folds text for matching: accents stripped (NFKD), lower case, punctuation to single spaces. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A search hit: the event, its score and which field matched best. */
export interface SearchHit {
  event: Event;
  score: number;
  matched: 'name' | 'team' | 'competition';
}

function fieldScore(field: string, q: string, tokens: string[]): number {
  if (!field) return 0;
  if (field === q) return 100;
  if (field.startsWith(q)) return 80;
  const words = field.split(' ');
  if (words.some((w) => w.startsWith(q))) return 60;
  if (field.includes(q)) return 40;
  if (tokens.length > 1 && tokens.every((t) => words.some((w) => w.startsWith(t)))) return 30;
  return 0;
}

/**
 * Scores an event against a folded query: name matches rank above team matches, which rank above
 * competition matches; whole-field, prefix, word-prefix and substring matches in that order.
 */
export function scoreEvent(e: Event, q: string): SearchHit | null {
  const tokens = q.split(' ');
  const name = fieldScore(foldText(e.name), q, tokens);
  const team = Math.max(
    fieldScore(foldText(e.team1 ?? ''), q, tokens),
    fieldScore(foldText(e.team2 ?? ''), q, tokens),
  );
  const comp = fieldScore(foldText(e.competition?.name ?? ''), q, tokens);
  const best = Math.max(name * 3, team * 2, comp);
  if (best === 0) return null;
  const matched = best === name * 3 ? 'name' : best === team * 2 ? 'team' : 'competition';
  return { event: e, score: best + (e.inPlay ? 5 : 0), matched };
}

/** Ranked hits for a folded query, best first (in-play first on ties, then soonest), at most `limit`. */
export function searchEvents(events: Iterable<Event>, q: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  for (const e of events) {
    if (e.status === 'CLOSED') continue;
    const hit = scoreEvent(e, q);
    if (hit) hits.push(hit);
  }
  hits.sort(
    (a, b) =>
      b.score - a.score || a.event.startTime.localeCompare(b.event.startTime) || a.event.id - b.event.id,
  );
  return hits.slice(0, limit);
}
