import { z } from 'zod';
import {
  AnalyticsQuerySchema,
  BetParams,
  BetsQuery,
  CancelOrdersBody,
  DetailError,
  OrdersQuery,
  PlaceOrdersBody,
  PlainDetail,
  ValidationError,
} from '../routes/abp/order-schemas.js';
import type { RouteDoc, RouteDocs } from './route-doc.js';

const tags = ['ABP v2'];
const security: RouteDoc['security'] = [{ ApiKey: [] }];
const common = {
  401: DetailError.describe('X-API-Key missing or unknown.'),
  403: DetailError.describe(
    "Key inactive or expired, or the row is another client's (`Access denied to this order`).",
  ),
  422: ValidationError.describe(
    'Validation error: `{"detail":[{"loc","msg","type"}]}`; also when no filter is given.',
  ),
  429: PlainDetail.describe('`{"detail":"Rate limit exceeded"}`.'),
};
const doc = (d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc => ({
  tags,
  security,
  ...d,
  response: { ...common, ...d.response },
});

const ORDER = {
  orderId: 327,
  requestUuid: 'eb45b192-317b-42d5-9f65-af497b9fa8c1',
  client: 'demo',
  clientName: 'demo',
  fixtureId: '1000001',
  outcomeId: 103,
  playerId: 0,
  orderPrice: 1.95,
  orderStake: 10,
  filledStake: 10,
  remainingStake: 0,
  orderStatus: 'FILLED',
  statusReason: null,
  userRef: 'my-strategy-1',
  testOrder: false,
  acceptBetterOdds: true,
  acceptPartialStake: true,
  orderCurrency: 'USD',
  back: true,
  allowedBookmakers: '*',
  oddsInfo: [{ bookmaker: 'paper', book: 'betfair', marketId: '1.2345', price: 1.98, size: 250 }],
  meta: {},
  expiresAt: '2026-12-06T07:29:37.000Z',
  filledAt: '2026-12-06T07:29:32.000Z',
  createdAt: '2026-12-06T07:29:32.000Z',
  updatedAt: '2026-12-06T07:29:32.000Z',
};
const BET = {
  betId: 73,
  orderId: 327,
  bookmaker: 'paper',
  bookmakerBetId: 'paper-3332',
  betStatus: 'CONFIRMED',
  settlementStatus: 'UNSETTLED',
  placedStake: 10,
  placedPrice: 1.98,
  placedCurrency: 'USD',
  account: 'paper_main',
  requestUuid: 'eb45b192-317b-42d5-9f65-af497b9fa8c1',
  userRef: 'my-strategy-1',
  testBet: false,
  client: 'demo',
  clientName: 'demo',
  fixtureId: '1000001',
  outcomeId: 103,
  playerId: 0,
  back: true,
  sentData: { stake: 10, price: 1.95, acceptBetterOdds: true },
  receivedData: { betId: 'paper-3332', status: 'accepted', price: 1.98, stake: 10 },
  settlementAmount: null,
  settlementReason: null,
  settledAt: null,
  declineReason: null,
  betRequestId: '327-0',
  oddsInfo: { book: 'betfair', marketId: '1.2345', quotedPrice: 1.98, orderStake: 10 },
  meta: {},
  placedAt: '2026-12-06T07:29:32.000Z',
  createdAt: '2026-12-06T07:29:32.000Z',
  updatedAt: '2026-12-06T07:29:32.000Z',
};
const Order = z.looseObject({ orderId: z.number(), requestUuid: z.string(), orderStatus: z.string() });
const Bet = z.looseObject({
  betId: z.number(),
  orderId: z.number(),
  betStatus: z.string(),
  settlementStatus: z.string(),
});
const cancelled = z.looseObject({
  status: z.literal('success'),
  cancelled: z.array(Order),
  notCancelled: z.array(z.looseObject({ orderId: z.number(), reason: z.string() })),
  count: z.number(),
});
const CANCEL_EXAMPLE = {
  status: 'success',
  cancelled: [
    {
      ...ORDER,
      orderStatus: 'CANCELLED',
      filledStake: 0,
      remainingStake: 10,
      statusReason: 'Cancelled by client',
    },
  ],
  notCancelled: [
    { orderId: 328, requestUuid: '0c1e...', orderStatus: 'FILLED', reason: 'Order has confirmed bets' },
  ],
  count: 1,
};

/** The ABP order, bet and analytics routes (src/http/routes/abp/orders.ts and analytics.ts). */
export const ABP_ORDER_DOCS: RouteDocs = {
  'POST /abp/place-orders': doc({
    summary: 'Place up to 100 orders: smart routing, partial fills, requestUuid idempotency',
    description:
      'Each order is routed to the best price first, then the larger limit, then the higher account priority; ' +
      'with acceptPartialStake it may be split across bookmakers. Business refusals are in `declinedOrders` ' +
      "with the document's `declineReason` (stored REJECTED). A requestUuid the client used before is a 409 " +
      'when every order of the request is one; beside new orders it is declined. expiresAt defaults to 5 s, ' +
      'capped at 24 h; testOrder validates and routes without sending. futureId: 501.',
    body: PlaceOrdersBody,
    response: {
      200: z.looseObject({
        status: z.enum(['accepted', 'partial-success', 'declined']),
        acceptedOrders: z.array(
          z.looseObject({ orderId: z.number(), orderStatus: z.string(), bets: z.array(z.looseObject({})) }),
        ),
        declinedOrders: z.array(z.looseObject({ requestUuid: z.string(), declineReason: z.string() })),
      }),
      409: PlainDetail.describe('`{"detail":"Duplicate request - requestUuid already in-flight"}`.'),
      501: DetailError.describe('futureId orders are not implemented.'),
    },
    example: {
      status: 'accepted',
      acceptedOrders: [
        {
          orderId: 327,
          requestUuid: ORDER.requestUuid,
          orderStatus: 'FILLED',
          statusReason: null,
          fixtureId: '1000001',
          outcomeId: 103,
          orderStake: 10,
          orderPrice: 1.95,
          filledStake: 10,
          bets: [
            { betId: 73, bookmaker: 'paper', placedPrice: 1.98, placedStake: 10, betStatus: 'CONFIRMED' },
          ],
        },
      ],
      declinedOrders: [],
    },
  }),
  'POST /abp/cancel-orders': doc({
    summary: 'Cancel orders by orderIds, requestUuids or userRef (OR)',
    description:
      'PENDING orders are cancelled at once; an order still being placed on this instance is stopped; orders with confirmed bets are listed in `notCancelled`.',
    body: CancelOrdersBody,
    response: { 200: cancelled },
    example: CANCEL_EXAMPLE,
  }),
  'POST /abp/cancel-all-orders': doc({
    summary: 'Cancel every open order of the client',
    response: { 200: cancelled },
    example: CANCEL_EXAMPLE,
  }),
  'GET /abp/orders': doc({
    summary: 'Orders by orderIds, requestUuids or userRef (OR), newest first, keyset-paginated',
    description:
      'At least one filter. `nextCursor` is `{ "afterOrderId": n }` while `hasMore`; each order carries its bets.',
    querystring: OrdersQuery,
    response: {
      200: z.looseObject({
        status: z.literal('success'),
        orders: z.array(Order),
        count: z.number(),
        hasMore: z.boolean(),
        nextCursor: z.looseObject({}).nullable(),
      }),
    },
    example: {
      status: 'success',
      orders: [{ ...ORDER, bets: [BET] }],
      count: 1,
      hasMore: false,
      nextCursor: null,
    },
  }),
  'GET /abp/bets': doc({
    summary: 'Bets by betIds, orderIds or userRef (OR), newest first, keyset-paginated',
    querystring: BetsQuery,
    response: {
      200: z.looseObject({
        status: z.literal('success'),
        bets: z.array(Bet),
        count: z.number(),
        hasMore: z.boolean(),
        nextCursor: z.looseObject({}).nullable(),
      }),
    },
    example: { status: 'success', bets: [BET], count: 1, hasMore: false, nextCursor: null },
  }),
  'GET /abp/bets/:bet_id': doc({
    summary: 'One bet of the client, with its trace (sentData, receivedData) and settlement',
    params: BetParams,
    response: {
      200: z.looseObject({ status: z.literal('success'), bet: Bet }),
      404: DetailError.describe('No such bet.'),
    },
    example: { status: 'success', bet: BET },
  }),
  'GET /abp/positions': doc({
    summary: 'Open positions (PLACED or CONFIRMED, UNSETTLED) grouped by bookmaker, account or userRef',
    querystring: AnalyticsQuerySchema,
    response: {
      200: z.looseObject({
        status: z.literal('success'),
        groupBy: z.string(),
        positions: z.array(z.looseObject({})),
        count: z.number(),
        totalStake: z.number(),
        totalOpenBets: z.number(),
      }),
    },
    example: {
      status: 'success',
      groupBy: 'bookmaker',
      positions: [{ bookmaker: 'paper', openBets: 5, totalStake: 250, avgPrice: 1.92 }],
      count: 1,
      totalStake: 250,
      totalOpenBets: 5,
    },
  }),
  'GET /abp/pnl': doc({
    summary: 'Profit and loss of settled bets grouped by bookmaker, account or userRef',
    description:
      '`netPnl` sums `settlementAmount` (the net result: a won back bet stake × (price − 1), a lost one −stake); `winRate` in %.',
    querystring: AnalyticsQuerySchema,
    response: {
      200: z.looseObject({
        status: z.literal('success'),
        groupBy: z.string(),
        pnl: z.array(z.looseObject({})),
        count: z.number(),
        totalNetPnl: z.number(),
        totalStaked: z.number(),
        totalSettledBets: z.number(),
      }),
    },
    example: {
      status: 'success',
      groupBy: 'bookmaker',
      pnl: [{ bookmaker: 'paper', settledBets: 42, wins: 23, losses: 17, netPnl: 250, winRate: 54.8 }],
      count: 1,
      totalNetPnl: 250,
      totalStaked: 2100,
      totalSettledBets: 42,
    },
  }),
};
