import type { FastifyPluginAsync } from 'fastify';
import { byBfi, eventIds, renderEventDetail } from '../../../contracts/porqpine/events.js';
import { cacheControl, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendBody, sendJson } from '../../porqpine/http.js';
import { bfiOf } from '../../../contracts/porqpine/ids.js';
import { byMarketId, isPriced, renderMarket } from '../../../contracts/porqpine/markets.js';
import { porqpineState } from '../../porqpine/state.js';
import { confirmationsNow, eventParam, freshnessNow, touchDemand } from './context.js';
import { oddsData, sideTtl, sourceOf, splitMarkets } from './event-odds.js';
import { HttpError } from '../../errors.js';
import { oddsView, parseOddsView } from '../../../books/render.js';

type IdParams = { Params: { id: string } };
type OddsParams = IdParams & { Querystring: { view?: string } };

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

/** /event/:id, /event/:id/odds, /event/:id/fancy, /event/:id/bookmaker. */
export const eventRoutes: FastifyPluginAsync = async (app) => {
  const model = app.readModel;
  const responses = porqpineState(app).responses;

  app.get<IdParams>('/event/:id', async (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    const ctx = freshnessNow(app);
    const markets = app.readModel.marketsOf(e.id);
    const { main } = splitMarkets(markets);
    const fresh = { ctx, ttlSec: TTL_SEC.event };
    const data = {
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
    return sendJson(req, reply, { success: true, data }, cacheControl(TTL_SEC.event));
  });

  // Sync (no promise per request; a thrown HttpError still reaches the error handler) and returning
  // nothing: a sync handler returning the reply would have Fastify wait on it as a thenable.
  app.get<OddsParams>('/event/:id/odds', (req, reply) => {
    const view = parseOddsView(req.query.view);
    if (view === null) throw new HttpError(400, 'Invalid view: expected best or all', 'ERR_BAD_QUERY');
    const { event: e, asked } = eventParam(app, req.params.id);
    touchDemand(app, e.id);
    if (!view && (asked === String(e.id) || asked === bfiOf(e))) {
      // The default view, asked by one of the event's own ids: rendered once per event version (and
      // again when a stale flag would now be judged otherwise), served as bytes.
      const cached = responses.timed(
        `odds:${e.id}:${asked}`,
        model.eventVersion(e.id),
        confirmationsNow(app),
        Date.now(),
        (ctx) => JSON.stringify({ success: true, data: oddsData(e, asked, model.marketsOf(e.id), ctx) }),
      );
      sendBody(req, reply, cached.body, cacheControl(TTL_SEC.event));
      return;
    }
    const markets = app.readModel.marketsOf(e.id);
    const data = oddsData(e, asked, markets, freshnessNow(app));
    // ?view=best|all (books side by side) adds to the default response, never changes it
    const books = view ? oddsView(e, markets, app.books.clock(), view) : {};
    sendJson(req, reply, { success: true, data: { ...data, ...books } }, cacheControl(TTL_SEC.event));
  });

  app.get<IdParams>('/event/:id/fancy', async (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    touchDemand(app, e.id);
    const ctx = freshnessNow(app);
    const { fancy } = splitMarkets(app.readModel.marketsOf(e.id));
    const ttlSec = sideTtl(e);
    const markets = fancy.map((m) => renderMarket(m, { ctx, ttlSec }));
    const source = fancy.length === 0 ? 'none' : sourceOf(e, fancy, ttlSec, ctx);
    const best = bestGroup(markets, (m) => m.selections.some((s) => s.back.length > 0 || s.lay.length > 0));
    const data = { ...eventIds(e, asked), markets, count: markets.length, source, best };
    return sendJson(req, reply, { success: true, data }, cacheControl(ttlSec));
  });

  app.get<IdParams>('/event/:id/bookmaker', async (req, reply) => {
    const { event: e, asked } = eventParam(app, req.params.id);
    touchDemand(app, e.id);
    const ctx = freshnessNow(app);
    const { bookmaker } = splitMarkets(app.readModel.marketsOf(e.id));
    const ttlSec = sideTtl(e);
    const priced = bookmaker.filter(isPriced);
    const skeleton = bookmaker.map((m) => ({
      market_id: m.id,
      market_name: m.name,
      selection_ids: m.runners.map((r) => String(r.selectionId)),
    }));
    const source =
      priced.length > 0 ? sourceOf(e, priced, ttlSec, ctx) : bookmaker.length > 0 ? 'skeleton' : 'none';
    const markets = priced.map((m) => renderMarket(m, { ctx, ttlSec }));
    const data = { ...eventIds(e, asked), skeleton, markets, count: markets.length, source };
    return sendJson(req, reply, { success: true, data }, cacheControl(ttlSec));
  });
};
