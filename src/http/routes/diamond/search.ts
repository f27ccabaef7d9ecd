import type { Event } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import { compareEvents } from '../../../contracts/diamond/game.js';

/** Letters that Unicode decomposition does not split into a base letter and a mark. */
const FOLD: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Folds text for matching: Unicode compatibility decomposition, accents dropped, lower case, a few
 * undecomposable letters spelled out, everything but letters and digits turned into single spaces.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => FOLD[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

interface Entry {
  event: Event;
  /** Folded title and team names. */
  primary: string[];
  /** Folded competition name. */
  secondary: string[];
}

/** Match quality of a query against one folded field; lower is better, null when it does not match. */
function fieldTier(field: string, q: string): number | null {
  if (field.length === 0) return null;
  if (field === q) return 0;
  if (field.startsWith(q)) return 2;
  if (` ${field}`.includes(` ${q}`)) return 4;
  if (field.includes(q)) return 6;
  return null;
}

function bestTier(fields: readonly string[], q: string, penalty: number): number | null {
  let best: number | null = null;
  for (const f of fields) {
    const t = fieldTier(f, q);
    if (t !== null && (best === null || t + penalty < best)) best = t + penalty;
  }
  return best;
}

/** Every query word starts a word somewhere in the event's fields (any order): the weakest match. */
function allWordsTier(e: Entry, words: readonly string[]): number | null {
  if (words.length < 2) return null;
  const hay = ` ${[...e.primary, ...e.secondary].join(' ')}`;
  return words.every((w) => hay.includes(` ${w}`)) ? 8 : null;
}

/**
 * Rank of an event for a folded query, lower first: exact title/team match (0), exact competition (1),
 * prefix (2/3), word-start (4/5), substring anywhere (6/7) — title and teams before competition — and
 * finally all query words starting words in any order (8). Null when the event does not match.
 */
export function rankEntry(e: Entry, q: string, words: readonly string[]): number | null {
  return bestTier(e.primary, q, 0) ?? bestTier(e.secondary, q, 1) ?? allWordsTier(e, words);
}

/** The result of a search: the best `limit` events, and how many matched in all. */
export interface SearchResult {
  total: number;
  events: Event[];
}

/**
 * Case- and accent-insensitive search over the events' title, teams and competition. The folded index is
 * rebuilt only when the read model changed; CLOSED events are not searched.
 */
export class GameSearch {
  private builtAt = -1;
  private entries: Entry[] = [];

  constructor(private readonly model: ReadModel) {}

  /** Events matching `query`, best first (ties: live first, then start time), at most `limit`. */
  search(query: string, limit: number, sportId?: number): SearchResult {
    const q = foldText(query);
    if (q.length === 0) return { total: 0, events: [] };
    const words = q.split(' ');
    const hits: { e: Event; rank: number }[] = [];
    for (const entry of this.index()) {
      if (sportId !== undefined && entry.event.sportId !== sportId) continue;
      const rank = rankEntry(entry, q, words);
      if (rank !== null) hits.push({ e: entry.event, rank });
    }
    hits.sort((a, b) => a.rank - b.rank || compareEvents(a.e, b.e));
    return { total: hits.length, events: hits.slice(0, limit).map((h) => h.e) };
  }

  private index(): Entry[] {
    const version = this.model.version;
    if (version === this.builtAt) return this.entries;
    this.entries = this.model
      .eventList()
      .filter((e) => e.status !== 'CLOSED')
      .map((event) => ({
        event,
        primary: [event.name, event.team1 ?? '', event.team2 ?? ''].map(foldText),
        secondary: [foldText(event.competition?.name ?? '')],
      }));
    this.builtAt = version;
    return this.entries;
  }
}
