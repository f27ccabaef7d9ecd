import { z } from 'zod';
import { exampled, surfaceSchema } from '../../openapi/route-schema.js';
import {
  AnyObject,
  ErrorBody,
  EventIds,
  EventSummary,
  MarketFrame,
  porqpine,
  porqpineList,
  Result,
  SocketEvent,
  open,
} from '../../openapi/schemas.js';

/**
 * The feed's route schemas: `feedSchema` adds the tag, the API-key security and the errors every feed route
 * can answer; the response schemas below document the bodies (the routes send them pre-serialized).
 */
export const feedSchema = surfaceSchema({
  tags: ['Feed (Porqpine v1)'],
  security: [{}, { ApiKey: [] }],
  errors: {
    400: ErrorBody.describe('Invalid parameter.'),
    401: ErrorBody.describe('API keys are configured and X-API-Key is missing or wrong.'),
    429: ErrorBody.describe('The key spent its requests per minute; see Retry-After.'),
  },
});

/** 404 of the single-event routes. */
export const EventNotFound = ErrorBody.describe('No event with that id (internal or bfi).');

export const SportsBody = porqpine(
  z.array(open({ name: z.string(), count: z.number(), sport_id: z.number(), live: z.number() })),
  'Sports',
);
export const EventsBody = porqpineList(EventSummary, 'Events');
export const SocketEventsBody = porqpineList(SocketEvent, 'Live events with prices');
export const SearchBody = porqpineList(EventSummary.extend({ score: z.number() }), 'Matches, best first');

export const EventBody = porqpine(
  EventIds.extend({ event: AnyObject, socket_odds: AnyObject, markets: z.array(AnyObject) }),
  'Event',
);
export const OddsBody = porqpine(
  EventIds.extend({
    match_odds: z.array(MarketFrame),
    fancy: z.array(MarketFrame),
    bookmaker: z.array(MarketFrame),
    updatedAt: z.number(),
    stale: z.boolean(),
  }),
  'Odds',
);
export const FancyBody = porqpine(
  EventIds.extend({ markets: z.array(MarketFrame), count: z.number() }),
  'Fancy',
);
export const BookmakerBody = porqpine(
  EventIds.extend({ markets: z.array(MarketFrame), skeleton: z.array(AnyObject) }),
  'Bookmaker',
);
export const ScoresBody = porqpine(EventIds.extend({ scores: z.unknown(), in_play: z.boolean() }), 'Scores');

const PROXIED = 'https://odds.example/proxy/scorecard/3f786850e387550fdab836ed7e6dc881de23001b/77';
export const ScorecardBody = exampled(
  porqpine(
    EventIds.extend({
      scorecard_url: z.string().nullable(),
      iframe_html: z.string().nullable(),
      _proxy: open({ scorecard_url: z.string() }).nullable(),
    }),
    'Scorecard',
  ),
  {
    success: true,
    data: {
      event_id: '1000014',
      internal_id: '1000014',
      bfi: '33501182',
      scorecard_url: PROXIED,
      iframe_html: `<iframe src='${PROXIED}' width='100%' height='245px' frameborder='0'></iframe>`,
      channel_id: '77',
      hash: '3f786850e387550fdab836ed7e6dc881de23001b',
      original_url: 'https://scores.example/widget?channel=77',
      _proxy: { scorecard_url: '/proxy/scorecard/3f786850e387550fdab836ed7e6dc881de23001b/77' },
    },
  },
);

const TRACKER = 'https://odds.example/proxy/tracker/12562643?productName=v33-1-dark';
export const StreamBody = exampled(
  porqpine(
    EventIds.extend({
      streams: z.array(open({ type: z.string(), url: z.string(), original_url: z.string() })),
    }),
    'Streams',
  ),
  {
    success: true,
    data: {
      event_id: '1000014',
      internal_id: '1000014',
      bfi: '33501182',
      team_a: 'Inter',
      team_b: 'Juventus',
      streams: [
        {
          type: 'tracker',
          url: TRACKER,
          iframe_html: `<iframe src='${TRACKER}' width='100%' height='300px' frameborder='0'></iframe>`,
          original_url: 'https://tracker.example/match/12562643',
        },
      ],
    },
  },
);

export const UnifiedBody = exampled(
  porqpine(
    open({
      match_ids: z.array(z.string()).describe('The ids asked for, as strings.'),
      market: z.record(z.string(), AnyObject.nullable()).describe('Odds by asked id; null when unknown.'),
      source: z.string().describe('live, or stale when any bucket is stale.'),
      found: z.number().int(),
      missing: z.array(z.string()),
    }),
    'Odds by requested id',
  ),
  {
    success: true,
    data: {
      match_ids: ['1000014', '999'],
      market: {
        '1000014': { event_id: '1000014', internal_id: '1000014', match_odds: [], source: 'live' },
        '999': null,
      },
      source: 'live',
      found: 1,
      missing: ['999'],
    },
  },
);

export const RawFramesBody = porqpineList(AnyObject, 'Raw frames');
export const ScoreFramesBody = porqpineList(AnyObject, 'Score frames');
export const ResultsBody = porqpineList(Result, 'Results, newest first (archive reads add `next_cursor`)');
export const ResultBody = porqpine(Result, 'Result');
export const ArbsBody = porqpineList(AnyObject, 'Arbitrages');
