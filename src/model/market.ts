import { z } from 'zod';

/** One rung of a price ladder. Upstream text such as "42k" is parsed to numbers at the normalizer. */
export const PriceLevelSchema = z.object({
  price: z.number(),
  size: z.number(),
});
export type PriceLevel = z.infer<typeof PriceLevelSchema>;

export const RunnerStatusSchema = z.enum([
  'ACTIVE',
  'SUSPENDED',
  'WINNER',
  'LOSER',
  'PLACED',
  'REMOVED',
  'HIDDEN',
]);
export type RunnerStatus = z.infer<typeof RunnerStatusSchema>;

/** A selection in a market with its back and lay ladders, best price first. */
export const RunnerSchema = z.object({
  selectionId: z.number(),
  handicap: z.number(),
  name: z.string(),
  status: RunnerStatusSchema,
  sortPriority: z.number(),
  back: z.array(PriceLevelSchema),
  lay: z.array(PriceLevelSchema),
  /** Last traded price. */
  ltp: z.number().nullable(),
  /** Traded volume on this runner. */
  tv: z.number(),
  /** Starting price (Betfair SP, actual when reconciled). */
  bsp: z.number().nullable(),
  adjustmentFactor: z.number().nullable(),
});
export type Runner = z.infer<typeof RunnerSchema>;

export const MarketStatusSchema = z.enum(['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED']);
export type MarketStatus = z.infer<typeof MarketStatusSchema>;

/**
 * A market of an event. `id` is globally unique: Betfair market ids as given ("1.132153978"),
 * other sources prefix theirs with the source name ("imatchodds:123").
 */
export const MarketSchema = z.object({
  id: z.string(),
  /** Internal event id. */
  eventId: z.number().int(),
  source: z.string(),
  /** MATCH_ODDS, WIN, PLACE, BOOKMAKER, FANCY, ... */
  type: z.string(),
  name: z.string(),
  status: MarketStatusSchema,
  inPlay: z.boolean(),
  minStake: z.number().nullable(),
  maxStake: z.number().nullable(),
  totalMatched: z.number(),
  numberOfWinners: z.number().int().nullable(),
  /** Market start time (ISO 8601), when known. */
  startTime: z.string().nullable(),
  runners: z.array(RunnerSchema),
  /** When oddsgate last changed this market (epoch ms). */
  updatedAt: z.number(),
  /** Upstream publish time of the last change (epoch ms), when the upstream gives one. */
  publishedAt: z.number().nullable(),
  /** Increases by one for every change oddsgate stores for this market. */
  version: z.number().int(),
});
export type Market = z.infer<typeof MarketSchema>;

/** Market types treated as an event's main market, in order of preference. */
export const MAIN_MARKET_TYPES = [
  'MATCH_ODDS',
  'WIN',
  'MONEY_LINE',
  'HEAD_TO_HEAD',
  'MATCH_BETTING',
  'PLACE',
];

/** Picks the market shown as an event's headline market. */
export function mainMarket(markets: readonly Market[]): Market | undefined {
  let best: Market | undefined;
  let bestRank = Infinity;
  for (const m of markets) {
    const idx = MAIN_MARKET_TYPES.indexOf(m.type);
    const rank = idx === -1 ? MAIN_MARKET_TYPES.length : idx;
    if (rank < bestRank || (rank === bestRank && best && m.totalMatched > best.totalMatched)) {
      best = m;
      bestRank = rank;
    }
  }
  return best;
}
