import { z } from 'zod';
import { decodeCursor } from '../../../records/index.js';
import { parseOddsView } from '../../../books/render.js';
import { ID_PATTERN } from '../../../contracts/porqpine/ids.js';
import { foldText } from './search-index.js';

/**
 * The zod schemas of the feed's request parts. Each check carries the sentence the feed answers with
 * (`{ success: false, error }`, 400): the Porqpine wording takes the first failed check's message as it is
 * (src/http/surface-errors.ts). An optional query parameter given empty counts as absent.
 */

/** Longest accepted sport filter. */
const MAX_SPORT_LEN = 40;

/** `:id`: internal id or bfi, trimmed. */
export const IdParams = z.object({
  id: z
    .string({ error: 'Invalid id' })
    .trim()
    .regex(ID_PATTERN, 'Invalid id')
    .describe('Internal event id or Betfair event id (bfi); either is accepted.'),
});

/** `?sport=`: a short label (name or id), resolved against the read model by the route. */
export const sportField = z
  .string({ error: 'Invalid sport filter' })
  .max(MAX_SPORT_LEN, 'Invalid sport filter')
  .optional()
  .describe('Sport name or id, case-insensitive (Football, Cricket, 4, ...).');

/** A positive integer within [1, max] (larger values are capped at max), `def` when absent. */
export function limitField(def: number, max: number, name = 'limit') {
  const msg = `Invalid ${name}: expected an integer from 1 to ${max}`;
  return z
    .string({ error: msg })
    .regex(/^(\d{1,9})?$/, msg)
    .refine((v) => v === '' || Number(v) >= 1, msg)
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : Math.min(Number(v), max)))
    .describe(`Most items returned (1..${max}, default ${def}).`);
}

/** An optional id query parameter (market id, bfi, event id): checked untrimmed, given back trimmed. */
export function idField(name: string, description: string) {
  const msg = `Invalid ${name}`;
  return z
    .string({ error: msg })
    .refine((v) => v === '' || ID_PATTERN.test(v.trim()), msg)
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : v.trim()))
    .describe(description);
}

/** An optional ISO 8601 time as epoch ms. */
export function timeField(name: string, description: string) {
  const msg = `Invalid ${name}: expected an ISO 8601 timestamp`;
  const ms = (v: string) => (/^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN);
  return z
    .string({ error: msg })
    .refine((v) => v === '' || Number.isFinite(ms(v)), msg)
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : ms(v)))
    .describe(description);
}

/** `?cursor=`: the opaque `next_cursor` of a results archive page. */
export const cursorField = z
  .string({ error: 'Invalid cursor: pass next_cursor from a previous page' })
  .refine(
    (v) => v === '' || decodeCursor(v) !== null,
    'Invalid cursor: pass next_cursor from a previous page',
  )
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : (decodeCursor(v) ?? undefined)))
  .describe('Opaque: the `next_cursor` of the previous archive page (null on the last page).');

const DECIMAL = /^\d{1,9}(\.\d{1,6})?$/;

/** An optional non-negative decimal within [min, max]; undefined when absent (the route's default). */
export function decimalField(name: string, min: number, max: number, description: string) {
  const msg = `Invalid ${name}: expected a number from ${min} to ${max}`;
  return z
    .string({ error: msg })
    .refine((v) => v === '' || (DECIMAL.test(v) && Number(v) >= min && Number(v) <= max), msg)
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : Number(v)))
    .describe(description);
}

/** `?suspect=`: 1 lists suspect arbitrages, 0 or absent sound ones. */
export const suspectField = z
  .string({ error: 'Invalid suspect: expected 1 or 0' })
  .refine((v) => v === '' || v === '0' || v === '1', 'Invalid suspect: expected 1 or 0')
  .optional()
  .transform((v) => v === '1')
  .describe('1: list the suspect arbitrages instead (operators).');

/** `?view=` of /event/:id/odds: best or all (books side by side), added to the default response. */
export const viewField = z
  .string({ error: 'Invalid view: expected best or all' })
  .refine((v) => parseOddsView(v) !== null, 'Invalid view: expected best or all')
  .optional()
  .transform((v) => parseOddsView(v) ?? undefined)
  .describe('best (best price per runner across books) or all (every book); default: neither.');

/** Longest search query, in characters. */
const MAX_QUERY_LEN = 100;
const MISSING_Q = 'Missing required query parameter q';

/** `?q=` of /search: kept as given (the response echoes it); needs letters or digits. */
export const searchQField = z
  .string({ error: MISSING_Q })
  .refine((v) => v.trim() !== '', { message: MISSING_Q, abort: true })
  .refine((v) => v.length <= MAX_QUERY_LEN, {
    message: `q is longer than ${MAX_QUERY_LEN} characters`,
    abort: true,
  })
  .refine((v) => foldText(v) !== '', 'q must contain letters or digits')
  .describe(`Words of the event, team or competition name (1..${MAX_QUERY_LEN} characters).`);
