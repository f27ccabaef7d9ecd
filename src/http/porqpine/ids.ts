import type { Event } from '../../model/index.js';

/**
 * Sources whose event ids are Betfair event ids (the live exchange, its historical data and the simulator,
 * which speaks the same protocol), in order of preference.
 */
export const BETFAIR_ID_SOURCES: readonly string[] = ['betfair', 'historical', 'sim'];

/** An event's bfi (Betfair event id) as a string, or null when no Betfair-protocol source knows it. */
export function bfiOf(event: Event): string | null {
  for (const s of BETFAIR_ID_SOURCES) {
    const id = event.upstreamIds[s];
    if (id !== undefined) return id;
  }
  return null;
}

/** A numeric id as a JSON number when it is one, else the string (Porqpine renders ids as numbers). */
export function idNumber(id: string | null): number | string | null {
  if (id === null) return null;
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/** Ids accepted in `:id` and bulk bodies: digits, letters, `.`, `_`, `:`, `-`; 1–64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
