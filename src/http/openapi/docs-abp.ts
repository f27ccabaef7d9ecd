import { z } from 'zod';
import {
  ACCOUNT_EXAMPLE,
  AccountCreateSchema,
  AccountListQuerySchema,
  AccountPathSchema,
  AccountSchema,
  AccountUpdateSchema,
} from '../../contracts/abp/accounts.js';
import {
  AbpCodedDetailSchema,
  AbpPlainDetailSchema,
  AbpValidationSchema,
} from '../../contracts/abp/errors.js';
import {
  BetslipQuerySchema,
  BetslipSchema,
  BookmakersSchema,
  FixturesQuerySchema,
  FixturesSchema,
  MarketsQuerySchema,
  MarketsSchema,
} from '../../contracts/abp/reference.js';
import { AbpKeyCreateSchema, AbpKeyIdSchema } from '../routes/admin/abp-keys.js';
import { EmergencyBodySchema } from '../routes/admin/emergency.js';
import type { RouteDoc, RouteDocs } from './route-doc.js';
import { ErrorBody } from './schemas.js';

const P = '/abp';
const tags = ['ABP v2'];
const security: RouteDoc['security'] = [{ ApiKey: [] }];
const common = {
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
};

function doc(d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc {
  return { tags, security, ...d, response: { ...common, ...d.response } };
}

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

const BETSLIP_EXAMPLE = {
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
        limitMin: 1,
        limitCurrency: 'USD',
        limitUsd: 120,
        limitMinUsd: 1,
        active: true,
        account: 'bf_main',
        currencyInfo: { currencyId: 'USD', usdRate: 1 },
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
        limitMin: 1,
        limitCurrency: 'USD',
        limitUsd: 100000,
        limitMinUsd: 1,
        active: true,
        account: null,
        currencyInfo: { currencyId: 'USD', usdRate: 1 },
        bookmakerFixtureId: null,
        bookmakerMarketId: null,
        bookmakerOutcomeId: null,
        meta: { bestOf: 'betfair-ex' },
      },
    },
  },
};

const LoginOk = z.object({
  type: z.literal('login_ok'),
  clientName: z.string(),
  channels: z.array(z.string()),
  subscriptionId: z.number().int(),
  access: z.object({ clientFiltered: z.array(z.string()), global: z.array(z.string()) }),
  reliableDelivery: z.boolean(),
  features: z.object({ messageOrdering: z.boolean(), acknowledgments: z.boolean(), batchAck: z.boolean() }),
});

/** The ABP v2 surface (seed 002) at /abp. */
export const ABP_DOCS: RouteDocs = {
  [`GET ${P}/accounts`]: doc({
    summary: 'List accounts for client',
    description:
      'The authenticated client’s bookmaker accounts, highest priority first; passwords always `***`.',
    querystring: AccountListQuerySchema,
    response: { 200: z.array(AccountSchema) },
    example: [ACCOUNT_EXAMPLE],
  }),
  [`POST ${P}/accounts`]: doc({
    summary: 'Create account',
    description:
      'Creates a bookmaker account for the client; the credential is encrypted at rest (AES-256-GCM, SECRETS_KEY). ' +
      'Answers 201; 409 `{"detail":"Account already exists"}` when (bookmaker, username) is taken.',
    body: AccountCreateSchema,
    response: { 201: AccountSchema.describe('Created: the account.'), 409: AbpPlainDetailSchema },
    example: ACCOUNT_EXAMPLE,
  }),
  [`GET ${P}/accounts/:bookmaker/:username`]: doc({
    summary: 'Get account by key',
    params: AccountPathSchema,
    response: { 200: AccountSchema, 404: AbpPlainDetailSchema },
    example: ACCOUNT_EXAMPLE,
  }),
  [`PATCH ${P}/accounts/:bookmaker/:username`]: doc({
    summary: 'Update account',
    description: 'Only the given fields change; a balance change is also pushed on the `balance` channel.',
    params: AccountPathSchema,
    body: AccountUpdateSchema,
    response: { 200: AccountSchema, 404: AbpPlainDetailSchema },
    example: ACCOUNT_EXAMPLE,
  }),
  [`DELETE ${P}/accounts/:bookmaker/:username`]: doc({
    summary: 'Delete account',
    description: 'Answers 204 with no body.',
    params: AccountPathSchema,
    response: { 204: z.null().describe('Deleted: no content.'), 404: AbpPlainDetailSchema },
  }),
  [`GET ${P}/bookmakers`]: doc({
    summary: 'List all bookmakers',
    description:
      'Slugs and default stake limits; `paper` and the books of oddsgate’s sources included. Cached 60 s.',
    response: { 200: BookmakersSchema },
    example: {
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
    },
  }),
  [`GET ${P}/markets`]: doc({
    summary: 'Get all markets with odds types',
    description:
      'oddsgate’s outcome-id catalogue per sport (README "ABP outcome ids"), sorted by sportId then marketId.',
    querystring: MarketsQuerySchema,
    response: { 200: MarketsSchema },
    example: {
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
    },
  }),
  [`GET ${P}/fixtures`]: doc({
    summary: 'List fixtures with outcomes and current prices',
    description:
      'Fixtures are oddsgate events (`fixtureId` = internal event id). Keyset pagination by `afterFixtureId`.',
    querystring: FixturesQuerySchema,
    response: { 200: FixturesSchema },
    example: {
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
    },
  }),
  [`GET ${P}/betslip`]: doc({
    summary: 'Get live odds and betslip metadata',
    description:
      'Odds of one outcome from every bookmaker that has it (limit cascade account > bookmaker > odds). Opens or ' +
      'extends a 60 s window pushing changes on the `betslip` channel. `futureId` answers 501.',
    querystring: BetslipQuerySchema,
    response: { 200: BetslipSchema, 404: AbpPlainDetailSchema, 501: AbpPlainDetailSchema },
    example: BETSLIP_EXAMPLE,
  }),
  [`GET ${P}/ws`]: {
    summary: 'ABP WebSocket (upgrade): login, channels, seq, acknowledgments',
    description:
      'Send `{"type":"login","apiKey":"…","channels":[],"reliableDelivery":false}` within 30 s; the server answers ' +
      '`login_ok`, then `data` messages `{channel,event,payload,ts,seq}`. Ack with `{"type":"ack","seq":N}`. ' +
      'Close codes: 4001 login refused, 4002 no pong for 120 s, 4003 output queue full, 4008 no login, ' +
      '4009 100 unacknowledged messages, 4029 more than 5 connections per key, 4400 bad login.',
    tags,
    response: { 101: LoginOk.describe('Switching protocols; the first message after a valid login.') },
    example: {
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
    },
  },
};

const KeyRecord = z.object({
  id: z.string(),
  clientName: z.string(),
  bookmakers: z.array(z.string()),
  rateLimit: z.number().int(),
  enabled: z.boolean(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
const KEY_EXAMPLE = {
  id: '5b0f3c1e-2f55-4c43-9a55-0d3f1f6a9b10',
  clientName: 'your-client',
  bookmakers: [],
  rateLimit: 60,
  enabled: true,
  expiresAt: null,
  createdAt: '2026-12-06T07:00:00.000Z',
  disabledAt: null,
};
const admin = (d: Omit<RouteDoc, 'tags' | 'security' | 'headers'>): RouteDoc => ({
  tags: ['Admin'],
  security: [{}, { ApiKey: [] }],
  headers: z.object({
    'x-admin-password': z.string().describe('The admin credential (DIAMOND_ADMIN_PASSWORD).'),
  }),
  ...d,
  response: {
    400: ErrorBody.describe('Invalid body or key id.'),
    403: ErrorBody.describe('x-admin-password missing or wrong, or no admin credential is configured.'),
    ...d.response,
  },
});

const EmergencyState = z.object({
  enabled: z.boolean().describe('While true, every ABP order is declined with `Emergency mode: …`.'),
  reason: z.string().nullable().describe('Why (shown to clients in the decline reason); null when off.'),
  since: z.iso.datetime().nullable().describe('When it last changed; null if it never has.'),
});
const EMERGENCY_EXAMPLE = {
  success: true,
  data: { enabled: true, reason: 'Upstream provider maintenance', since: '2026-12-06T08:00:00.000Z' },
};
const EMERGENCY_DOCS: RouteDocs = {
  'GET /api/v1/admin/emergency': {
    summary: 'Emergency mode of order execution: on or off, why, since when',
    tags: ['Admin'],
    security: [{}, { ApiKey: [] }],
    response: {
      200: z.object({ success: z.literal(true), data: EmergencyState }),
      503: ErrorBody.describe('Order execution is not running on this instance.'),
    },
    example: EMERGENCY_EXAMPLE,
  },
  'POST /api/v1/admin/emergency': admin({
    summary: 'Turn emergency mode on (every ABP order declined with the reason) or off',
    description:
      'Every instance sees the switch within a second; each change is pushed on the ABP WebSocket ' +
      '`emergency` channel as `{"active","reason","ts"}`. A reason is required to turn it on.',
    body: EmergencyBodySchema,
    response: {
      200: z.object({ success: z.literal(true), data: EmergencyState }),
      503: ErrorBody.describe('Order execution is not running on this instance.'),
    },
    example: EMERGENCY_EXAMPLE,
  }),
};

/** ABP key administration under /api/v1/admin (admin credential on every route). */
export const ABP_ADMIN_DOCS: RouteDocs = {
  'GET /api/v1/admin/abp/keys': admin({
    summary: 'List ABP API keys (never the keys themselves)',
    response: {
      200: z.object({ success: z.literal(true), count: z.number().int(), data: z.array(KeyRecord) }),
    },
    example: { success: true, count: 1, data: [KEY_EXAMPLE] },
  }),
  'POST /api/v1/admin/abp/keys': admin({
    summary: 'Create an ABP API key (201; the key is shown once)',
    body: AbpKeyCreateSchema,
    response: {
      201: z.object({ success: z.literal(true), data: KeyRecord.extend({ apiKey: z.string() }) }),
    },
    example: { success: true, data: { apiKey: 'f3b8c9d2-7a41-4f0e-9c1d-2b6a8e5f4c37', ...KEY_EXAMPLE } },
  }),
  'POST /api/v1/admin/abp/keys/:id/disable': admin({
    summary: 'Disable an ABP API key (its requests answer 403 API key is inactive)',
    params: AbpKeyIdSchema,
    response: { 200: z.object({ success: z.literal(true), data: KeyRecord }), 404: ErrorBody },
    example: {
      success: true,
      data: { ...KEY_EXAMPLE, enabled: false, disabledAt: '2026-12-06T08:00:00.000Z' },
    },
  }),
  'POST /api/v1/admin/abp/keys/:id/enable': admin({
    summary: 'Enable an ABP API key again',
    params: AbpKeyIdSchema,
    response: { 200: z.object({ success: z.literal(true), data: KeyRecord }), 404: ErrorBody },
    example: { success: true, data: KEY_EXAMPLE },
  }),
  ...EMERGENCY_DOCS,
};
