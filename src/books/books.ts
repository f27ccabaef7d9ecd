import type { Event, Market, Runner } from '../model/index.js';
import { INDIVIDUAL_SPORTS, sidesOf } from '../matching/events.js';
import { nameKey } from '../matching/names.js';
import { MATCH_THRESHOLD, teamSimilarity } from '../matching/teams.js';
import { isLineMarket } from './price.js';

/**
 * Books side by side: an event's markets grouped so that the same market offered by several books (the
 * exchange, a betting site, each bookmaker of an odds API) can be compared runner by runner.
 *
 * A book is one source's market; sources that carry several bookmakers (MULTI_BOOK_SOURCES) name their
 * markets `<source>:<upstream event>:<bookmaker>:<market>` and each bookmaker is a book
 * (`<source>/<bookmaker>`).
 */

/** One book of a market group: a market and who offers it. */
export interface Book {
  /** "betfair", "imatchodds", "oddsapi/pinnacle", ... */
  name: string;
  source: string;
  market: Market;
}

/** A runner of a group (the same selection across books), with each book's runner. */
export interface GroupOutcome {
  /** "home", "away", "draw", "over", "under", or the normalised runner name. */
  key: string;
  /** Display name (from the first book that has it). */
  name: string;
  runners: { book: Book; runner: Runner }[];
}

/** The same market across books. */
export interface MarketGroup {
  /** Market type, plus the line for handicap and totals markets ("TOTALS:2.5"). */
  key: string;
  type: string;
  line: number | null;
  name: string;
  books: Book[];
  outcomes: GroupOutcome[];
}

/** Market types that are the match-winner market under another name. */
const MATCH_WINNER_TYPES: ReadonlySet<string> = new Set([
  'MATCH_ODDS',
  'MONEY_LINE',
  'HEAD_TO_HEAD',
  'MATCH_BETTING',
]);
const DRAW_NAMES: ReadonlySet<string> = new Set(['draw', 'the draw', 'x', 'tie']);

/** Sources that carry several bookmakers, each a book of its own. */
export const MULTI_BOOK_SOURCES: ReadonlySet<string> = new Set(['oddsapi']);

/** The book a market belongs to (see the module doc). */
export function bookName(m: Market): string {
  if (!MULTI_BOOK_SOURCES.has(m.source)) return m.source;
  const parts = m.id.split(':');
  return parts.length >= 4 && parts[0] === m.source && parts[2] ? `${m.source}/${parts[2]}` : m.source;
}

/** A market name as a key: lower case, spaces collapsed, numbers kept ("6 over runs" ≠ "20 over runs"). */
function nameAsKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * The group key of a market: match-winner types share one; handicap and totals markets are split by
 * line (the home side's handicap, or the totals line). A single-line (fancy) market is a group of its
 * own, keyed by its name with its numbers ("FANCY:6 over runs india"), never one multi-runner market.
 */
export function groupKeyOf(m: Market, event: Event): { key: string; type: string; line: number | null } {
  if (isLineMarket(m)) return { key: `${m.type}:${nameAsKey(m.name)}`, type: m.type, line: null };
  const type = MATCH_WINNER_TYPES.has(m.type) ? 'MATCH_ODDS' : m.type;
  const lined = m.runners.filter((r) => r.handicap !== 0);
  const home = lined.find((r) => outcomeKey(r, event) === 'home');
  const line = (home ?? lined[0])?.handicap ?? null;
  return { key: line === null ? type : `${type}:${line}`, type, line };
}

/** The key of a runner within its group (see GroupOutcome.key). */
export function outcomeKey(r: Runner, event: Event, m?: Market): string {
  if (m && isLineMarket(m)) return nameAsKey(r.name);
  return memoOutcome(event, r.name);
}

/** Most runner names remembered per event object (more means churning names: start over). */
const MAX_NAMES_PER_EVENT = 512;

/**
 * Outcome keys by runner name, per event object (stored events are immutable: a changed event is a new
 * object, so its names are keyed afresh, and the memo goes with the object). The arbitrage tracker
 * groups every changed event's books every 50 ms and each grouping keys every runner; keying one name
 * costs five name lookups and two team comparisons, and was a fifth of an idle server's CPU.
 */
const outcomeMemo = new WeakMap<Event, Map<string, string>>();

function memoOutcome(event: Event, name: string): string {
  let names = outcomeMemo.get(event);
  if (!names || names.size >= MAX_NAMES_PER_EVENT) outcomeMemo.set(event, (names = new Map()));
  let key = names.get(name);
  if (key === undefined) names.set(name, (key = namedOutcomeKey(name, event)));
  return key;
}

function namedOutcomeKey(name: string, event: Event): string {
  const plain = name.trim().toLowerCase();
  if (DRAW_NAMES.has(plain)) return 'draw';
  const first = plain.split(/\s+/)[0] ?? '';
  if (first === 'over' || first === 'under') return first;
  const sides = sidesOf(event);
  if (sides) {
    const opts = { individual: INDIVIDUAL_SPORTS.has(event.sportId) };
    const home = teamSimilarity(name, sides[0], opts);
    const away = teamSimilarity(name, sides[1], opts);
    if (Math.max(home, away) >= MATCH_THRESHOLD && home !== away) return home > away ? 'home' : 'away';
  }
  return nameKey(name).words.join(' ') || plain;
}

function addRunner(outcomes: Map<string, GroupOutcome>, book: Book, r: Runner, event: Event): void {
  const key = outcomeKey(r, event, book.market);
  let o = outcomes.get(key);
  if (!o) outcomes.set(key, (o = { key, name: r.name, runners: [] }));
  o.runners.push({ book, runner: r });
}

/** Groups an event's markets (closed ones left out) into comparable market groups, books in input order. */
export function groupBooks(event: Event, markets: readonly Market[]): MarketGroup[] {
  const groups = new Map<string, MarketGroup & { byKey: Map<string, GroupOutcome> }>();
  for (const m of markets) {
    if (m.status === 'CLOSED') continue;
    const { key, type, line } = groupKeyOf(m, event);
    let g = groups.get(key);
    if (!g)
      groups.set(key, (g = { key, type, line, name: m.name, books: [], outcomes: [], byKey: new Map() }));
    const book: Book = { name: bookName(m), source: m.source, market: m };
    g.books.push(book);
    for (const r of m.runners) addRunner(g.byKey, book, r, event);
  }
  return [...groups.values()].map(({ byKey, ...g }) => ({ ...g, outcomes: [...byKey.values()] }));
}
