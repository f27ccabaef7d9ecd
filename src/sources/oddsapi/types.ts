import { z } from 'zod';

/**
 * The Odds API v4 response shapes oddsgate reads (unknown fields are ignored). Decimal odds, ISO dates.
 * - GET /v4/sports → OddsApiSport[] (free)
 * - GET /v4/sports/{sport}/odds?regions&markets&oddsFormat=decimal → OddsApiEvent[] (costs markets × regions)
 * - GET /v4/sports/{sport}/scores?daysFrom=1..3 → OddsApiScore[] (costs 1, 2 with daysFrom)
 * Quota headers on every response: x-requests-remaining, x-requests-used, x-requests-last.
 */

export const OddsApiSportSchema = z.object({
  key: z.string(),
  group: z.string(),
  title: z.string(),
  description: z.string().optional().default(''),
  active: z.boolean(),
  has_outrights: z.boolean().optional().default(false),
});
export type OddsApiSport = z.infer<typeof OddsApiSportSchema>;

export const OddsApiOutcomeSchema = z.object({
  name: z.string(),
  price: z.number(),
  point: z.number().optional(),
  description: z.string().optional(),
});
export type OddsApiOutcome = z.infer<typeof OddsApiOutcomeSchema>;

export const OddsApiMarketSchema = z.object({
  key: z.string(),
  last_update: z.string().optional(),
  outcomes: z.array(OddsApiOutcomeSchema),
});
export type OddsApiMarket = z.infer<typeof OddsApiMarketSchema>;

export const OddsApiBookmakerSchema = z.object({
  key: z.string(),
  title: z.string(),
  last_update: z.string().optional(),
  markets: z.array(OddsApiMarketSchema),
});
export type OddsApiBookmaker = z.infer<typeof OddsApiBookmakerSchema>;

export const OddsApiEventSchema = z.object({
  id: z.string(),
  sport_key: z.string(),
  sport_title: z.string().optional().default(''),
  commence_time: z.string(),
  home_team: z.string().nullable().optional(),
  away_team: z.string().nullable().optional(),
  bookmakers: z.array(OddsApiBookmakerSchema).optional().default([]),
});
export type OddsApiEvent = z.infer<typeof OddsApiEventSchema>;

export const OddsApiScoreSchema = z.object({
  id: z.string(),
  sport_key: z.string(),
  sport_title: z.string().optional().default(''),
  commence_time: z.string(),
  completed: z.boolean(),
  home_team: z.string().nullable().optional(),
  away_team: z.string().nullable().optional(),
  scores: z
    .array(z.object({ name: z.string(), score: z.string() }))
    .nullable()
    .optional(),
  last_update: z.string().nullable().optional(),
});
export type OddsApiScore = z.infer<typeof OddsApiScoreSchema>;

/** The error body of a 4xx/5xx response. */
export const OddsApiErrorBodySchema = z.object({
  message: z.string().optional(),
  error_code: z.string().optional(),
  details_url: z.string().optional(),
});

/** Quota as read from the response headers (null when a header was missing). */
export interface QuotaHeaders {
  remaining: number | null;
  used: number | null;
  last: number | null;
}
