import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Event } from '../../../model/index.js';
import { byBfi, eventIds, renderEventDetail } from '../../../contracts/porqpine/events.js';
import { cacheControl, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendBody, sendJson } from '../../porqpine/http.js';
import { bfiOf } from '../../../contracts/porqpine/ids.js';
import { byMarketId, isPriced, renderMarket } from '../../../contracts/porqpine/markets.js';
import { porqpineState } from '../../porqpine/state.js';
import { confirmationsNow, eventParam, freshnessNow, touchDemand } from './context.js';
import { oddsData, sideTtl, sourceOf, splitMarkets } from './event-odds.js';
import { oddsView, type OddsView } from '../../../books/render.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, viewField } from './params.js';
import { BookmakerBody, EventBody, EventNotFound, FancyBody, feedSchema, OddsBody } from './responses.js';

/** Groups markets by source and returns the group with the most priced markets (Porqpine's `best`). */
function bestGroup<T extends { source: string; selections: unknown[] }>(
  markets: T[],
  priced: (m: T) => boolean,
): T[] {
  const groups = new Map<string, T[]>();
  for (const m of markets) groups.set(m.source, [...(groups.get(m.source) ?? []), m]);
  let best: T[] = [];
  for (const g of groups.values()) if (g.filter(priced).length > best.filter(priced).length) best = g;
  return best;
}

const OddsQuery = z.object({ view: viewField });

/** The schema of a single-event route: `:id` and its 404. */
function single<B extends z.ZodType>(summary: string, body: B) {
  return feedSchema({ summary, params: IdParams, response: { 200: body, 404: EventNotFound } });
}
const eventSchema = single('One event: metadata, live odds and market summary', EventBody);
const fancySchema = single('Cricket fancy markets of an event', FancyBody);
const bookmakerSchema = single('Bookmaker markets of an event (with the skeleton listing)', BookmakerBody);
const oddsSchema = feedSchema({
  summary: 'All markets of an event: match odds, fancy and bookmaker',
  description: 'Asking engages the live feed for the event (it stays subscribed while asked for).',
  params: IdParams,
  querystring: OddsQuery,
  response: { 200: OddsBody, 404: EventNotFound },
});

/**
 * The /event/:id/odds body: the default view, asked by one of the event's own ids, rendered once per event
 * version (and again when a stale flag would now be judged otherwise) and served as bytes; `?view=best|all`
 * (books side by side) adds to the default response, never changes it.
 */
function oddsBody(app: FastifyInstance, e: Event, asked: string, view: OddsView | undefined) {
  const model = app.readModel;
  if (!view && (asked === String(e.id) || asked === bfiOf(e))) {
    return porqpineState(app).responses.timed(
      `odds:${e.id}:${asked}`,
      model.eventVersion(e.id),
      confirmationsNow(app),
      Date.now(),
      (ctx) => JSON.stringify({ success: true, data: oddsData(e, asked, model.marketsOf(e.id), ctx) }),
    ).body;
  }
  const markets = model.marketsOf(e.id);
  const data = oddsData(e, asked, markets, freshnessNow(app));
  const books = view ? oddsView(e, markets, app.books.clock(), view) : {};
  return JSON.stringify({ success: true, data: { ...data, ...books } });
}

/** /event/:id, /event/:id/odds, /event/:id/fancy, /event/:id/bookmaker. */
export const eventRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Sync handlers (no promise per request; a thrown HttpError still reaches the error handler) that return
  // nothing: a sync handler returning the reply would have Fastify wait on it as a thenable.
  r.get('/event/:id', { schema: eventSchema }, (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    sendJson(req, reply, { success: true, data: eventData(app, e, asked) }, cacheControl(TTL_SEC.event));
  });

  r.get('/event/:id/odds', { schema: oddsSchema }, (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    touchDemand(app, e.id);
    sendBody(req, reply, oddsBody(app, e, asked, req.query.view), cacheControl(TTL_SEC.event));
  });

  r.get('/event/:id/fancy', { schema: fancySchema }, (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    touchDemand(app, e.id);
    const ttlSec = sideTtl(e);
    sendJson(req, reply, { success: true, data: fancyData(app, e, asked, ttlSec) }, cacheControl(ttlSec));
  });

  r.get('/event/:id/bookmaker', { schema: bookmakerSchema }, (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    touchDemand(app, e.id);
    const ttlSec = sideTtl(e);
    const data = bookmakerData(app, e, asked, ttlSec);
    sendJson(req, reply, { success: true, data }, cacheControl(ttlSec));
  });
};

/** /event/:id data: the event, its main markets by id and bfi, and a summary of every market. */
function eventData(app: FastifyInstance, e: Event, asked: string) {
  const ctx = freshnessNow(app);
  const markets = app.readModel.marketsOf(e.id);
  const { main } = splitMarkets(markets);
  const fresh = { ctx, ttlSec: TTL_SEC.event };
  return {
    ...eventIds(e, asked),
    event: renderEventDetail(e, { ...fresh, markets }),
    socket_odds: { byMarketId: byMarketId(main, fresh), byBfi: byBfi(e, markets) },
    markets: markets.map((m) => ({
      market_id: m.id,
      market_name: m.name,
      type: m.type,
      status: m.status,
      updatedAt: m.updatedAt,
    })),
    source: sourceOf(e, main, TTL_SEC.event, ctx),
  };
}

/** /event/:id/fancy data: the fancy markets, their source and the best-priced source's group. */
function fancyData(app: FastifyInstance, e: Event, asked: string, ttlSec: number) {
  const ctx = freshnessNow(app);
  const { fancy } = splitMarkets(app.readModel.marketsOf(e.id));
  const markets = fancy.map((m) => renderMarket(m, { ctx, ttlSec }));
  const source = fancy.length === 0 ? 'none' : sourceOf(e, fancy, ttlSec, ctx);
  const best = bestGroup(markets, (m) => m.selections.some((s) => s.back.length > 0 || s.lay.length > 0));
  return { ...eventIds(e, asked), markets, count: markets.length, source, best };
}

/** /event/:id/bookmaker data: priced bookmaker markets and the skeleton of every bookmaker market. */
function bookmakerData(app: FastifyInstance, e: Event, asked: string, ttlSec: number) {
  const ctx = freshnessNow(app);
  const { bookmaker } = splitMarkets(app.readModel.marketsOf(e.id));
  const priced = bookmaker.filter(isPriced);
  const skeleton = bookmaker.map((m) => ({
    market_id: m.id,
    market_name: m.name,
    selection_ids: m.runners.map((r) => String(r.selectionId)),
  }));
  const source =
    priced.length > 0 ? sourceOf(e, priced, ttlSec, ctx) : bookmaker.length > 0 ? 'skeleton' : 'none';
  const markets = priced.map((m) => renderMarket(m, { ctx, ttlSec }));
  return { ...eventIds(e, asked), skeleton, markets, count: markets.length, source };
}
