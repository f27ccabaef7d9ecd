export { BETFAIR_ID_SOURCES, bfiOf } from '../../model/index.js';

/** A numeric id as a JSON number when it is one, else the string (Porqpine renders ids as numbers). */
export function idNumber(id: string | null): number | string | null {
  if (id === null) return null;
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

/** Ids accepted in `:id` and bulk bodies: digits, letters, `.`, `_`, `:`, `-`; 1–64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
