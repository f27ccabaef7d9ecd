import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const id = z.string().regex(/^\d{1,15}$/, 'Input should be a valid integer');

/** GET /markets query. */
export const MarketsQuerySchema = z.object({
  sportId: z.coerce.number().int().min(0).optional(),
});

/** GET /fixtures query (keyset pagination by fixture id, ascending). */
export const FixturesQuerySchema = z.object({
  sportId: z.coerce.number().int().min(0).optional(),
  fixtureId: id.optional(),
  live: bool.optional(),
  afterFixtureId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET /betslip query (fixture mode; futureId → 501). */
export const BetslipQuerySchema = z.object({
  fixtureId: id,
  outcomeId: z.coerce.number().int().positive(),
  playerId: z.coerce.number().int().min(0),
  userRef: z.string().max(200).optional(),
});

export const BookmakerSchema = z.object({
  bookmaker: z.string(),
  name: z.string(),
  type: z.enum(['sportsbook', 'exchange', 'prediction', 'punter', 'paper', 'site']),
  minStake: z.number(),
  maxStake: z.number(),
  currencyId: z.string(),
  active: z.boolean(),
});
export const BookmakersSchema = z.object({
  status: z.literal('success'),
  bookmakers: z.array(BookmakerSchema),
  count: z.number().int(),
});

export const MarketSchema = z.object({
  sportId: z.number().int(),
  sportName: z.string(),
  marketId: z.number().int(),
  marketName: z.string(),
  marketType: z.string(),
  handicap: z.number().nullable(),
  playerProp: z.boolean(),
  outcomes: z.array(z.object({ outcomeId: z.number().int(), outcomeName: z.string() })),
});
export const MarketsSchema = z.object({
  status: z.literal('success'),
  markets: z.array(MarketSchema),
  count: z.number().int(),
});

export const FixtureInfoSchema = z.object({
  fixtureId: z.string(),
  sport: z.object({ sportId: z.number().int(), sportName: z.string() }),
  tournament: z.object({ tournamentName: z.string().nullable(), categoryName: z.string().nullable() }),
  participants: z.object({
    participant1Name: z.string().nullable(),
    participant2Name: z.string().nullable(),
  }),
  startTime: z.string(),
  status: z.string(),
  inPlay: z.boolean(),
  scores: z.null(),
});

export const FixtureOutcomeSchema = z.object({
  marketId: z.number().int(),
  marketName: z.string(),
  outcomeId: z.number().int(),
  outcomeName: z.string(),
  playerId: z.literal(0),
  handicap: z.number().nullable(),
  price: z.number().nullable(),
  bookmakers: z.record(z.string(), z.number().nullable()),
});

export const FixturesSchema = z.object({
  status: z.literal('success'),
  fixtures: z.array(FixtureInfoSchema.extend({ outcomes: z.array(FixtureOutcomeSchema) })),
  count: z.number().int(),
  hasMore: z.boolean(),
  nextCursor: z.object({ afterFixtureId: z.string() }).nullable(),
});

export const BetslipOddsSchema = z.object({
  price: z.number().nullable(),
  limit: z.number(),
  limitMin: z.number(),
  limitCurrency: z.string(),
  limitUsd: z.number().nullable(),
  limitMinUsd: z.number().nullable(),
  active: z.boolean(),
  account: z.string().nullable(),
  currencyInfo: z.object({ currencyId: z.string(), usdRate: z.number().nullable() }),
  bookmakerFixtureId: z.string().nullable(),
  bookmakerMarketId: z.string().nullable(),
  bookmakerOutcomeId: z.string().nullable(),
  meta: z.record(z.string(), z.unknown()),
});

export const BetslipSchema = z.object({
  fixtureId: z.string(),
  outcomeId: z.number().int(),
  playerId: z.number().int(),
  client: z.string(),
  userRef: z.string().nullable(),
  fixtureInfo: FixtureInfoSchema,
  outcomeInfo: z.object({
    marketId: z.number().int(),
    marketName: z.string(),
    marketType: z.string(),
    outcomeName: z.string(),
    handicap: z.number().nullable(),
  }),
  playerInfo: z.null(),
  odds: z.record(z.string(), z.record(z.string(), BetslipOddsSchema)),
});
