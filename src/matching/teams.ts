import { SOFT_SUFFIXES } from './aliases.js';
import { foldWord, nameKey, type NameKey, type NameOptions } from './names.js';

/**
 * How alike two team (or player) names are, from 0 (different sides) to 1 (the same name once
 * normalised). Scores at or above MATCH_THRESHOLD mean "the same side".
 */

/** Two names scoring at least this are taken as the same side. */
export const MATCH_THRESHOLD = 0.8;

/** Score of the same words in any order. */
const SAME = 1;
/** Score when words matched through a spelling fold or an initial ("N. Djokovic"). */
const VARIANT = 0.9;
/** Score when one name leaves off words the other has (club suffixes; a player's first name). */
const SHORTENED = 0.85;

type WordMatch = 'exact' | 'fold' | 'initial';

/** How `s` (from the shorter name) matches `l` (from the longer one), or null. */
function wordMatch(s: string, l: string, individual: boolean): WordMatch | null {
  if (s === l) return 'exact';
  if (s.length >= 4 && foldWord(s) === foldWord(l)) return 'fold';
  if (individual && s.length === 1 && l.length > 1 && l.startsWith(s)) return 'initial';
  return null;
}

/** Pairs every word of `short` with a distinct word of `long`; null when one is left without a partner. */
function pairWords(
  short: readonly string[],
  long: readonly string[],
  individual: boolean,
): { extras: string[]; variant: boolean; exact: number } | null {
  const used = new Array<boolean>(long.length).fill(false);
  let variant = false;
  let exact = 0;
  // exact and folded words first, so an initial never takes a word an exact match needs
  const order = [...short].sort((a, b) => b.length - a.length);
  for (const s of order) {
    let found = -1;
    let kind: WordMatch | null = null;
    for (let i = 0; i < long.length && found < 0; i++) {
      if (used[i]) continue;
      kind = wordMatch(s, long[i] as string, individual);
      if (kind) found = i;
    }
    if (found < 0 || !kind) return null;
    used[found] = true;
    if (kind === 'exact') exact++;
    else variant = true;
  }
  return { extras: long.filter((_, i) => !used[i]), variant, exact };
}

/** The name with fewer words first (with as many, the one with fewer letters: initials go first). */
function shorterFirst(a: readonly string[], b: readonly string[]): [readonly string[], readonly string[]] {
  if (a.length !== b.length) return a.length < b.length ? [a, b] : [b, a];
  return a.join('').length <= b.join('').length ? [a, b] : [b, a];
}

/** Similarity of two normalised names (see the module doc). */
export function keySimilarity(a: NameKey, b: NameKey, individual = false): number {
  if (a.category !== b.category) return 0;
  const [short, long] = shorterFirst(a.words, b.words);
  if (short.length === 0) return 0;
  const paired = pairWords(short, long, individual);
  if (!paired) return 0;
  if (paired.extras.length === 0) return paired.variant ? VARIANT : SAME;
  if (!individual) return paired.extras.every((w) => SOFT_SUFFIXES.has(w)) ? SHORTENED : 0;
  // a player's surname alone ("Djokovic") against the full name: the extra words are given names
  const surnameKept = paired.exact > 0 && short.some((w) => w.length > 1);
  return surnameKept && paired.extras.length <= 2 ? SHORTENED : 0;
}

/** Similarity of two raw team or player names. */
export function teamSimilarity(a: string, b: string, opts: NameOptions = {}): number {
  return keySimilarity(nameKey(a, opts), nameKey(b, opts), opts.individual ?? false);
}

/** True when two raw names are taken as the same side. */
export function sameTeam(a: string, b: string, opts: NameOptions = {}): boolean {
  return teamSimilarity(a, b, opts) >= MATCH_THRESHOLD;
}
