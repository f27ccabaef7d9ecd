import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../../errors.js';
import { renderEventSummary } from '../../../contracts/porqpine/events.js';
import { cacheControl, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { freshnessNow, intParam } from './context.js';
import { foldText, searchEvents } from './search-index.js';

const MAX_QUERY_LEN = 100;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/** `/search?q=&limit=`: events by event, team or competition name; case- and accent-insensitive, ranked. */
export const searchRoutes: FastifyPluginAsync = async (app) => {
  app.get<{ Querystring: { q?: unknown; limit?: unknown } }>('/search', async (req, reply) => {
    const raw = req.query.q;
    if (typeof raw !== 'string' || raw.trim() === '')
      throw new HttpError(400, 'Missing required query parameter q');
    if (raw.length > MAX_QUERY_LEN) throw new HttpError(400, `q is longer than ${MAX_QUERY_LEN} characters`);
    const q = foldText(raw);
    if (q === '') throw new HttpError(400, 'q must contain letters or digits');
    const limit = intParam(req.query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
    const ctx = freshnessNow(app);
    const data = searchEvents(app.readModel.events.values(), q, limit).map((h) => ({
      ...renderEventSummary(h.event, {
        ctx,
        ttlSec: TTL_SEC.lists,
        markets: app.readModel.marketsOf(h.event.id),
      }),
      score: h.score,
      matched: h.matched,
    }));
    return sendJson(
      req,
      reply,
      { success: true, query: raw, count: data.length, data },
      cacheControl(TTL_SEC.lists),
    );
  });
};
