import { z } from 'zod';
import type { RouteDoc, RouteDocs } from './route-doc.js';
import { AnyObject, diamond, ErrorBody } from './schemas.js';

const P = '/api/v2/diamond';
const tags = ['Diamond v2 betting'];
const security: RouteDoc['security'] = [{ DiamondPassword: [] }, { DiamondPasswordQuery: [] }];
const common = {
  400: ErrorBody.describe('Invalid body, query or id.'),
  401: ErrorBody.describe('Missing or wrong password (x-password or ?password=).'),
  503: ErrorBody.describe('Betting is not available (no execution layer / records database).'),
};
const admin = { 403: ErrorBody.describe('The admin credential (x-admin-password) is missing or wrong.') };

function doc(d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc {
  return { tags, security, ...d, response: { ...common, ...d.response } };
}

const TS = '2026-11-22T15:00:01.000Z';

const Bet = z.looseObject({
  betId: z.number().int(),
  orderId: z.number().int(),
  requestId: z.string().nullable(),
  gmid: z.string(),
  marketId: z.string().nullable(),
  selectionId: z.number().nullable(),
  side: z.enum(['back', 'lay']),
  requestedPrice: z.number(),
  price: z.number().nullable().describe('Placed (matched) price.'),
  stake: z.number(),
  bookmaker: z.string(),
  status: z.string().describe('PENDING, PLACED, CONFIRMED, REJECTED, CANCELLED, FAILED or VOID.'),
  settlement: z.looseObject({ status: z.string(), amount: z.number().nullable() }),
});

const betExample = {
  betId: 7,
  orderId: 12,
  requestId: 'desk-42',
  gmid: '1000001',
  marketId: '1.257422429',
  selectionId: 101,
  runnerName: 'Real Sociedad',
  side: 'back',
  requestedPrice: 2.5,
  price: 2.58,
  stake: 10,
  currency: 'USD',
  bookmaker: 'paper',
  account: 'house',
  bookmakerBetId: 'paper-3',
  status: 'CONFIRMED',
  orderStatus: 'FILLED',
  declineReason: null,
  settlement: { status: 'UNSETTLED', amount: null, reason: null, settledAt: null },
  placedAt: TS,
  createdAt: TS,
  updatedAt: TS,
};

const payoutExample = {
  betId: 7,
  client: 'diamond',
  outcomeId: 101,
  side: 'back',
  stake: 10,
  price: 2.58,
  status: 'WON',
  amount: 15.8,
  payout: 25.8,
  reason: 'Result: Real Sociedad',
};
const gameExample = {
  gmid: '1000001',
  fixtureId: '1000001',
  source: 'given',
  winners: [{ selectionId: 101, name: 'Real Sociedad' }],
  bets: [payoutExample],
  total: { bets: 1, stake: 10, amount: 15.8, payout: 25.8 },
  alreadySettled: 0,
};
const Settlement = z.looseObject({ games: z.array(AnyObject), total: AnyObject });
const settleBody = z.object({
  games: z.array(
    z.object({
      gmid: z.string(),
      winners: z.array(z.number().int()).optional().describe('Winning selection ids of the match odds.'),
      void: z.literal(true).optional().describe('No winner: every bet is void (stake back).'),
    }),
  ),
});
const env = (data: unknown) => ({ success: true, data, timestamp: TS });

const trace = {
  events: [
    {
      auditId: 1,
      at: TS,
      entity: 'order',
      orderId: 12,
      betId: null,
      fromStatus: null,
      toStatus: 'PENDING',
      reason: null,
      sent: { fixtureId: '1000001', outcomeId: 101 },
      received: null,
    },
    {
      auditId: 4,
      at: TS,
      entity: 'bet',
      orderId: 12,
      betId: 7,
      fromStatus: 'PENDING',
      toStatus: 'CONFIRMED',
      reason: 'placed',
      sent: null,
      received: { paperBetId: 3, price: 2.58 },
    },
  ],
};

/** Diamond's roadmap betting routes (seed 000 Appendix C): bets, settlements, bet trace. */
export const DIAMOND_BETTING_DOCS: RouteDocs = {
  [`POST ${P}/bets`]: doc({
    summary: 'Place a back or lay bet on a runner of a game (requestId makes it idempotent)',
    body: z.object({
      gmid: z.string(),
      selectionId: z.number().int(),
      side: z.enum(['back', 'lay']),
      price: z.number(),
      stake: z.number(),
      requestId: z.string(),
      marketId: z.string().optional(),
      bookmaker: z.string().optional().describe('Bookmaker slug (default paper).'),
    }),
    response: {
      200: diamond(
        z.looseObject({ duplicate: z.boolean(), order: AnyObject, bets: z.array(Bet) }),
        'The bet (the first one again for a repeated requestId)',
      ),
      404: ErrorBody.describe('Game not found.'),
      409: ErrorBody.describe('Declined (reason), or the requestId was used for a different bet.'),
      422: ErrorBody.describe('The selection is not a bettable runner of the game.'),
    },
    example: env({
      duplicate: false,
      order: { orderId: 12, status: 'FILLED', statusReason: null, filledStake: 10 },
      bets: [betExample],
    }),
  }),
  [`GET ${P}/bets`]: doc({
    summary: 'Diamond bets, newest first, by game and status (keyset pages by afterBetId)',
    response: {
      200: diamond(z.looseObject({ count: z.number(), bets: z.array(Bet), hasMore: z.boolean() }), 'Bets'),
    },
    example: env({ count: 1, bets: [betExample], hasMore: false, nextAfterBetId: null }),
  }),
  [`POST ${P}/settlements/preview`]: doc({
    summary: 'What settling games on given or recorded winners would pay, per bet and in total (no change)',
    body: settleBody,
    response: { 200: diamond(Settlement, 'Preview') },
    example: env({ games: [{ settleable: true, ...gameExample }], total: gameExample.total }),
  }),
  [`POST ${P}/settlements/bulk`]: doc({
    summary: 'Settle games on given winners (admin; each game all or nothing; twice changes nothing)',
    body: settleBody,
    response: { 200: diamond(Settlement, 'Settled games'), ...admin },
    example: env({ games: [{ settled: true, ...gameExample }], total: gameExample.total }),
  }),
  [`POST ${P}/settlements/auto`]: doc({
    summary: 'Settle every game with open bets whose winner the upstream settled (inferred winners never)',
    body: z.object({ gmids: z.array(z.string()).optional() }).optional(),
    response: { 200: diamond(Settlement, 'Settled games') },
    example: env({
      games: [
        { settled: true, ...gameExample, source: 'recorded' },
        { gmid: '1000003', settled: false, error: 'No result recorded for this game: give the winners' },
      ],
      total: gameExample.total,
    }),
  }),
  [`POST ${P}/settlements/void`]: doc({
    summary: "Void a game's settlement (admin, with a reason): payouts reversed, bets unsettled again",
    body: z.object({ gmid: z.string(), reason: z.string() }),
    response: {
      200: diamond(AnyObject, 'Reversed settlements'),
      409: ErrorBody.describe('The game has no settled bets.'),
      ...admin,
    },
    example: env({
      gmid: '1000001',
      fixtureId: '1000001',
      reason: 'wrong winner entered',
      bets: [{ betId: 7, client: 'diamond', settlement: 'UNSETTLED', reversed: 25.8 }],
      total: { bets: 1, reversed: 25.8 },
    }),
  }),
  [`GET ${P}/trace/bets/:id`]: doc({
    summary: 'Every state change of a bet and its order, with what was sent and received (secrets masked)',
    params: z.object({ id: z.string() }),
    response: {
      200: diamond(z.looseObject({ bet: AnyObject, order: AnyObject, events: z.array(AnyObject) }), 'Trace'),
      404: ErrorBody.describe('Bet not found.'),
    },
    example: env({ bet: { betId: 7 }, order: { orderId: 12 }, ...trace }),
  }),
  [`GET ${P}/trace/orders/:id`]: doc({
    summary: 'Every state change of an order and its bets, with what was sent and received (secrets masked)',
    params: z.object({ id: z.string() }),
    response: {
      200: diamond(
        z.looseObject({ order: AnyObject, bets: z.array(AnyObject), events: z.array(AnyObject) }),
        'Trace',
      ),
      404: ErrorBody.describe('Order not found.'),
    },
    example: env({ order: { orderId: 12 }, bets: [{ betId: 7 }], ...trace }),
  }),
};
