import {
  NAME_ALIASES,
  NOISE_WORDS,
  RESERVE_WORDS,
  WOMEN_WORDS,
  WORD_ALIASES,
  YOUTH_WORDS,
} from './aliases.js';
import { LRUCache } from 'lru-cache';

/**
 * Team and player name normalisation for cross-source matching: case, accents, punctuation, common
 * abbreviations ("Man Utd"), legal forms and club prefixes (FC, CF, AC, ...), word order, and the side's
 * category (women's, youth age, reserves), which must agree for two names to be the same side.
 */

/** How a name is read: `individual` for sports played by persons (tennis, darts, ...): "W" is an initial. */
export interface NameOptions {
  individual?: boolean;
}

/** A normalised name: its distinctive words (sorted) and its category ("" for a senior men's/open side). */
export interface NameKey {
  words: readonly string[];
  /** Space-joined sorted markers: "w" women, "u19" age grade, "res" reserves, "youth", "a" second XI. */
  category: string;
}

const SPECIAL: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower-case ASCII words of a name: accents and punctuation gone, "U-19"/"Under 19"/"Sub-19" as "u19". */
export function plainWords(raw: string): string[] {
  const s = raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øæœßłđðþı]/g, (c) => SPECIAL[c] ?? c)
    .replace(/['’`´]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\b(?:u|under|sub)[\s-]?(\d{2})\b/g, ' u$1 ');
  return s.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

/** The category marker a word stands for at position i of n words, or null when it is part of the name. */
function marker(w: string, i: number, n: number, opts: NameOptions): string | null {
  if (WOMEN_WORDS.has(w)) return 'w';
  if (/^u\d{2}$/.test(w)) return w;
  if (RESERVE_WORDS.has(w)) return 'res';
  if (YOUTH_WORDS.has(w)) return 'youth';
  const last = i === n - 1 && n > 1 && !opts.individual;
  if (last && w === 'w') return 'w';
  if (last && w === 'b') return 'res';
  if (last && w === 'a') return 'a';
  return null;
}

/** Words without markers, aliases applied, noise and bare numbers dropped (kept when nothing would be left). */
function coreWords(words: readonly string[], opts: NameOptions): { words: string[]; markers: string[] } {
  const markers: string[] = [];
  const kept: string[] = [];
  words.forEach((w, i) => {
    const m = marker(w, i, words.length, opts);
    if (m) markers.push(m);
    else kept.push((Object.hasOwn(WORD_ALIASES, w) ? WORD_ALIASES[w] : undefined) ?? w);
  });
  const core = kept.filter((w) => !NOISE_WORDS.has(w) && !/^\d+$/.test(w));
  return { words: core.length > 0 ? core : kept, markers };
}

function sortedKey(words: readonly string[]): string {
  return [...words].sort().join(' ');
}

let aliasTable: Map<string, string> | null = null;

/** Whole-name aliases keyed by their normalised sorted words (built once, through the same pipeline). */
function aliases(): Map<string, string> {
  if (aliasTable) return aliasTable;
  aliasTable = new Map();
  for (const [variant, canonical] of NAME_ALIASES) {
    const v = coreWords(plainWords(variant), {}).words;
    const c = coreWords(plainWords(canonical), {}).words;
    aliasTable.set(sortedKey(v), sortedKey(c));
  }
  return aliasTable;
}

/** Least recently used first: the names of live events stay cached while the bound drops old ones. */
const cache = new LRUCache<string, NameKey>({ max: 50_000 });

/** The normalised key of a team or player name (cached). */
export function nameKey(raw: string, opts: NameOptions = {}): NameKey {
  const ck = `${opts.individual ? 'i' : 't'}|${raw}`;
  const hit = cache.get(ck);
  if (hit) return hit;
  const { words, markers } = coreWords(plainWords(raw), opts);
  const joined = sortedKey(words);
  const canonical = aliases().get(joined) ?? joined;
  const key: NameKey = {
    words: canonical.split(' ').filter((w) => w.length > 0),
    category: [...new Set(markers)].sort().join(' '),
  };
  cache.set(ck, key);
  return key;
}

/**
 * A spelling fold for transliteration variants of one word ("Olympiakos"/"Olympiacos",
 * "Rosenborg"/"Rossenborg"): ph→f, k→c, y→i, w→v, doubled letters single.
 */
export function foldWord(w: string): string {
  return w
    .replace(/ph/g, 'f')
    .replace(/k/g, 'c')
    .replace(/y/g, 'i')
    .replace(/w/g, 'v')
    .replace(/(.)\1+/g, '$1');
}
