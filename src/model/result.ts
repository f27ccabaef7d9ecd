import { z } from 'zod';
import { MarketSchema } from './market.js';

export const ResultWinnerSchema = z.object({
  selectionId: z.number(),
  name: z.string(),
});

/**
 * A finished event's outcome. `winnerSource` says how the winner was known: `settled` when the upstream
 * settled the market (runner status WINNER), `inferred` when taken from the final prices.
 */
export const ResultSchema = z.object({
  eventId: z.number().int(),
  upstreamIds: z.record(z.string(), z.string()),
  sportId: z.number().int(),
  eventName: z.string(),
  team1: z.string().nullable(),
  team2: z.string().nullable(),
  marketId: z.string(),
  winners: z.array(ResultWinnerSchema),
  /** Display winner: a name, "<name> (favourite)" when inferred from prices, or null. */
  winner: z.string().nullable(),
  winnerSource: z.enum(['settled', 'inferred', 'unknown']),
  /** The main market as it last stood (final prices, statuses, BSPs). */
  finalMarket: MarketSchema,
  finalScore: z.unknown().nullable(),
  /** ISO 8601. */
  completedAt: z.string(),
});
export type Result = z.infer<typeof ResultSchema>;
