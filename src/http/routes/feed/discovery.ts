import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Event } from '../../../model/index.js';
import { renderEventSummary, renderSocketEvent } from '../../../contracts/porqpine/events.js';
import type { FreshnessContext } from '../../../contracts/porqpine/freshness.js';
import { cacheControl, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendBody } from '../../porqpine/http.js';
import { isPriced, SIDE_MARKET_TYPES } from '../../../contracts/porqpine/markets.js';
import { porqpineSport, RACING_SPORT_IDS } from '../../../contracts/porqpine/sports.js';
import { porqpineState } from '../../porqpine/state.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { confirmationsNow, sportFilter } from './context.js';
import { sportField } from './params.js';
import { EventsBody, feedSchema, SocketEventsBody, SportsBody } from './responses.js';

const SportQuery = z.object({ sport: sportField });

/** Sample events listed per sport by /sports. */
const SPORT_SAMPLE = 5;

/** Events of the REST catalogue (racing only appears in /socket-events, as in Porqpine), soonest first. */
function catalogue(app: FastifyInstance, sportId: number | undefined): Event[] {
  return app.readModel
    .eventList(sportId)
    .filter((e) => e.status !== 'CLOSED' && !RACING_SPORT_IDS.has(e.sportId))
    .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id - b.id);
}

/** True when the event has an open, priced market other than fancy/bookmaker (live back/lay). */
function hasLivePrices(app: FastifyInstance, e: Event): boolean {
  return app.readModel
    .marketsOf(e.id)
    .some((m) => m.status === 'OPEN' && !SIDE_MARKET_TYPES.has(m.type) && isPriced(m));
}

/**
 * Sends a cached list body (bytes and ETag made once; 304 on a match): rebuilt when the sport's slice of
 * the read model changes, or when one of its `stale` flags would now be judged otherwise (time passed
 * the TTL of a fresh one, or a source it depends on changed state).
 */
function sendList(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  key: string,
  sportId: number | undefined,
  ttlSec: number,
  build: (ctx: FreshnessContext) => unknown,
): FastifyReply {
  const version = app.readModel.sportVersion(sportId);
  const cached = porqpineState(app).responses.timed(key, version, confirmationsNow(app), Date.now(), (ctx) =>
    JSON.stringify(build(ctx)),
  );
  return sendBody(req, reply, cached.body, cacheControl(ttlSec), cached.etag);
}

function eventsBody(app: FastifyInstance, events: Event[], ttlSec: number, ctx: FreshnessContext) {
  const data = events.map((e) =>
    renderEventSummary(e, { ctx, ttlSec, markets: app.readModel.marketsOf(e.id) }),
  );
  return { success: true, count: data.length, data };
}

const EMPTY_LIST = JSON.stringify({ success: true, count: 0, data: [] });

/**
 * A list filtered by the `sport` query: an empty list for a sport no event has (cached for `ttlSec`), else
 * the sport's cached body (sendList) under `prefix:<sport id or all>`.
 */
function sendSportList(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  prefix: string,
  sport: string | undefined,
  ttlSec: number,
  build: (sportId: number | undefined, ctx: FreshnessContext) => unknown,
): void {
  const sportId = sportFilter(app, sport);
  if (sportId === null) {
    sendBody(req, reply, EMPTY_LIST, cacheControl(ttlSec));
    return;
  }
  sendList(app, req, reply, `${prefix}:${sportId ?? 'all'}`, sportId, ttlSec, (ctx) => build(sportId, ctx));
}

/** /sports, /events, /events/live, /socket-events. */
export const discoveryRoutes: FastifyPluginAsync = async (app) => {
  catalogueRoutes(app);
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/socket-events',
    {
      schema: feedSchema({
        summary: 'Live events with real back/lay prices on every selection',
        description:
          'The only list where horse racing and greyhounds appear. `lay_odds: null` is a thin lay book.',
        querystring: SportQuery,
        response: { 200: SocketEventsBody },
      }),
    },
    (req, reply) => {
      sendSportList(app, req, reply, 'socket-events', req.query.sport, 0, (sportId, ctx) =>
        socketEventsBody(app, sportId, ctx),
      );
    },
  );
};

/** /sports, /events and /events/live: the REST catalogue. */
function catalogueRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Sync handlers (no promise per request) that return nothing: a sync handler returning the reply would
  // have Fastify wait on it as a thenable. A thrown HttpError still reaches the error handler.
  r.get(
    '/sports',
    {
      schema: feedSchema({
        summary: 'Sports with event counts and sample names',
        response: { 200: SportsBody },
      }),
    },
    (req, reply) => {
      sendList(app, req, reply, 'sports', undefined, TTL_SEC.lists, () => sportsBody(app));
    },
  );
  r.get(
    '/events',
    {
      schema: feedSchema({
        summary: 'The full event catalogue',
        description: 'Every open event; `sport` filters case-insensitively.',
        querystring: SportQuery,
        response: { 200: EventsBody },
      }),
    },
    (req, reply) => {
      sendSportList(app, req, reply, 'events', req.query.sport, TTL_SEC.lists, (sportId, ctx) =>
        eventsBody(app, catalogue(app, sportId), TTL_SEC.lists, ctx),
      );
    },
  );
  r.get(
    '/events/live',
    { schema: feedSchema({ summary: 'In-play events only', response: { 200: EventsBody } }) },
    (req, reply) => {
      sendList(app, req, reply, 'events-live', undefined, TTL_SEC.lists, (ctx) =>
        eventsBody(
          app,
          catalogue(app, undefined).filter((e) => e.inPlay),
          TTL_SEC.lists,
          ctx,
        ),
      );
    },
  );
}

/** /sports: open catalogue events grouped by sport, most events first, with a few names each. */
function sportsBody(app: FastifyInstance) {
  const bySport = new Map<number, Event[]>();
  for (const e of catalogue(app, undefined)) {
    const list = bySport.get(e.sportId) ?? [];
    list.push(e);
    bySport.set(e.sportId, list);
  }
  const data = [...bySport]
    .map(([id, events]) => ({
      name: porqpineSport(id),
      count: events.length,
      events: events.slice(0, SPORT_SAMPLE).map((e) => ({ id: e.id, name: e.name })),
      sport_id: id,
      live: events.filter((e) => e.inPlay).length,
    }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { success: true, data };
}

/** /socket-events: open events with live prices, in-play first, each with its best prices. */
function socketEventsBody(app: FastifyInstance, sportId: number | undefined, ctx: FreshnessContext) {
  const data = app.readModel
    .eventList(sportId)
    .filter((e) => e.status !== 'CLOSED' && hasLivePrices(app, e))
    .sort((a, b) => Number(b.inPlay) - Number(a.inPlay) || a.startTime.localeCompare(b.startTime))
    .map((e) => {
      const markets = app.readModel.marketsOf(e.id);
      return renderSocketEvent(e, markets, { ctx, ttlSec: TTL_SEC.live, markets });
    });
  return { success: true, count: data.length, data };
}
