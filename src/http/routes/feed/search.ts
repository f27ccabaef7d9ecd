import type { FastifyPluginAsync } from 'fastify';
import { renderEventSummary } from '../../../contracts/porqpine/events.js';
import { cacheControl, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { freshnessNow } from './context.js';
import { limitField, searchQField } from './params.js';
import { feedSchema, SearchBody } from './responses.js';
import { foldText, searchEvents } from './search-index.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/** `/search?q=&limit=`: events by event, team or competition name; case- and accent-insensitive, ranked. */
export const searchRoutes: FastifyPluginAsync = async (app) => {
  const schema = feedSchema({
    summary: 'Search events by name',
    querystring: z.object({ q: searchQField, limit: limitField(DEFAULT_LIMIT, MAX_LIMIT) }),
    response: { 200: SearchBody },
  });
  app.withTypeProvider<ZodTypeProvider>().get('/search', { schema }, async (req, reply) => {
    const { q: raw, limit } = req.query;
    const q = foldText(raw);
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
