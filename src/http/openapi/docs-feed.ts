import { z } from 'zod';
import { ADMIN_DOCS } from './docs-admin.js';
import type { RouteDoc, RouteDocs } from './route-doc.js';
import {
  AnyObject,
  ErrorBody,
  EventIds,
  EventSummary,
  IdParams,
  MarketFrame,
  porqpine,
  porqpineList,
  Result,
  SocketEvent,
  SportQuery,
} from './schemas.js';

const P = '/api/v1/feed';
const tags = ['Feed (Porqpine v1)'];
const security: RouteDoc['security'] = [{}, { ApiKey: [] }];

/** 401/429 (only with API keys configured) and 400 for bad input, on every feed route. */
const common = {
  400: ErrorBody.describe('Invalid parameter.'),
  401: ErrorBody.describe('API keys are configured and X-API-Key is missing or wrong.'),
  429: ErrorBody.describe('The key spent its requests per minute; see Retry-After.'),
};
const notFound = { 404: ErrorBody.describe('No event with that id (internal or bfi).') };

function doc(
  d: Omit<RouteDoc, 'tags' | 'security' | 'response'> & { response: RouteDoc['response'] },
): RouteDoc {
  return { tags, security, ...d, response: { ...common, ...d.response } };
}

/** /feed/health serves the admin health body (the Porqpine page links it as its JSON). */
const ADMIN_HEALTH = 'GET /api/v1/admin/health';

const limit = (max: number) =>
  z.string().regex(/^\d+$/).optional().describe(`Most items returned (1..${max}).`);

/** The Porqpine v1 feed routes. */
export const FEED_DOCS: RouteDocs = {
  [`GET ${P}/sports`]: doc({
    summary: 'Sports with event counts and sample names',
    response: {
      200: porqpine(
        z.array(
          z.looseObject({ name: z.string(), count: z.number(), sport_id: z.number(), live: z.number() }),
        ),
        'Sports',
      ),
    },
  }),
  [`GET ${P}/events`]: doc({
    summary: 'The full event catalogue',
    description: 'Every open event; `sport` filters case-insensitively.',
    querystring: SportQuery,
    response: { 200: porqpineList(EventSummary, 'Events') },
  }),
  [`GET ${P}/events/live`]: doc({
    summary: 'In-play events only',
    querystring: SportQuery,
    response: { 200: porqpineList(EventSummary, 'Live events') },
  }),
  [`GET ${P}/socket-events`]: doc({
    summary: 'Live events with real back/lay prices on every selection',
    description:
      'The only list where horse racing and greyhounds appear. `lay_odds: null` is a thin lay book.',
    querystring: SportQuery,
    response: { 200: porqpineList(SocketEvent, 'Live events with prices') },
  }),
  [`GET ${P}/search`]: doc({
    summary: 'Search events by name',
    querystring: z.object({
      q: z.string().describe('Words of the event, team or competition name.'),
      limit: limit(100),
    }),
    response: { 200: porqpineList(EventSummary.extend({ score: z.number() }), 'Matches, best first') },
  }),
  [`GET ${P}/event/:id`]: doc({
    summary: 'One event: metadata, live odds and market summary',
    params: IdParams,
    response: {
      200: porqpine(
        EventIds.extend({ event: AnyObject, socket_odds: AnyObject, markets: z.array(AnyObject) }),
        'Event',
      ),
      ...notFound,
    },
  }),
  [`GET ${P}/event/:id/odds`]: doc({
    summary: 'All markets of an event: match odds, fancy and bookmaker',
    description: 'Asking engages the live feed for the event (it stays subscribed while asked for).',
    params: IdParams,
    querystring: z.object({ view: z.string().optional().describe('Optional view of the markets.') }),
    response: {
      200: porqpine(
        EventIds.extend({
          match_odds: z.array(MarketFrame),
          fancy: z.array(MarketFrame),
          bookmaker: z.array(MarketFrame),
          updatedAt: z.number(),
          stale: z.boolean(),
        }),
        'Odds',
      ),
      ...notFound,
    },
  }),
  [`GET ${P}/event/:id/fancy`]: doc({
    summary: 'Cricket fancy markets of an event',
    params: IdParams,
    response: {
      200: porqpine(EventIds.extend({ markets: z.array(MarketFrame), count: z.number() }), 'Fancy'),
      ...notFound,
    },
  }),
  [`GET ${P}/event/:id/bookmaker`]: doc({
    summary: 'Bookmaker markets of an event (with the skeleton listing)',
    params: IdParams,
    response: {
      200: porqpine(
        EventIds.extend({ markets: z.array(MarketFrame), skeleton: z.array(AnyObject) }),
        'Bookmaker',
      ),
      ...notFound,
    },
  }),
  [`GET ${P}/event/:id/scores`]: doc({
    summary: 'Live score of an event',
    params: IdParams,
    response: {
      200: porqpine(EventIds.extend({ scores: z.unknown(), in_play: z.boolean() }), 'Scores'),
      ...notFound,
    },
  }),
  [`GET ${P}/event/:id/scorecard`]: doc({
    summary: 'Scorecard iframe URL, proxied so it embeds from any origin',
    description:
      '`_proxy.scorecard_url` is the path of the iframe proxy (`/proxy/scorecard/:hash/:channel`).',
    params: IdParams,
    response: {
      200: porqpine(
        EventIds.extend({
          scorecard_url: z.string().nullable(),
          iframe_html: z.string().nullable(),
          _proxy: z.object({ scorecard_url: z.string() }).nullable(),
        }),
        'Scorecard',
      ),
      ...notFound,
    },
    example: {
      success: true,
      data: {
        event_id: '1000014',
        internal_id: '1000014',
        bfi: '33501182',
        scorecard_url: 'https://odds.example/proxy/scorecard/3f786850e387550fdab836ed7e6dc881de23001b/77',
        iframe_html:
          "<iframe src='https://odds.example/proxy/scorecard/3f786850e387550fdab836ed7e6dc881de23001b/77' width='100%' height='245px' frameborder='0'></iframe>",
        channel_id: '77',
        hash: '3f786850e387550fdab836ed7e6dc881de23001b',
        original_url: 'https://scores.example/widget?channel=77',
        _proxy: { scorecard_url: '/proxy/scorecard/3f786850e387550fdab836ed7e6dc881de23001b/77' },
      },
    },
  }),
  [`GET ${P}/event/:id/stream`]: doc({
    summary: 'Live tracker, scorecard and HLS streams (proxied iframes)',
    params: IdParams,
    response: {
      200: porqpine(
        EventIds.extend({
          streams: z.array(z.looseObject({ type: z.string(), url: z.string(), original_url: z.string() })),
        }),
        'Streams',
      ),
      ...notFound,
    },
    example: {
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
            url: 'https://odds.example/proxy/tracker/12562643?productName=v33-1-dark',
            iframe_html:
              "<iframe src='https://odds.example/proxy/tracker/12562643?productName=v33-1-dark' width='100%' height='300px' frameborder='0'></iframe>",
            original_url: 'https://tracker.example/match/12562643',
          },
        ],
      },
    },
  }),
  [`POST ${P}/odds/unified`]: doc({
    summary: 'Odds of many events at once (at most 50 ids)',
    body: z.object({ matchIds: z.array(z.string()).min(1).max(50).describe('Internal ids or bfis.') }),
    response: { 200: porqpine(z.record(z.string(), AnyObject), 'Odds by requested id') },
    example: {
      success: true,
      data: { '1000014': { event_id: '1000014', internal_id: '1000014', match_odds: [] } },
      missing: [],
    },
  }),
  [`GET ${P}/socket-odds`]: doc({
    summary: 'Recent raw market frames',
    querystring: z.object({
      limit: limit(500),
      market_id: z.string().optional().describe('One market.'),
      bfi: z.string().optional().describe('Every market of one Betfair event.'),
    }),
    response: { 200: porqpineList(AnyObject, 'Raw frames') },
  }),
  [`GET ${P}/socket-scores`]: doc({
    summary: 'Score frames of an event',
    querystring: z.object({ event_id: z.string().optional().describe('bfi of the event.') }),
    response: { 200: porqpineList(AnyObject, 'Score frames') },
  }),
  [`GET ${P}/results`]: doc({
    summary: 'Completed events with final odds, scores and the winner',
    querystring: SportQuery.extend({
      limit: limit(500),
      since: z.string().optional().describe('ISO time: only results completed after it.'),
      from: z
        .string()
        .optional()
        .describe(
          'ISO time: the results archive, completed at or after it (any of from, to, cursor reads it).',
        ),
      to: z.string().optional().describe('ISO time: the results archive, completed before it.'),
      cursor: z
        .string()
        .optional()
        .describe('Opaque: the `next_cursor` of the previous archive page (null on the last page).'),
    }),
    response: { 200: porqpineList(Result, 'Results, newest first (archive reads add `next_cursor`)') },
  }),
  [`GET ${P}/result/:id`]: doc({
    summary: 'One completed event',
    params: IdParams,
    response: { 200: porqpine(Result, 'Result'), 404: ErrorBody.describe('No result for that id.') },
  }),
  [`GET ${P}/arbs`]: doc({
    summary: 'Arbitrages across books, best edge first',
    description:
      'Markets whose best prices across sources and bookmakers lock a profit, with the stake split. ' +
      'Only comparable markets (same type and line, runners one to one, every leg open and fresher than ' +
      'ARB_MAX_AGE_MS, never fancy), in decimal odds (bookmaker rates converted; legs keep the quoted `rate`). ' +
      'Edges above ARB_MAX_EDGE, or with every leg from one book, are suspect: only `suspect=1` lists them, ' +
      'each with its `suspect` reason.',
    querystring: SportQuery.extend({
      min_edge: z.string().optional().describe('Smallest edge in percent (0..100).'),
      total: z.string().optional().describe('Total stake to split (default BOOKS_ARB_TOTAL).'),
      suspect: z.enum(['0', '1']).optional().describe('1: list the suspect arbitrages instead (operators).'),
    }),
    response: { 200: porqpineList(AnyObject, 'Arbitrages') },
  }),
  [`GET ${P}/health`]: doc({
    summary: 'Health as JSON, as the Porqpine page header links it: the body of /api/v1/admin/health',
    description: '200 when ok, 503 when degraded (see /api/v1/admin/health). Never cached.',
    response: ADMIN_DOCS[ADMIN_HEALTH]?.response ?? {},
  }),
};
