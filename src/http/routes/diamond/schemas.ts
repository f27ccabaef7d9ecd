import { z } from 'zod';

/** Largest sport id accepted (ids are 32-bit integers; Betfair ids moved out of the way stay below). */
const MAX_SPORT_ID = 2_147_483_647;
/** Longest search query, in characters. */
export const MAX_QUERY_LENGTH = 100;
/** Most search results per request, and the default. */
export const MAX_SEARCH_LIMIT = 100;
export const DEFAULT_SEARCH_LIMIT = 20;

const once = 'must be given once';

/** A sport id in a query string: digits only, given once, within 32 bits. */
const sportIdField = z
  .string({ error: once })
  .regex(/^\d{1,10}$/, 'must be a numeric sport id (e.g. 3 for Cricket)')
  .transform(Number)
  .refine((n) => n <= MAX_SPORT_ID, 'is too large');

/**
 * An optional query parameter: given empty (`?sport_id=`), it counts as not given, as the documents say of
 * optional parameters ("If omitted, returns ALL sports"); anything else is validated by `field`.
 */
function optional<T extends z.ZodType>(field: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), field.optional());
}

/** Values of an on/off flag (`full`, `raw`), case-insensitive; empty counts as absent. */
const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];
const flagField = z
  .string({ error: once })
  .transform((v) => v.toLowerCase())
  .refine((v) => ON.includes(v) || OFF.includes(v), 'must be 1 or 0 (also true/false, yes/no, on/off)')
  .transform((v) => ON.includes(v));

/** `raw` (1 also asks for every game's `_rawMarkets`, the upstream markets; off by default: they are heavy). */
const rawField = optional(flagField);

/** `sport_id` and its alias `etid`; when both are given they must agree. Resolved with `sportOf`. */
export const SportQuerySchema = z
  .object({ sport_id: optional(sportIdField), etid: optional(sportIdField), raw: rawField })
  .refine((q) => q.sport_id === undefined || q.etid === undefined || q.sport_id === q.etid, {
    message: 'sport_id and etid disagree',
    path: ['etid'],
  });
export type SportQuery = z.infer<typeof SportQuerySchema>;

/** The sport a request filters on (`sport_id`, else `etid`), or undefined for all sports. */
export function sportOf(q: SportQuery): number | undefined {
  return q.sport_id ?? q.etid;
}

/** `:gmid`: an internal id or an upstream id (letters, digits, `._:-`), at most 64 characters. */
export const GameParamsSchema = z.object({
  gmid: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be a game id (letters, digits, . _ : -)'),
});
export type GameParams = z.infer<typeof GameParamsSchema>;

/** `/games/:gmid/detail` query: the sport filter, `raw`, and `full` (1/true/yes asks for every market). */
export const DetailQuerySchema = z
  .object({
    sport_id: optional(sportIdField),
    etid: optional(sportIdField),
    raw: rawField,
    full: optional(flagField),
  })
  .refine((q) => q.sport_id === undefined || q.etid === undefined || q.sport_id === q.etid, {
    message: 'sport_id and etid disagree',
    path: ['etid'],
  });
export type DetailQuery = z.infer<typeof DetailQuerySchema>;

/** `/search` query: `q` (1..100 characters after trimming), `limit` (1..100), optional sport filter. */
export const SearchQuerySchema = z.object({
  q: z
    .string({ error: `is required (1..${MAX_QUERY_LENGTH} characters, ${once})` })
    .max(10 * MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`)
    .trim()
    .min(1, `must not be empty`)
    .max(MAX_QUERY_LENGTH, `must be at most ${MAX_QUERY_LENGTH} characters`),
  limit: optional(
    z
      .string({ error: once })
      .regex(/^\d{1,3}$/, `must be a number from 1 to ${MAX_SEARCH_LIMIT}`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= MAX_SEARCH_LIMIT, `must be a number from 1 to ${MAX_SEARCH_LIMIT}`),
  ),
  sport_id: optional(sportIdField),
  etid: optional(sportIdField),
  raw: rawField,
});
export type SearchQuery = z.infer<typeof SearchQuerySchema>;
