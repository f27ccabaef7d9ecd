import {
  BetResponseSchema,
  BetsPageSchema,
  CancelOrdersResponseSchema,
  OrdersPageSchema,
  PlaceOrdersResponseSchema,
  PnlSchema,
  PositionsSchema,
} from '../../../contracts/abp/orders.js';
import {
  AbpCodedDetailSchema,
  AbpNotFoundSchema,
  AbpNotImplementedSchema,
  AbpPlainDetailSchema,
  AbpValidationSchema,
} from '../../../contracts/abp/errors.js';
import { exampled, type Responses } from '../../openapi/route-schema.js';
import {
  AnalyticsQuerySchema,
  BetParams,
  BetsQuery,
  CancelOrdersBody,
  OrdersQuery,
  PlaceOrdersBody,
} from './order-schemas.js';
import { abpSchema } from './responses.js';

/** The schemas and documented examples of the ABP order, bet and analytics routes (orders.ts, analytics.ts). */

const TS = '2026-12-06T07:29:32.000Z';
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
  filledAt: TS,
  createdAt: TS,
  updatedAt: TS,
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
  requestUuid: ORDER.requestUuid,
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
  placedAt: TS,
  createdAt: TS,
  updatedAt: TS,
};

export const PlaceOrdersBodyOut = exampled(PlaceOrdersResponseSchema, {
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
      bets: [{ betId: 73, bookmaker: 'paper', placedPrice: 1.98, placedStake: 10, betStatus: 'CONFIRMED' }],
    },
  ],
  declinedOrders: [],
});

export const CancelOrdersBodyOut = exampled(CancelOrdersResponseSchema, {
  status: 'success',
  cancelled: [
    {
      ...ORDER,
      orderStatus: 'CANCELLED',
      filledStake: 0,
      remainingStake: 10,
      filledAt: null,
      statusReason: 'Cancelled by client',
    },
  ],
  notCancelled: [
    {
      orderId: 328,
      requestUuid: '0c1e6a2b-5d3f-4e8a-9b7c-2f1d0e9a8b7c',
      orderStatus: 'FILLED',
      reason: 'Order has confirmed bets',
    },
  ],
  count: 1,
});

export const OrdersPageBody = exampled(OrdersPageSchema, {
  status: 'success',
  orders: [{ ...ORDER, bets: [BET] }],
  count: 1,
  hasMore: false,
  nextCursor: null,
});

export const BetsPageBody = exampled(BetsPageSchema, {
  status: 'success',
  bets: [BET],
  count: 1,
  hasMore: false,
  nextCursor: null,
});

export const BetBody = exampled(BetResponseSchema, { status: 'success', bet: BET });

export const PositionsBody = exampled(PositionsSchema, {
  status: 'success',
  groupBy: 'bookmaker',
  positions: [{ bookmaker: 'paper', openBets: 5, totalStake: 250, avgPrice: 1.92 }],
  count: 1,
  totalStake: 250,
  totalOpenBets: 5,
});

export const PnlBody = exampled(PnlSchema, {
  status: 'success',
  groupBy: 'bookmaker',
  pnl: [{ bookmaker: 'paper', settledBets: 42, wins: 23, losses: 17, netPnl: 250, winRate: 54.8 }],
  count: 1,
  totalNetPnl: 250,
  totalStaked: 2100,
  totalSettledBets: 42,
});

const denied = AbpCodedDetailSchema.describe(
  "Key inactive or expired, or the row is another client's (`Access denied to this order`).",
);
const filterRequired = AbpValidationSchema.describe(
  'Validation error: `{"detail":[{"loc","msg","type"}]}`; also when no filter is given.',
);

/**
 * A route schema whose responses document the route but do not type its handler's answer (any body): the
 * order handlers build their bodies with widened literals (`status: 'success'`, not `as const`); once they
 * are typed, drop this and the type provider checks them against the schemas.
 */
function untyped<T extends { response: object }>(s: T): Omit<T, 'response'> & { response: Responses } {
  return s as Omit<T, 'response'> & { response: Responses };
}

/** The route schemas of src/http/routes/abp/orders.ts and analytics.ts (the handlers' files hold handlers). */
export const ORDER_ROUTES = {
  placeOrders: {
    schema: untyped(
      abpSchema({
        summary: 'Place up to 100 orders: smart routing, partial fills, requestUuid idempotency',
        description:
          'Each order is routed to the best price first, then the larger limit, then the higher account priority; ' +
          'with acceptPartialStake it may be split across bookmakers. Business refusals are in `declinedOrders` ' +
          "with the document's `declineReason` (stored REJECTED). A requestUuid the client used before is a 409 " +
          'when every order of the request is one; beside new orders it is declined. expiresAt defaults to 5 s, ' +
          'capped at 24 h; testOrder validates and routes without sending. futureId: 501.',
        body: PlaceOrdersBody,
        response: {
          200: PlaceOrdersBodyOut,
          409: AbpPlainDetailSchema.describe(
            '`{"detail":"Duplicate request - requestUuid already in-flight"}`.',
          ),
          501: AbpNotImplementedSchema.describe('futureId orders are not implemented.'),
        },
      }),
    ),
  },
  cancelOrders: {
    schema: untyped(
      abpSchema({
        summary: 'Cancel orders by orderIds, requestUuids or userRef (OR)',
        description:
          'PENDING orders are cancelled at once; an order still being placed on this instance is stopped; orders ' +
          'with confirmed bets are listed in `notCancelled`.',
        body: CancelOrdersBody,
        response: { 200: CancelOrdersBodyOut, 403: denied, 422: filterRequired },
      }),
    ),
  },
  cancelAllOrders: {
    schema: untyped(
      abpSchema({
        summary: 'Cancel every open order of the client',
        response: { 200: CancelOrdersBodyOut },
      }),
    ),
  },
  orders: {
    schema: untyped(
      abpSchema({
        summary: 'Orders by orderIds, requestUuids or userRef (OR), newest first, keyset-paginated',
        description:
          'At least one filter. `nextCursor` is `{ "afterOrderId": n }` while `hasMore`; each order carries its bets.',
        querystring: OrdersQuery,
        response: { 200: OrdersPageBody, 403: denied, 422: filterRequired },
      }),
    ),
  },
  bets: {
    schema: untyped(
      abpSchema({
        summary: 'Bets by betIds, orderIds or userRef (OR), newest first, keyset-paginated',
        querystring: BetsQuery,
        response: { 200: BetsPageBody, 403: denied, 422: filterRequired },
      }),
    ),
  },
  bet: {
    schema: untyped(
      abpSchema({
        summary: 'One bet of the client, with its trace (sentData, receivedData) and settlement',
        params: BetParams,
        response: {
          200: BetBody,
          403: denied,
          404: AbpNotFoundSchema.describe('`{"detail":{"message":"Bet not found","code":"NOT_FOUND"}}`.'),
        },
      }),
    ),
  },
  positions: {
    schema: abpSchema({
      summary: 'Open positions (PLACED or CONFIRMED, UNSETTLED) grouped by bookmaker, account or userRef',
      querystring: AnalyticsQuerySchema,
      response: { 200: PositionsBody },
    }),
  },
  pnl: {
    schema: abpSchema({
      summary: 'Profit and loss of settled bets grouped by bookmaker, account or userRef',
      description:
        '`netPnl` sums `settlementAmount` (the net result: a won back bet stake × (price − 1), a lost one ' +
        '−stake); `winRate` in %.',
      querystring: AnalyticsQuerySchema,
      response: { 200: PnlBody },
    }),
  },
};
