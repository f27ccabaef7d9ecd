import { z } from 'zod';
import { exampled, surfaceSchema } from '../../openapi/route-schema.js';
import { AnyObject, diamond, ErrorBody, open } from '../../openapi/schemas.js';
import {
  AutoBody,
  BulkBody,
  ListBetsQuery,
  PlaceBetBody,
  PreviewBody,
  TraceParams,
  VoidBody,
} from './bet-schemas.js';

/**
 * The route schemas of Diamond's roadmap betting routes (seed 000 Appendix C: bets, settlements, the bet
 * trace; bet-routes.ts and settlement-routes.ts): the Diamond password, and the errors each can answer.
 */
const bettingSchema = surfaceSchema({
  tags: ['Diamond v2 betting'],
  security: [{ DiamondPassword: [] }, { DiamondPasswordQuery: [] }],
  errors: {
    400: ErrorBody.describe('Invalid body, query or id.'),
    401: ErrorBody.describe('Missing or wrong password (x-password or ?password=).'),
    503: ErrorBody.describe('Betting is not available (no execution layer / records database).'),
  },
});
const adminOnly = { 403: ErrorBody.describe('The admin credential (x-admin-password) is missing or wrong.') };

const TS = '2026-11-22T15:00:01.000Z';
const env = (data: unknown) => ({ success: true, data, timestamp: TS });
const iso = z.string().nullable();

const Bet = open({
  betId: z.number().int(),
  orderId: z.number().int(),
  requestId: z.string().nullable(),
  gmid: z.string(),
  marketId: z.string().nullable(),
  selectionId: z.number().nullable(),
  runnerName: z.string().nullable(),
  side: z.enum(['back', 'lay']),
  requestedPrice: z.number(),
  price: z.number().nullable().describe('Placed (matched) price.'),
  stake: z.number(),
  currency: z.string(),
  bookmaker: z.string(),
  account: z.string(),
  bookmakerBetId: z.string().nullable(),
  status: z.string().describe('PENDING, PLACED, CONFIRMED, REJECTED, CANCELLED, FAILED or VOID.'),
  orderStatus: z.string(),
  declineReason: z.string().nullable(),
  settlement: open({ status: z.string(), amount: z.number().nullable(), reason: iso, settledAt: iso }),
  placedAt: iso,
  createdAt: z.string(),
  updatedAt: z.string(),
});
const BET = {
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

const Payout = open({
  betId: z.number().int(),
  client: z.string(),
  outcomeId: z.number().int(),
  side: z.enum(['back', 'lay']),
  stake: z.number(),
  price: z.number().nullable(),
  status: z.string().describe('WON, LOST, VOID, ...'),
  amount: z.number().describe('Net result of the bet.'),
  payout: z.number().describe('What its account gets back (stake included).'),
  reason: z.string().nullable(),
});
const Totals = open({ bets: z.number().int(), stake: z.number(), amount: z.number(), payout: z.number() });
/** One game of a settlement: settled (or settleable) with its payouts, or why not (`error`). */
const SettledGame = open({
  gmid: z.string(),
  fixtureId: z.string().optional(),
  source: z.enum(['given', 'recorded']).optional(),
  winners: z.array(open({ selectionId: z.number(), name: z.string() })).optional(),
  bets: z.array(Payout).optional(),
  total: Totals.optional(),
  alreadySettled: z.number().int().optional(),
  error: z.string().optional().describe('Why the game was not settled.'),
});
const Settlement = open({ games: z.array(SettledGame), total: Totals });
const PAYOUT = {
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
const GAME = {
  gmid: '1000001',
  fixtureId: '1000001',
  source: 'given',
  winners: [{ selectionId: 101, name: 'Real Sociedad' }],
  bets: [PAYOUT],
  total: { bets: 1, stake: 10, amount: 15.8, payout: 25.8 },
  alreadySettled: 0,
};

const TraceEvent = open({
  auditId: z.number().int(),
  at: z.string(),
  entity: z.string().describe('order, bet or settlement.'),
  orderId: z.number().int(),
  betId: z.number().int().nullable(),
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  reason: z.string().nullable(),
  sent: z.unknown().describe('What was sent (secrets masked).'),
  received: z.unknown(),
});
const TRACE = [
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
];

export const BET_ROUTES = {
  place: bettingSchema({
    summary: 'Place a back or lay bet on a runner of a game (requestId makes it idempotent)',
    body: PlaceBetBody,
    response: {
      200: exampled(
        diamond(
          open({ duplicate: z.boolean(), order: AnyObject, bets: z.array(Bet) }),
          'The bet (the first one again for a repeated requestId)',
        ),
        env({
          duplicate: false,
          order: { orderId: 12, status: 'FILLED', statusReason: null, filledStake: 10 },
          bets: [BET],
        }),
      ),
      404: ErrorBody.describe('Game not found.'),
      409: ErrorBody.describe('Declined (reason), or the requestId was used for a different bet.'),
      422: ErrorBody.describe('The selection is not a bettable runner of the game.'),
    },
  }),
  list: bettingSchema({
    summary: 'Diamond bets, newest first, by game and status (keyset pages by afterBetId)',
    querystring: ListBetsQuery,
    response: {
      200: exampled(
        diamond(
          open({
            count: z.number().int(),
            bets: z.array(Bet),
            hasMore: z.boolean(),
            nextAfterBetId: z.number().int().nullable(),
          }),
          'Bets',
        ),
        env({ count: 1, bets: [BET], hasMore: false, nextAfterBetId: null }),
      ),
      404: ErrorBody.describe('Game not found.'),
    },
  }),
  traceBet: bettingSchema({
    summary: 'Every state change of a bet and its order, with what was sent and received (secrets masked)',
    params: TraceParams,
    response: {
      200: exampled(
        diamond(open({ bet: AnyObject, order: AnyObject, events: z.array(TraceEvent) }), 'Trace'),
        env({ bet: { betId: 7 }, order: { orderId: 12 }, events: TRACE }),
      ),
      404: ErrorBody.describe('Bet not found.'),
    },
  }),
  traceOrder: bettingSchema({
    summary: 'Every state change of an order and its bets, with what was sent and received (secrets masked)',
    params: TraceParams,
    response: {
      200: exampled(
        diamond(open({ order: AnyObject, bets: z.array(AnyObject), events: z.array(TraceEvent) }), 'Trace'),
        env({ order: { orderId: 12 }, bets: [{ betId: 7 }], events: TRACE }),
      ),
      404: ErrorBody.describe('Order not found.'),
    },
  }),
};

export const SETTLEMENT_ROUTES = {
  preview: bettingSchema({
    summary: 'What settling games on given or recorded winners would pay, per bet and in total (no change)',
    body: PreviewBody,
    response: {
      200: exampled(
        diamond(Settlement, 'Preview'),
        env({ games: [{ settleable: true, ...GAME }], total: GAME.total }),
      ),
    },
  }),
  bulk: bettingSchema({
    summary: 'Settle games on given winners (admin; each game all or nothing; twice changes nothing)',
    body: BulkBody,
    response: {
      200: exampled(
        diamond(Settlement, 'Settled games'),
        env({ games: [{ settled: true, ...GAME }], total: GAME.total }),
      ),
      ...adminOnly,
    },
  }),
  auto: bettingSchema({
    summary: 'Settle every game with open bets whose winner the upstream settled (inferred winners never)',
    body: AutoBody,
    response: {
      200: exampled(
        diamond(Settlement, 'Settled games'),
        env({
          games: [
            { settled: true, ...GAME, source: 'recorded' },
            { gmid: '1000003', settled: false, error: 'No result recorded for this game: give the winners' },
          ],
          total: GAME.total,
        }),
      ),
    },
  }),
  void: bettingSchema({
    summary: "Void a game's settlement (admin, with a reason): payouts reversed, bets unsettled again",
    body: VoidBody,
    response: {
      200: exampled(
        diamond(
          open({
            gmid: z.string(),
            fixtureId: z.string(),
            reason: z.string(),
            bets: z.array(
              open({
                betId: z.number().int(),
                client: z.string(),
                settlement: z.string(),
                reversed: z.number(),
              }),
            ),
            total: open({ bets: z.number().int(), reversed: z.number() }),
          }),
          'Reversed settlements',
        ),
        env({
          gmid: '1000001',
          fixtureId: '1000001',
          reason: 'wrong winner entered',
          bets: [{ betId: 7, client: 'diamond', settlement: 'UNSETTLED', reversed: 25.8 }],
          total: { bets: 1, reversed: 25.8 },
        }),
      ),
      409: ErrorBody.describe('The game has no settled bets.'),
      ...adminOnly,
    },
  }),
};
