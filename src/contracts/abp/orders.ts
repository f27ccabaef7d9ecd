import { z } from 'zod';
import { open } from '../open.js';

/**
 * The ABP document's order, bet and analytics bodies (seed 002: Orders, Bets, Positions, PnL), as the
 * /abp routes send them. Objects are open (`looseObject`): the document may gain fields, never lose them.
 */

const iso = z.string().describe('ISO 8601 time.');

/** An order row. */
export const OrderSchema = open({
  orderId: z.number().int(),
  requestUuid: z.string(),
  client: z.string(),
  clientName: z.string(),
  fixtureId: z.string(),
  outcomeId: z.number().int(),
  playerId: z.number().int(),
  orderPrice: z.number(),
  orderStake: z.number(),
  filledStake: z.number(),
  remainingStake: z.number(),
  orderStatus: z
    .string()
    .describe('PENDING, PROCESSING, FILLED, PARTIALLY_FILLED, REJECTED, EXPIRED, CANCELLED or FAILED.'),
  statusReason: z.string().nullable(),
  userRef: z.string(),
  testOrder: z.boolean(),
  acceptBetterOdds: z.boolean(),
  acceptPartialStake: z.boolean(),
  orderCurrency: z.string(),
  back: z.boolean(),
  allowedBookmakers: z.string().describe('Comma-separated slugs, or `*`.'),
  oddsInfo: z.unknown().describe('The quotes the order was routed on.'),
  meta: z.record(z.string(), z.unknown()),
  expiresAt: iso,
  filledAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
});

/** A bet row (one placement of an order at one bookmaker), with its trace and settlement. */
export const BetSchema = open({
  betId: z.number().int(),
  orderId: z.number().int(),
  bookmaker: z.string(),
  bookmakerBetId: z.string().nullable(),
  betStatus: z.string().describe('PENDING, PLACED, CONFIRMED, REJECTED, CANCELLED, FAILED or VOID.'),
  settlementStatus: z.string().describe('UNSETTLED, WON, LOST, VOID, HALF_WON, HALF_LOST, PUSH or CASHOUT.'),
  placedStake: z.number(),
  placedPrice: z.number().nullable(),
  placedCurrency: z.string(),
  account: z.string(),
  requestUuid: z.string(),
  userRef: z.string(),
  testBet: z.boolean(),
  client: z.string(),
  clientName: z.string(),
  fixtureId: z.string(),
  outcomeId: z.number().int(),
  playerId: z.number().int(),
  back: z.boolean(),
  sentData: z.unknown().describe('What was sent to the bookmaker (secrets masked).'),
  receivedData: z.unknown().describe('What the bookmaker answered.'),
  settlementAmount: z.number().nullable(),
  settlementReason: z.string().nullable(),
  settledAt: iso.nullable(),
  declineReason: z.string().nullable(),
  betRequestId: z.string(),
  oddsInfo: z.unknown(),
  meta: z.record(z.string(), z.unknown()),
  placedAt: iso.nullable(),
  createdAt: iso,
  updatedAt: iso,
});

/** POST /place-orders. */
export const PlaceOrdersResponseSchema = open({
  status: z.enum(['accepted', 'partial-success', 'declined']),
  acceptedOrders: z.array(
    open({
      orderId: z.number().int(),
      requestUuid: z.string(),
      orderStatus: z.string(),
      statusReason: z.string().nullable(),
      fixtureId: z.string(),
      outcomeId: z.number().int(),
      orderStake: z.number(),
      orderPrice: z.number(),
      filledStake: z.number(),
      bets: z.array(
        open({
          betId: z.number().int(),
          bookmaker: z.string(),
          placedPrice: z.number().nullable(),
          placedStake: z.number(),
          betStatus: z.string(),
        }),
      ),
    }),
  ),
  declinedOrders: z.array(
    open({
      requestUuid: z.string(),
      fixtureId: z.string(),
      outcomeId: z.number().int(),
      declineReason: z.string(),
    }),
  ),
});

/** POST /cancel-orders and /cancel-all-orders. */
export const CancelOrdersResponseSchema = open({
  status: z.literal('success'),
  cancelled: z.array(OrderSchema),
  notCancelled: z.array(
    open({
      orderId: z.number().int(),
      requestUuid: z.string(),
      orderStatus: z.string(),
      reason: z.string(),
    }),
  ),
  count: z.number().int(),
});

/** GET /orders: each order with its bets; keyset pages by `afterOrderId`. */
export const OrdersPageSchema = open({
  status: z.literal('success'),
  orders: z.array(OrderSchema.extend({ bets: z.array(BetSchema) })),
  count: z.number().int(),
  hasMore: z.boolean(),
  nextCursor: z.object({ afterOrderId: z.number().int() }).nullable(),
});

/** GET /bets: keyset pages by `afterBetId`. */
export const BetsPageSchema = open({
  status: z.literal('success'),
  bets: z.array(BetSchema),
  count: z.number().int(),
  hasMore: z.boolean(),
  nextCursor: z.object({ afterBetId: z.number().int() }).nullable(),
});

/** GET /bets/{bet_id}. */
export const BetResponseSchema = open({ status: z.literal('success'), bet: BetSchema });

const groupKeys = {
  bookmaker: z.string().optional(),
  account: z.string().optional(),
  userRef: z.string().optional(),
};

/** GET /positions: open bets grouped by bookmaker, account or userRef. */
export const PositionsSchema = open({
  status: z.literal('success'),
  groupBy: z.enum(['bookmaker', 'account', 'userRef']),
  positions: z.array(
    open({
      ...groupKeys,
      openBets: z.number().int(),
      totalStake: z.number(),
      avgPrice: z.number(),
    }),
  ),
  count: z.number().int(),
  totalStake: z.number(),
  totalOpenBets: z.number().int(),
});

/** GET /pnl: settled bets grouped by bookmaker, account or userRef; `winRate` in %. */
export const PnlSchema = open({
  status: z.literal('success'),
  groupBy: z.enum(['bookmaker', 'account', 'userRef']),
  pnl: z.array(
    open({
      ...groupKeys,
      settledBets: z.number().int(),
      wins: z.number().int(),
      losses: z.number().int(),
      netPnl: z.number(),
      winRate: z.number(),
    }),
  ),
  count: z.number().int(),
  totalNetPnl: z.number(),
  totalStaked: z.number(),
  totalSettledBets: z.number().int(),
});
