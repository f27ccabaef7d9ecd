import { z } from 'zod';
import {
  MmAccountSchema,
  MmBetSchema,
  MmBetSummarySchema,
  MmCancelAllSchema,
  MmCancelSchema,
  MmDetailSchema,
  MmFixtureSchema,
  MmMarketSchema,
  MmOrderSchema,
  MmOrderSummarySchema,
  mmPage,
  MmPlayerSchema,
  MmPnlSchema,
  MmPositionSchema,
  MmPositionSummarySchema,
  MmSubscribedSchema,
  MmValidationSchema,
} from '../../../contracts/mm/reads.js';
import { exampled, surfaceSchema } from '../../openapi/route-schema.js';
import {
  BetParams,
  BetsQuery,
  CancelAllQuery,
  DateRangeQuery,
  FixtureParams,
  FixturesQuery,
  OpenOrdersQuery,
  OrderParams,
  OrdersQuery,
  PositionsQuery,
  SportQuery,
} from './schemas.js';

/**
 * The MM read API's route schemas (seed 002, /mm/api/v1): `mmSchema` adds the tag, the X-API-Key security
 * and the errors the keyed scope answers on every route (its API-key hook and the schema check).
 */
export const mmSchema = surfaceSchema({
  tags: ['MM v1'],
  security: [{ ApiKey: [] }],
  errors: {
    401: MmDetailSchema.describe(
      '`{"detail":"Invalid or missing API key"}` (missing, not a UUID, unknown or inactive).',
    ),
    422: MmValidationSchema.describe('Validation error: `{"detail":[{"loc","msg","type"}]}`.'),
    429: MmDetailSchema.describe('`{"detail":"Rate limit exceeded"}` (100 requests a minute per key).'),
    503: MmDetailSchema.describe('`{"detail":"The records database is not available"}`.'),
  },
});

const notFound = (what: string) =>
  MmDetailSchema.describe(`\`{"detail":"${what} not found"}\` (also another client's).`);

const ORDER = {
  orderId: 123,
  fixtureId: '1000001',
  outcomeId: 101,
  playerId: 0,
  exchange: 'betfair-ex',
  exchangeOrderId: '345678901',
  exchangeOutcomeId: '1000001:101:0',
  orderStatus: 'FILLED',
  matchedStatus: 'FULLY_MATCHED',
  orderCents: 0.5128,
  orderStake: 100,
  matchedStake: 100,
  openStake: 0,
  back: true,
  settlementStatus: 'UNDECIDED',
  bookmakerOutcomePrice: 1.95,
  bookmakerOutcomeLimit: null,
  createdAt: '2026-12-06T07:29:32.000Z',
  matchedAt: '2026-12-06T07:29:35.000Z',
};
const BET = {
  betId: 456,
  orderId: 123,
  client: 'demo',
  bookmaker: 'paper',
  bookmakerBetId: '789',
  placedPrice: 1.95,
  placedStake: 100,
  betStatus: 'placed',
  settlementStatus: null,
  settlementAmount: null,
  fixtureId: '1000001',
  outcomeId: 101,
  account: 'paper_main',
  declineReason: null,
  placedAt: '2026-12-06T07:29:38.000Z',
  createdAt: '2026-12-06T07:29:37.000Z',
};
const POSITION = {
  fixtureId: '1000001',
  outcomeId: 101,
  exchange: 'betfair-ex',
  orderCount: 3,
  totalStake: 300,
  matchedStake: 150,
  openStake: 100,
  avgPrice: 1.95,
  firstOrderAt: '2026-12-06T07:29:32.000Z',
  lastOrderAt: '2026-12-06T07:41:02.000Z',
};
const FIXTURE = {
  fixtureId: '1000001',
  sport: { sportId: 1, sportName: 'Soccer' },
  tournament: { tournamentName: 'Spanish La Liga', categoryName: 'ES' },
  participants: { participant1Name: 'Real Sociedad', participant2Name: 'Betis' },
  startTime: '2026-12-06T15:00:00.000Z',
  status: 'IN_PLAY',
  inPlay: true,
  scores: null,
  tournamentId: null,
};
const noExecution = MmDetailSchema.describe('No execution layer on this instance.');

/** The route options (schemas) of src/http/routes/mm/reads.ts and reference.ts. */
export const MM_ROUTES = {
  me: mmSchema({
    summary: 'The client the API key belongs to',
    response: {
      200: exampled(z.looseObject({ client: z.string(), clientName: z.string(), active: z.boolean() }), {
        client: 'demo',
        clientName: 'demo',
        active: true,
      }),
    },
  }),
  orders: mmSchema({
    summary: 'Exchange orders of the client, newest first, keyset-paginated, by fixture, exchange and status',
    description: 'Pass `nextCursor` as `before_id` for the next page while `hasMore`.',
    querystring: OrdersQuery,
    response: {
      200: exampled(mmPage('orders', MmOrderSchema), {
        orders: [ORDER],
        count: 1,
        hasMore: false,
        nextCursor: null,
      }),
    },
  }),
  openOrders: mmSchema({
    summary: 'Every open order of the client (PENDING_PLACEMENT or PLACED), not paginated',
    querystring: OpenOrdersQuery,
    response: {
      200: exampled(z.array(MmOrderSchema), [
        { ...ORDER, orderStatus: 'PLACED', matchedStatus: 'NOT_MATCHED', matchedStake: 0, openStake: 100 },
      ]),
    },
  }),
  orderSummary: mmSchema({
    summary: 'Order statistics of the client over an optional date range',
    querystring: DateRangeQuery,
    response: {
      200: exampled(MmOrderSummarySchema, {
        totalOrders: 12,
        byStatus: { FILLED: 9, CANCELLED: 3 },
        totalStake: 1200,
        matchedStake: 900,
        fillRate: 75,
      }),
    },
  }),
  order: mmSchema({
    summary: 'One exchange order of the client',
    params: OrderParams,
    response: { 200: exampled(MmOrderSchema, ORDER), 404: notFound('Order') },
  }),
  cancel: mmSchema({
    summary: 'Cancel one open order of the client through the execution order service',
    params: OrderParams,
    response: {
      200: exampled(MmCancelSchema, {
        orderId: 123,
        cancelled: true,
        reason: null,
        order: { ...ORDER, orderStatus: 'CANCELLED' },
      }),
      404: notFound('Order'),
      503: noExecution,
    },
  }),
  cancelAll: mmSchema({
    summary: 'Cancel every open order of the client, optionally of one exchange or fixture',
    querystring: CancelAllQuery,
    response: {
      200: exampled(MmCancelAllSchema, {
        cancelled: [123, 124],
        notCancelled: [{ orderId: 125, reason: 'Order is being placed' }],
        count: 2,
      }),
      503: noExecution,
    },
  }),
  bets: mmSchema({
    summary: 'Hedge bets of the client, newest first, keyset-paginated, by order, bookmaker and status',
    querystring: BetsQuery,
    response: {
      200: exampled(mmPage('bets', MmBetSchema), { bets: [BET], count: 1, hasMore: false, nextCursor: null }),
    },
  }),
  betSummary: mmSchema({
    summary: 'Bet statistics of the client over an optional date range',
    querystring: DateRangeQuery,
    response: {
      200: exampled(MmBetSummarySchema, {
        totalBets: 9,
        byStatus: { placed: 8, declined: 1 },
        bySettlement: { UNSETTLED: 6, WON: 2, LOST: 1 },
        totalStake: 900,
        settlementAmount: 90,
      }),
    },
  }),
  bet: mmSchema({
    summary: 'One hedge bet of the client',
    params: BetParams,
    response: { 200: exampled(MmBetSchema, BET), 404: notFound('Bet') },
  }),
  positions: mmSchema({
    summary: 'Positions: the client orders aggregated by fixture, outcome and exchange',
    querystring: PositionsQuery,
    response: { 200: exampled(z.array(MmPositionSchema), [POSITION]) },
  }),
  positionSummary: mmSchema({
    summary: 'Totals over the client positions',
    querystring: PositionsQuery,
    response: {
      200: exampled(MmPositionSummarySchema, {
        totalPositions: 4,
        fixtures: 2,
        totalOrders: 12,
        totalStake: 1200,
        matchedStake: 900,
        openStake: 200,
      }),
    },
  }),
  pnl: mmSchema({
    summary: 'Realized PnL of settled orders and unrealized PnL of open matched stake',
    description:
      'Realized: WON matchedStake × (1/probability − 1), LOST −matchedStake, HALF_WON / HALF_LOST half. ' +
      'Unrealized: matchedStake × (1/probability − 1) over unsettled matched orders.',
    querystring: DateRangeQuery,
    response: {
      200: exampled(MmPnlSchema, {
        realizedPnl: 45,
        unrealizedPnl: 190,
        totalPnl: 235,
        settledOrders: 3,
        openOrders: 2,
        won: 2,
        lost: 1,
        halfWon: 0,
        halfLost: 0,
        void: 0,
        settledStake: 300,
        openMatchedStake: 200,
      }),
    },
  }),
  accounts: mmSchema({
    summary: 'Accounts of the client, without credentials',
    response: {
      200: exampled(z.array(MmAccountSchema), [
        {
          exchange: 'betfair-ex',
          username: 'bf_main',
          client: 'demo',
          bookmaker: 'betfair-ex',
          balance: 50000,
          currency: 'USD',
          maxOutcomeStake: 1000,
          minStake: 2,
          priority: 10,
          active: true,
        },
      ]),
    },
  }),
  fixtures: mmSchema({
    summary: 'Fixtures the client has orders on (all=true: every fixture), by sport, tournament, live status',
    description: 'Ascending by id; pass `nextCursor` as `after_id` for the next page while `hasMore`.',
    querystring: FixturesQuery,
    response: {
      200: exampled(mmPage('fixtures', MmFixtureSchema), {
        fixtures: [FIXTURE],
        count: 1,
        hasMore: false,
        nextCursor: null,
      }),
    },
  }),
  fixture: mmSchema({
    summary: 'One fixture',
    params: FixtureParams,
    response: { 200: exampled(MmFixtureSchema, FIXTURE), 404: notFound('Fixture') },
  }),
  markets: mmSchema({
    summary: 'Markets the current books of a sport carry, with their outcome ids and bookmakers',
    querystring: SportQuery,
    response: {
      200: exampled(z.array(MmMarketSchema), [
        { marketId: 1, outcomeIds: [101, 102, 103], playerIds: [], bookmakers: ['betfair-ex', 'paper'] },
      ]),
    },
  }),
  players: mmSchema({
    summary: 'Players with prop markets in a sport (none of the sources carries player props yet)',
    querystring: SportQuery,
    response: { 200: exampled(z.array(MmPlayerSchema), []) },
  }),
};

/** /mm/ws/subscribe: its key is in the protocol (subscribe), so it has none of the keyed scope's errors. */
export const mmWsSchema = {
  summary: 'MM WebSocket (upgrade): subscribe with api_key, broadcasts with old values, heartbeat',
  description:
    'Send `{"type":"subscribe","api_key":"<uuid>","channels":["orders","bets","accounts","scores","emergency"]}` ' +
    'within 30 s; the server answers `subscribed`, then `{"type":"broadcast",channel,event,payload,old}`. ' +
    '`{"type":"ping"}` → `{"type":"pong"}`; `{"type":"heartbeat"}` every 60 s; `{"type":"unsubscribe"}`. ' +
    'Errors: `api_key required`, `Invalid api_key format`, `Invalid API key`, `Connection limit exceeded` (5 per ' +
    'key). Close codes: 4001 refused, 4003 output queue full, 4008 no subscribe, 4029 connection limit. ' +
    'A plain HTTP GET is 426.',
  tags: ['MM v1'],
  response: {
    101: exampled(
      MmSubscribedSchema.describe('Switching protocols; the first message after a valid subscribe.'),
      {
        type: 'subscribed',
        subscription_id: 1,
        channels: ['orders', 'bets'],
      },
    ),
    426: MmDetailSchema.describe('Called over plain HTTP.'),
  },
};
