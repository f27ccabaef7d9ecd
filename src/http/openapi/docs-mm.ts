import { z } from 'zod';
import {
  BetParams,
  BetsQuery,
  CancelAllQuery,
  DateRangeQuery,
  MmDetail,
  MmValidation,
  OpenOrdersQuery,
  OrderParams,
  OrdersQuery,
  PositionsQuery,
} from '../routes/mm/schemas.js';
import { FixtureParams, FixturesQuery, SportQuery } from '../routes/mm/reference.js';
import type { RouteDoc, RouteDocs } from './route-doc.js';

const tags = ['MM v1'];
const security: RouteDoc['security'] = [{ ApiKey: [] }];
const common = {
  401: MmDetail.describe(
    '`{"detail":"Invalid or missing API key"}` (missing, not a UUID, unknown or inactive).',
  ),
  422: MmValidation.describe('Validation error: `{"detail":[{"loc","msg","type"}]}`.'),
  429: MmDetail.describe('`{"detail":"Rate limit exceeded"}` (100 requests a minute per key).'),
};
const doc = (d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc => ({
  tags,
  security,
  ...d,
  response: { ...common, ...d.response },
});

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
const Fixture = z.looseObject({ fixtureId: z.string(), inPlay: z.boolean() });
const Order = z.looseObject({ orderId: z.number(), orderStatus: z.string(), matchedStake: z.number() });
const Bet = z.looseObject({ betId: z.number(), orderId: z.number(), betStatus: z.string() });
const Position = z.looseObject({ fixtureId: z.string(), outcomeId: z.number(), totalStake: z.number() });
const page = (key: string, item: z.ZodType) =>
  z.looseObject({
    [key]: z.array(item),
    count: z.number(),
    hasMore: z.boolean(),
    nextCursor: z.number().nullable(),
  });
const notFound = (what: string) =>
  MmDetail.describe(`\`{"detail":"${what} not found"}\` (also another client's).`);

/** The MM read API (src/http/routes/mm/). */
export const MM_DOCS: RouteDocs = {
  'GET /mm/api/v1/me': doc({
    summary: 'The client the API key belongs to',
    response: { 200: z.looseObject({ client: z.string(), clientName: z.string(), active: z.boolean() }) },
    example: { client: 'demo', clientName: 'demo', active: true },
  }),
  'GET /mm/api/v1/orders': doc({
    summary: 'Exchange orders of the client, newest first, keyset-paginated, by fixture, exchange and status',
    description: 'Pass `nextCursor` as `before_id` for the next page while `hasMore`.',
    querystring: OrdersQuery,
    response: { 200: page('orders', Order) },
    example: { orders: [ORDER], count: 1, hasMore: false, nextCursor: null },
  }),
  'GET /mm/api/v1/orders/open': doc({
    summary: 'Every open order of the client (PENDING_PLACEMENT or PLACED), not paginated',
    querystring: OpenOrdersQuery,
    response: { 200: z.array(Order) },
    example: [
      { ...ORDER, orderStatus: 'PLACED', matchedStatus: 'NOT_MATCHED', matchedStake: 0, openStake: 100 },
    ],
  }),
  'GET /mm/api/v1/orders/summary': doc({
    summary: 'Order statistics of the client over an optional date range',
    querystring: DateRangeQuery,
    response: { 200: z.looseObject({ totalOrders: z.number(), byStatus: z.record(z.string(), z.number()) }) },
    example: {
      totalOrders: 12,
      byStatus: { FILLED: 9, CANCELLED: 3 },
      totalStake: 1200,
      matchedStake: 900,
      fillRate: 75,
    },
  }),
  'GET /mm/api/v1/orders/:order_id': doc({
    summary: 'One exchange order of the client',
    params: OrderParams,
    response: { 200: Order, 404: notFound('Order') },
    example: ORDER,
  }),
  'POST /mm/api/v1/orders/:order_id/cancel': doc({
    summary: 'Cancel one open order of the client through the execution order service',
    params: OrderParams,
    response: {
      200: z.looseObject({ orderId: z.number(), cancelled: z.boolean(), reason: z.string().nullable() }),
      404: notFound('Order'),
      503: MmDetail.describe('No execution layer on this instance.'),
    },
    example: { orderId: 123, cancelled: true, reason: null, order: { ...ORDER, orderStatus: 'CANCELLED' } },
  }),
  'POST /mm/api/v1/orders/cancel-all': doc({
    summary: 'Cancel every open order of the client, optionally of one exchange or fixture',
    querystring: CancelAllQuery,
    response: {
      200: z.looseObject({ cancelled: z.array(z.number()), notCancelled: z.array(z.looseObject({})) }),
      503: MmDetail.describe('No execution layer on this instance.'),
    },
    example: {
      cancelled: [123, 124],
      notCancelled: [{ orderId: 125, reason: 'Order is being placed' }],
      count: 2,
    },
  }),
  'GET /mm/api/v1/bets': doc({
    summary: 'Hedge bets of the client, newest first, keyset-paginated, by order, bookmaker and status',
    querystring: BetsQuery,
    response: { 200: page('bets', Bet) },
    example: { bets: [BET], count: 1, hasMore: false, nextCursor: null },
  }),
  'GET /mm/api/v1/bets/summary': doc({
    summary: 'Bet statistics of the client over an optional date range',
    querystring: DateRangeQuery,
    response: { 200: z.looseObject({ totalBets: z.number(), byStatus: z.record(z.string(), z.number()) }) },
    example: {
      totalBets: 9,
      byStatus: { placed: 8, declined: 1 },
      bySettlement: { UNSETTLED: 6, WON: 2, LOST: 1 },
      totalStake: 900,
      settlementAmount: 90,
    },
  }),
  'GET /mm/api/v1/bets/:bet_id': doc({
    summary: 'One hedge bet of the client',
    params: BetParams,
    response: { 200: Bet, 404: notFound('Bet') },
    example: BET,
  }),
  'GET /mm/api/v1/positions': doc({
    summary: 'Positions: the client orders aggregated by fixture, outcome and exchange',
    querystring: PositionsQuery,
    response: { 200: z.array(Position) },
    example: [POSITION],
  }),
  'GET /mm/api/v1/positions/summary': doc({
    summary: 'Totals over the client positions',
    querystring: PositionsQuery,
    response: { 200: z.looseObject({ totalPositions: z.number(), totalStake: z.number() }) },
    example: {
      totalPositions: 4,
      fixtures: 2,
      totalOrders: 12,
      totalStake: 1200,
      matchedStake: 900,
      openStake: 200,
    },
  }),
  'GET /mm/api/v1/pnl': doc({
    summary: 'Realized PnL of settled orders and unrealized PnL of open matched stake',
    description:
      'Realized: WON matchedStake × (1/probability − 1), LOST −matchedStake, HALF_WON / HALF_LOST half. ' +
      'Unrealized: matchedStake × (1/probability − 1) over unsettled matched orders.',
    querystring: DateRangeQuery,
    response: {
      200: z.looseObject({ realizedPnl: z.number(), unrealizedPnl: z.number(), totalPnl: z.number() }),
    },
    example: {
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
    },
  }),
  'GET /mm/api/v1/accounts': doc({
    summary: 'Accounts of the client, without credentials',
    response: {
      200: z.array(z.looseObject({ exchange: z.string(), username: z.string(), active: z.boolean() })),
    },
    example: [
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
    ],
  }),
  'GET /mm/api/v1/fixtures': doc({
    summary: 'Fixtures the client has orders on (all=true: every fixture), by sport, tournament, live status',
    description: 'Ascending by id; pass `nextCursor` as `after_id` for the next page while `hasMore`.',
    querystring: FixturesQuery,
    response: { 200: page('fixtures', Fixture) },
    example: { fixtures: [FIXTURE], count: 1, hasMore: false, nextCursor: null },
  }),
  'GET /mm/api/v1/fixtures/:fixture_id': doc({
    summary: 'One fixture',
    params: FixtureParams,
    response: { 200: Fixture, 404: notFound('Fixture') },
    example: FIXTURE,
  }),
  'GET /mm/api/v1/markets': doc({
    summary: 'Markets the current books of a sport carry, with their outcome ids and bookmakers',
    querystring: SportQuery,
    response: { 200: z.array(z.looseObject({ marketId: z.number(), outcomeIds: z.array(z.number()) })) },
    example: [
      { marketId: 1, outcomeIds: [101, 102, 103], playerIds: [], bookmakers: ['betfair-ex', 'paper'] },
    ],
  }),
  'GET /mm/api/v1/players': doc({
    summary: 'Players with prop markets in a sport (none of the sources carries player props yet)',
    querystring: SportQuery,
    response: { 200: z.array(z.looseObject({ playerId: z.number() })) },
    example: [],
  }),
  'GET /mm/ws/subscribe': {
    summary: 'MM WebSocket (upgrade): subscribe with api_key, broadcasts with old values, heartbeat',
    description:
      'Send `{"type":"subscribe","api_key":"<uuid>","channels":["orders","bets","accounts","scores","emergency"]}` ' +
      'within 30 s; the server answers `subscribed`, then `{"type":"broadcast",channel,event,payload,old}`. ' +
      '`{"type":"ping"}` → `{"type":"pong"}`; `{"type":"heartbeat"}` every 60 s; `{"type":"unsubscribe"}`. ' +
      'Errors: `api_key required`, `Invalid api_key format`, `Invalid API key`, `Connection limit exceeded` (5 per ' +
      'key). Close codes: 4001 refused, 4003 output queue full, 4008 no subscribe, 4029 connection limit. ' +
      'A plain HTTP GET is 426.',
    tags,
    response: {
      101: z
        .looseObject({
          type: z.literal('subscribed'),
          subscription_id: z.number(),
          channels: z.array(z.string()),
        })
        .describe('Switching protocols; the first message after a valid subscribe.'),
      426: MmDetail.describe('Called over plain HTTP.'),
    },
    example: { type: 'subscribed', subscription_id: 1, channels: ['orders', 'bets'] },
  },
};
