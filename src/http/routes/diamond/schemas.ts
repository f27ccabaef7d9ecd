import { z } from 'zod';
import { exampled, surfaceSchema } from '../../openapi/route-schema.js';
import { AnyObject, diamond, ErrorBody, open } from '../../openapi/schemas.js';

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

/** The Diamond routes' schemas: tag, the password security and the 401 every Diamond route can answer. */
export const diamondSchema = surfaceSchema({
  tags: ['Diamond v2'],
  security: [{ DiamondPassword: [] }, { DiamondPasswordQuery: [] }],
  errors: { 401: ErrorBody.describe('Missing or wrong password (x-password or ?password=).') },
});

/** 400 and 404 of the routes under `/games/:gmid`. */
export const GameErrors = {
  400: ErrorBody.describe('Invalid game id or query.'),
  404: ErrorBody.describe('Game not found.'),
};

const Game = open({
  gmid: z.string().describe('Internal id.'),
  etid: z.number().describe('Sport id.'),
  title: z.string(),
  team1: z.string().nullable(),
  team2: z.string().nullable(),
  status: z.string(),
  isLive: z.boolean(),
  isFancy: z.boolean(),
  isBookMaker: z.boolean(),
});

export const SportsBody = diamond(open({ count: z.number(), sports: z.array(AnyObject) }), 'Sports');
export const GamesBody = diamond(open({ count: z.number(), games: z.array(Game) }), 'Games');
export const HighlightsBody = diamond(
  open({ inplay: z.array(AnyObject), upcoming: z.array(AnyObject) }),
  'Highlights',
);
export const SearchBody = diamond(
  open({ query: z.string(), count: z.number(), games: z.array(Game) }),
  'Search',
);
export const StatusBody = diamond(open({ sources: z.array(AnyObject), totalGames: z.number() }), 'Status');
export const GameBody = diamond(open({ game: Game }), 'Game');
export const MarketsBody = diamond(open({ gmid: z.string(), markets: z.array(AnyObject) }), 'Markets');
export const OddsBody = diamond(open({ gmid: z.string(), markets: z.array(AnyObject) }), 'Odds');
export const ScorecardBody = diamond(open({ event_id: z.string(), available: z.boolean() }), 'Scorecard');
export const LiveTvBody = diamond(open({ event_id: z.string(), tv_available: z.boolean() }), 'Live TV');
export const AccountBody = (what: string) => diamond(AnyObject, what);
export const TokensBody = exampled(diamond(AnyObject, 'Tokens'), {
  success: true,
  data: {
    casinoToken: 'c4f…',
    accessToken: 'eyJ…',
    baseUrl: 'https://site.example',
    domainSetting: null,
  },
  timestamp: '2026-11-21T21:18:25.000Z',
});
