import { sportName } from '../../model/index.js';

/** Canonical sport id → the label the Porqpine surface uses where it differs from ours. */
const LABEL_OVERRIDES: Readonly<Record<number, string>> = { 4339: 'Greyhound' };

/** Horse racing and greyhounds: listed only by /socket-events, as in Porqpine. */
export const RACING_SPORT_IDS: ReadonlySet<number> = new Set([26, 4339]);

/** The Porqpine sport label of a canonical sport id (Football, Tennis, ..., Horse Racing, Greyhound). */
export function porqpineSport(sportId: number): string {
  return LABEL_OVERRIDES[sportId] ?? sportName(sportId);
}

function fold(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Resolves a sport filter (case-insensitive label, our own name, or a numeric id) against the known
 * sport ids. Returns null when nothing matches: the filter then selects nothing. Only known ids come
 * back, so callers may key caches by the result.
 */
export function sportIdFromLabel(label: string, knownIds: Iterable<number>): number | null {
  const want = fold(label);
  for (const id of knownIds) {
    if (String(id) === want || fold(porqpineSport(id)) === want || fold(sportName(id)) === want) return id;
  }
  if (want === 'greyhound' || want === 'greyhounds' || want === 'greyhound racing') return 4339;
  return null;
}
