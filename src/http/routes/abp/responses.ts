import { z } from 'zod';
import { ACCOUNT_EXAMPLE, AccountSchema } from '../../../contracts/abp/accounts.js';
import {
  AbpCodedDetailSchema,
  AbpPlainDetailSchema,
  AbpValidationSchema,
} from '../../../contracts/abp/errors.js';
import {
  BetslipSchema,
  BookmakersSchema,
  FixturesSchema,
  MarketsSchema,
} from '../../../contracts/abp/reference.js';
import { exampled, surfaceSchema } from '../../openapi/route-schema.js';

/**
 * The ABP v2 routes' schemas (seed 002, mounted at /abp): `abpSchema` adds the tag, the X-API-Key security
 * and the errors the keyed scope answers on every route (its API-key hook and the schema check).
 */
export const abpSchema = surfaceSchema({
  tags: ['ABP v2'],
  security: [{ ApiKey: [] }],
  errors: {
    401: AbpCodedDetailSchema.describe(
      'X-API-Key missing (`Missing X-API-Key header`) or unknown (`Invalid API key`).',
    ),
    403: AbpCodedDetailSchema.describe(
      'The key is inactive or expired, or the row belongs to another client (`Access denied to this account`).',
    ),
    422: AbpValidationSchema.describe('Validation error: `{"detail":[{"loc","msg","type"}]}`.'),
    429: AbpPlainDetailSchema.describe(
      '`{"detail":"Rate limit exceeded"}`: the key spent its requests per minute.',
    ),
    503: AbpPlainDetailSchema.describe('`{"detail":"The records database is not available"}`.'),
  },
});

/** `{"detail":"…"}` of a route's own refusal. */
export const AbpDetail = (what: string) => AbpPlainDetailSchema.describe(what);

export const AccountBody = exampled(AccountSchema, ACCOUNT_EXAMPLE);
export const AccountsBody = exampled(z.array(AccountSchema), [ACCOUNT_EXAMPLE]);

export const BookmakersBody = exampled(BookmakersSchema, {
  status: 'success',
  bookmakers: [
    {
      bookmaker: 'betfair-ex',
      name: 'Betfair Exchange',
      type: 'exchange',
      minStake: 1,
      maxStake: 10000,
      currencyId: 'USD',
      active: true,
    },
    {
      bookmaker: 'paper',
      name: 'Paper trading',
      type: 'paper',
      minStake: 1,
      maxStake: 100000,
      currencyId: 'USD',
      active: true,
    },
  ],
  count: 2,
});

export const MarketsBody = exampled(MarketsSchema, {
  status: 'success',
  markets: [
    {
      sportId: 1,
      sportName: 'Football',
      marketId: 101,
      marketName: 'Full Time Result',
      marketType: 'MATCH_ODDS',
      handicap: null,
      playerProp: false,
      outcomes: [
        { outcomeId: 101, outcomeName: '1' },
        { outcomeId: 102, outcomeName: 'X' },
        { outcomeId: 103, outcomeName: '2' },
      ],
    },
  ],
  count: 1,
});

const FIXTURE_INFO = {
  fixtureId: '1000001',
  sport: { sportId: 1, sportName: 'Football' },
  tournament: { tournamentName: 'Serie A', categoryName: 'IT' },
  participants: { participant1Name: 'AS Roma', participant2Name: 'Cagliari Calcio' },
  startTime: '2026-11-22T15:00:00.000Z',
  status: 'OPEN',
  inPlay: false,
  scores: null,
};

export const FixturesBody = exampled(FixturesSchema, {
  status: 'success',
  fixtures: [
    {
      ...FIXTURE_INFO,
      outcomes: [
        {
          marketId: 101,
          marketName: 'Full Time Result',
          outcomeId: 101,
          outcomeName: '1',
          playerId: 0,
          handicap: null,
          price: 1.52,
          bookmakers: { 'betfair-ex': 1.52 },
        },
      ],
    },
  ],
  count: 1,
  hasMore: false,
  nextCursor: null,
});

const quote = {
  limitCurrency: 'USD',
  limitMinUsd: 1,
  limitMin: 1,
  active: true,
  currencyInfo: { currencyId: 'USD', usdRate: 1 },
};

export const BetslipBody = exampled(BetslipSchema, {
  fixtureId: '1000001',
  outcomeId: 101,
  playerId: 0,
  client: 'your-client',
  userRef: null,
  fixtureInfo: FIXTURE_INFO,
  outcomeInfo: {
    marketId: 101,
    marketName: 'Full Time Result',
    marketType: 'MATCH_ODDS',
    outcomeName: '1',
    handicap: null,
  },
  playerInfo: null,
  odds: {
    'betfair-ex': {
      '1000001:betfair-ex:101:0': {
        price: 1.52,
        limit: 120,
        limitUsd: 120,
        ...quote,
        account: 'bf_main',
        bookmakerFixtureId: '35540213',
        bookmakerMarketId: '1.257422429',
        bookmakerOutcomeId: '101',
        meta: { source: 'sim', back: [{ price: 1.52, size: 120 }], lay: [{ price: 1.53, size: 95 }] },
      },
    },
    paper: {
      '1000001:paper:101:0': {
        price: 1.52,
        limit: 100000,
        limitUsd: 100000,
        ...quote,
        account: null,
        bookmakerFixtureId: null,
        bookmakerMarketId: null,
        bookmakerOutcomeId: null,
        meta: { bestOf: 'betfair-ex' },
      },
    },
  },
});

const LoginOk = z.object({
  type: z.literal('login_ok'),
  clientName: z.string(),
  channels: z.array(z.string()),
  subscriptionId: z.number().int(),
  access: z.object({ clientFiltered: z.array(z.string()), global: z.array(z.string()) }),
  reliableDelivery: z.boolean(),
  features: z.object({ messageOrdering: z.boolean(), acknowledgments: z.boolean(), batchAck: z.boolean() }),
});

/** /abp/ws: its login is in the protocol, so it has none of the keyed scope's errors. */
export const abpWsSchema = {
  summary: 'ABP WebSocket (upgrade): login, channels, seq, acknowledgments',
  description:
    'Send `{"type":"login","apiKey":"…","channels":[],"reliableDelivery":false}` within 30 s; the server answers ' +
    '`login_ok`, then `data` messages `{channel,event,payload,ts,seq}`. Ack with `{"type":"ack","seq":N}`. ' +
    'Close codes: 4001 login refused, 4002 no pong for 120 s, 4003 output queue full, 4008 no login, ' +
    '4009 100 unacknowledged messages, 4029 more than 5 connections per key, 4400 bad login.',
  tags: ['ABP v2'],
  response: {
    101: exampled(LoginOk.describe('Switching protocols; the first message after a valid login.'), {
      type: 'login_ok',
      clientName: 'your-client',
      channels: ['orders', 'bets', 'settlements'],
      subscriptionId: 1,
      access: {
        clientFiltered: ['orders', 'bets', 'settlements', 'accounts', 'balance', 'betslip'],
        global: ['fixtures', 'currencies', 'status', 'emergency'],
      },
      reliableDelivery: false,
      features: { messageOrdering: true, acknowledgments: false, batchAck: false },
    }),
    426: AbpDetail('Called over plain HTTP: `{"detail":"Upgrade Required: /abp/ws is a WebSocket"}`.'),
  },
};
