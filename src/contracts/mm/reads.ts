import { z } from 'zod';
import { open } from '../open.js';

/**
 * The MM client API's read bodies (seed 002, MM API at /mm/api/v1), as its routes send them. Objects are
 * open (`looseObject`): the document may gain fields, never lose them.
 */

const iso = z.string().describe('ISO 8601 time.');

/** `{"detail": "..."}`: 401, 404, 426, 429, 503. */
export const MmDetailSchema = z.object({ detail: z.string() });
/** `{"detail": [{"loc", "msg", "type"}]}`: 422. */
export const MmValidationSchema = z.object({
  detail: z.array(
    z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  ),
});

export const MmOrderSchema = open({
  orderId: z.number().int(),
  fixtureId: z.string(),
  outcomeId: z.number().int(),
  playerId: z.number().int(),
  exchange: z.string().nullable(),
  exchangeOrderId: z.string().nullable(),
  exchangeOutcomeId: z.string(),
  orderStatus: z
    .string()
    .describe('PENDING_PLACEMENT, PLACED, PARTIAL, FILLED, FAILED, CANCELLED or EXPIRED.'),
  matchedStatus: z.enum(['NOT_MATCHED', 'PARTIALLY_MATCHED', 'FULLY_MATCHED']),
  orderCents: z.number().describe('Probability (1 / price).'),
  orderStake: z.number(),
  matchedStake: z.number(),
  openStake: z.number(),
  back: z.boolean(),
  settlementStatus: z.string().describe('UNDECIDED, WON, LOST, HALF_WON, HALF_LOST or VOID.'),
  bookmakerOutcomePrice: z.number(),
  bookmakerOutcomeLimit: z.number().nullable(),
  createdAt: iso,
  matchedAt: iso.nullable(),
});

export const MmBetSchema = open({
  betId: z.number().int(),
  orderId: z.number().int(),
  client: z.string(),
  bookmaker: z.string(),
  bookmakerBetId: z.string().nullable(),
  placedPrice: z.number().nullable(),
  placedStake: z.number(),
  betStatus: z.string().describe('pending, placed, declined, cancelled or void.'),
  settlementStatus: z.string().nullable(),
  settlementAmount: z.number().nullable(),
  fixtureId: z.string(),
  outcomeId: z.number().int(),
  account: z.string(),
  declineReason: z.string().nullable(),
  placedAt: iso.nullable(),
  createdAt: iso,
});

export const MmPositionSchema = open({
  fixtureId: z.string(),
  outcomeId: z.number().int(),
  exchange: z.string().nullable(),
  orderCount: z.number().int(),
  totalStake: z.number(),
  matchedStake: z.number(),
  openStake: z.number(),
  avgPrice: z.number().nullable(),
  firstOrderAt: iso,
  lastOrderAt: iso,
});

export const MmFixtureSchema = open({
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
  tournamentId: z.string().nullable(),
});

/** A keyset page of `key` items: pass `nextCursor` on while `hasMore`. */
export function mmPage<T extends z.ZodType>(key: string, item: T) {
  return open({
    [key]: z.array(item),
    count: z.number().int(),
    hasMore: z.boolean(),
    nextCursor: z.number().int().nullable(),
  });
}

export const MmOrderSummarySchema = open({
  totalOrders: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  totalStake: z.number(),
  matchedStake: z.number(),
  fillRate: z.number().describe('matchedStake / totalStake, in %.'),
});

export const MmBetSummarySchema = open({
  totalBets: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  bySettlement: z.record(z.string(), z.number().int()),
  totalStake: z.number(),
  settlementAmount: z.number(),
});

export const MmPositionSummarySchema = open({
  totalPositions: z.number().int(),
  fixtures: z.number().int(),
  totalOrders: z.number().int(),
  totalStake: z.number(),
  matchedStake: z.number(),
  openStake: z.number(),
});

export const MmPnlSchema = open({
  realizedPnl: z.number(),
  unrealizedPnl: z.number(),
  totalPnl: z.number(),
  settledOrders: z.number().int(),
  openOrders: z.number().int(),
  won: z.number().int(),
  lost: z.number().int(),
  halfWon: z.number().int(),
  halfLost: z.number().int(),
  void: z.number().int(),
  settledStake: z.number(),
  openMatchedStake: z.number(),
});

export const MmAccountSchema = open({
  exchange: z.string(),
  username: z.string(),
  client: z.string(),
  bookmaker: z.string(),
  balance: z.number(),
  currency: z.string(),
  maxOutcomeStake: z.number().nullable(),
  minStake: z.number().nullable(),
  priority: z.number().int(),
  active: z.boolean(),
});

export const MmCancelSchema = open({
  orderId: z.number().int(),
  cancelled: z.boolean(),
  reason: z.string().nullable(),
  order: MmOrderSchema.nullable().describe('The order after the attempt.'),
});

export const MmCancelAllSchema = open({
  cancelled: z.array(z.number().int()),
  notCancelled: z.array(open({ orderId: z.number().int(), reason: z.string() })),
  count: z.number().int(),
});

export const MmMarketSchema = open({
  marketId: z.number().int(),
  outcomeIds: z.array(z.number().int()),
  playerIds: z.array(z.number().int()),
  bookmakers: z.array(z.string()),
});

export const MmPlayerSchema = open({
  playerId: z.number().int(),
  marketIds: z.array(z.number().int()),
  outcomeIds: z.array(z.number().int()),
  bookmakers: z.array(z.string()),
});

export const MmSubscribedSchema = open({
  type: z.literal('subscribed'),
  subscription_id: z.number().int(),
  channels: z.array(z.string()),
});
