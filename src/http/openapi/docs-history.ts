import { z } from 'zod';
import type { RouteDoc, RouteDocs } from './route-doc.js';
import { diamond, ErrorBody, IdParams, porqpine } from './schemas.js';

const feedSecurity: RouteDoc['security'] = [{}, { ApiKey: [] }];
const diamondSecurity: RouteDoc['security'] = [{ DiamondPassword: [] }, { DiamondPasswordQuery: [] }];

const Query = z.object({
  market: z.string().optional().describe('One market id (default: every market of the event).'),
  runner: z.string().optional().describe('One selection id (default: every runner).'),
  from: z.string().optional().describe('ISO time or epoch ms, inclusive (default: `to` minus a window).'),
  to: z
    .string()
    .optional()
    .describe('ISO time or epoch ms, exclusive (default: now, or just after the last tick history holds).'),
  interval: z
    .enum(['raw', '1s', '1m', '5m', '1h'])
    .optional()
    .describe(
      'raw ticks (range ≤ 24 h) or candles of 1s (≤ 6 h), 1m (≤ 7 days, default), 5m (≤ 31 days), 1h (≤ 366 days); ' +
        'at most 20,000 points a response.',
    ),
});

const Ohlc = z.object({ open: z.number(), high: z.number(), low: z.number(), close: z.number() }).nullable();
const Point = z.looseObject({
  ts: z.number().describe('Epoch ms: the tick, or the candle bucket start.'),
  back: z.union([z.number(), Ohlc]).nullable().describe('Best back price (raw) or its OHLC (candles).'),
  lay: z.union([z.number(), Ohlc]).nullable(),
  ltp: z.union([z.number(), Ohlc]).nullable(),
});
const HistoryData = z.looseObject({
  event_id: z.number(),
  interval: z.string(),
  from: z.string(),
  to: z.string(),
  points: z.number(),
  markets: z.array(
    z.looseObject({
      market_id: z.string(),
      market_name: z.string(),
      runners: z.array(z.looseObject({ selection_id: z.number(), name: z.string(), points: z.array(Point) })),
    }),
  ),
  gaps: z.array(
    z.looseObject({ from: z.string().nullable(), to: z.string().nullable(), reason: z.string() }),
  ),
});

const candle = {
  ts: 1_780_000_020_000,
  back: { open: 2.1, high: 2.14, low: 2.08, close: 2.12 },
  lay: { open: 2.12, high: 2.16, low: 2.1, close: 2.14 },
  ltp: { open: 2.1, high: 2.14, low: 2.1, close: 2.12 },
  volume: 1520.5,
  ticks: 14,
};
const historyExample = {
  event_id: 1000001,
  interval: '1m',
  from: '2026-05-28T20:00:00.000Z',
  to: '2026-05-28T20:02:00.000Z',
  points: 1,
  markets: [
    {
      market_id: '1.234567890',
      market_name: 'Match Odds',
      market_type: 'MATCH_ODDS',
      source: 'betfair',
      runners: [{ selection_id: 47972, name: 'Arsenal', points: [candle] }],
    },
  ],
  gaps: [],
};
const line = {
  at: '2026-05-28T19:59:58.120Z',
  back: 2.12,
  back_size: 3054.2,
  lay: 2.14,
  lay_size: 1290,
  ltp: 2.12,
  tv: 1843021.55,
};
const closingExample = {
  event_id: 1000001,
  markets: [
    {
      market_id: '1.234567890',
      market_name: 'Match Odds',
      market_type: 'MATCH_ODDS',
      runners: [
        {
          selection_id: 47972,
          name: 'Arsenal',
          closing: line,
          opening_in_play: { ...line, at: '2026-05-28T20:00:01.004Z', back: 2.08, lay: 2.1 },
          bsp: 2.13,
        },
      ],
    },
  ],
};

const errors = {
  400: ErrorBody.describe('Invalid parameter, range too long for the interval, or more than 20,000 points.'),
  404: ErrorBody.describe('Neither the live state nor history knows the event.'),
  502: ErrorBody.describe('The records database did not answer; retry.'),
  503: ErrorBody.describe('No records database in this process.'),
};

/** The odds-history routes of the feed and Diamond surfaces. */
export const HISTORY_DOCS: RouteDocs = {
  'GET /api/v1/feed/event/:id/odds/history': {
    tags: ['Feed (Porqpine v1)'],
    security: feedSecurity,
    summary: 'Odds history of an event: ticks or OHLC candles per runner',
    description:
      'Best back and lay (price and size), last traded price, traded volume, status and in-play per runner at ' +
      'every change (`raw`), or candles (open, high, low, close of best back, best lay and LTP, plus the volume ' +
      'traded in the bucket). Buckets without a change have no candle. By internal id or bfi; `ETag` for ' +
      'revalidation. Gaps the history writer recorded in the range are listed.',
    params: IdParams,
    querystring: Query,
    response: {
      200: porqpine(HistoryData, 'Odds history'),
      401: ErrorBody.describe('API keys are configured and X-API-Key is missing or wrong.'),
      ...errors,
    },
    example: { success: true, data: { ...historyExample, bfi: '34567890' } },
  },
  'GET /api/v1/feed/event/:id/closing': {
    tags: ['Feed (Porqpine v1)'],
    security: feedSecurity,
    summary: 'Closing lines (last pre-play prices), first in-play prices and BSP per runner',
    params: IdParams,
    querystring: Query.pick({ market: true }),
    response: {
      200: porqpine(z.looseObject({ event_id: z.number(), markets: z.array(z.looseObject({})) }), 'Lines'),
      401: ErrorBody.describe('API keys are configured and X-API-Key is missing or wrong.'),
      ...errors,
    },
    example: { success: true, data: closingExample },
  },
  'GET /api/v2/diamond/games/:gmid/odds/history': {
    tags: ['Diamond v2'],
    security: diamondSecurity,
    summary: 'Odds history of a game (the roadmap route): ticks or OHLC candles per runner',
    description: 'The feed history in the Diamond envelope, camelCase fields; same query and limits.',
    params: z.object({ gmid: z.string().describe('Internal id or bfi.') }),
    querystring: Query,
    response: {
      200: diamond(z.looseObject({ gmid: z.number(), markets: z.array(z.looseObject({})) }), 'Odds history'),
      401: ErrorBody.describe('Missing or wrong password (x-password or ?password=).'),
      ...errors,
    },
    example: {
      success: true,
      data: {
        gmid: 1000001,
        eventId: 1000001,
        interval: '1m',
        from: historyExample.from,
        to: historyExample.to,
        points: 1,
        markets: [
          {
            marketId: '1.234567890',
            marketName: 'Match Odds',
            marketType: 'MATCH_ODDS',
            source: 'betfair',
            runners: [{ selectionId: 47972, name: 'Arsenal', points: [candle] }],
          },
        ],
        gaps: [],
      },
      timestamp: '2026-05-28T20:02:00.100Z',
    },
  },
};
