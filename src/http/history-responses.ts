import { z } from 'zod';
import { exampled } from './openapi/route-schema.js';
import { diamond, ErrorBody, open, porqpine } from './openapi/schemas.js';

/**
 * The odds-history answers (src/records/history/query.ts): the feed writes them snake_case in the Porqpine
 * envelope, Diamond camelCase in its own (routes/diamond/odds-history.ts `camelKeys`). One builder for both.
 */
type Key = (snake: string) => string;
const snake: Key = (k) => k;
const camel: Key = (k) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const num = z.number().nullable();
const Ohlc = open({ open: z.number(), high: z.number(), low: z.number(), close: z.number() }).nullable();

/** Schema entries with their names written by `k` (snake_case as given, or camelCase). */
function keyed<T>(k: Key, entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.map(([n, v]) => [k(n), v]));
}

/** A raw point: a runner's prices at one change. */
function tickShape(k: Key) {
  return open(
    keyed<z.ZodType>(k, [
      ['ts', z.number().describe('Epoch ms of the change.')],
      ['back', num.describe('Best back price.')],
      ['back_size', num],
      ['lay', num],
      ['lay_size', num],
      ['ltp', num.describe('Last traded price.')],
      ['tv', num.describe('Traded volume so far.')],
      ['status', z.string()],
      ['market_status', z.string()],
      ['in_play', z.boolean()],
    ]),
  );
}

/** A candle point: OHLC of best back, best lay and LTP over one bucket (its keys need no case). */
function candleShape() {
  return open({
    ts: z.number().describe('Epoch ms of the bucket start.'),
    back: Ohlc.describe('OHLC of the best back price.'),
    lay: Ohlc,
    ltp: Ohlc,
    volume: z.number().describe('Traded in the bucket.'),
    ticks: z.number().int(),
  });
}

/** A market with its runners in the given shape. */
function marketShape(k: Key, runner: z.ZodType) {
  return open(
    keyed<z.ZodType>(k, [
      ['market_id', z.string()],
      ['market_name', z.string()],
      ['market_type', z.string()],
      ['runners', z.array(runner)],
    ]),
  );
}

/** The odds-history answer: the range, its markets' runners with their points, and the recorded gaps. */
function historyShape(k: Key) {
  const runner = open(
    keyed<z.ZodType>(k, [
      ['selection_id', z.number()],
      ['name', z.string()],
      ['points', z.array(z.union([tickShape(k), candleShape()]))],
    ]),
  );
  return open(
    keyed<z.ZodType>(k, [
      ['interval', z.enum(['raw', '1s', '1m', '5m', '1h'])],
      ['from', z.string()],
      ['to', z.string()],
      ['points', z.number().int().describe('Points in the answer (at most 20,000).')],
      ['markets', z.array(marketShape(k, runner).extend({ source: z.string() }))],
      ['gaps', z.array(open({ from: z.string().nullable(), to: z.string().nullable(), reason: z.string() }))],
    ]),
  );
}

/** The closing answer's markets: per runner the last pre-play and first in-play prices, and the BSP. */
function closingShape(k: Key) {
  const line = open(
    keyed<z.ZodType>(k, [
      ['at', z.string()],
      ['back', num],
      ['back_size', num],
      ['lay', num],
      ['lay_size', num],
      ['ltp', num],
      ['tv', num],
    ]),
  ).nullable();
  const runner = open(
    keyed<z.ZodType>(k, [
      ['selection_id', z.number()],
      ['name', z.string()],
      ['closing', line.describe('The last pre-play prices.')],
      ['opening_in_play', line.describe('The first in-play prices.')],
      ['bsp', num.describe('Betfair starting price.')],
    ]),
  );
  return z.array(marketShape(k, runner));
}

/** The history and closing schemas with their keys written by `k`. */
function shapes(k: Key) {
  return { history: historyShape(k), closing: closingShape(k) };
}

const feed = shapes(snake);
const games = shapes(camel);

const candle = {
  ts: 1_780_000_020_000,
  back: { open: 2.1, high: 2.14, low: 2.08, close: 2.12 },
  lay: { open: 2.12, high: 2.16, low: 2.1, close: 2.14 },
  ltp: { open: 2.1, high: 2.14, low: 2.1, close: 2.12 },
  volume: 1520.5,
  ticks: 14,
};
const RANGE = { interval: '1m', from: '2026-05-28T20:00:00.000Z', to: '2026-05-28T20:02:00.000Z', points: 1 };
const line = {
  at: '2026-05-28T19:59:58.120Z',
  back: 2.12,
  back_size: 3054.2,
  lay: 2.14,
  lay_size: 1290,
  ltp: 2.12,
  tv: 1843021.55,
};

/** The errors every history route can answer (beside its surface's own). */
export const HISTORY_ERRORS = {
  400: ErrorBody.describe('Invalid parameter, range too long for the interval, or more than 20,000 points.'),
  404: ErrorBody.describe('Neither the live state nor history knows the event.'),
  502: ErrorBody.describe('The records database did not answer; retry.'),
  503: ErrorBody.describe('No records database in this process.'),
};

export const HISTORY_DESCRIPTION =
  'Best back and lay (price and size), last traded price, traded volume, status and in-play per runner at ' +
  'every change (`raw`), or candles (open, high, low, close of best back, best lay and LTP, plus the volume ' +
  'traded in the bucket). Buckets without a change have no candle. By internal id or bfi; `ETag` for ' +
  'revalidation. Gaps the history writer recorded in the range are listed.';

/** `/api/v1/feed/event/:id/odds/history`. */
export const FeedHistoryBody = exampled(
  porqpine(feed.history.extend({ event_id: z.number(), bfi: z.string().nullable() }), 'Odds history'),
  {
    success: true,
    data: {
      event_id: 1000001,
      ...RANGE,
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
      bfi: '34567890',
    },
  },
);

/** `/api/v1/feed/event/:id/closing`. */
export const FeedClosingBody = exampled(
  porqpine(open({ event_id: z.number(), markets: feed.closing }), 'Closing and opening lines'),
  {
    success: true,
    data: {
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
    },
  },
);

/** `/api/v2/diamond/games/:gmid/odds/history`: the feed's answer, camelCase, `gmid` as the event id. */
export const GameHistoryBody = exampled(
  diamond(games.history.extend({ gmid: z.number(), eventId: z.number() }), 'Odds history'),
  {
    success: true,
    data: {
      gmid: 1000001,
      eventId: 1000001,
      ...RANGE,
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
);
