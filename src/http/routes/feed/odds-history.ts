import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bfiOf } from '../../../model/index.js';
import {
  closingAnswer,
  ClosingQuerySchema,
  historyAnswer,
  historyEventId,
  HistoryQuerySchema,
} from '../../history-query.js';
import { sendJson } from '../../porqpine/http.js';

/** Ranges of history change only at their live end: a short cache, and an ETag to revalidate. */
const CACHE = 'public, max-age=5';
const IdParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be an event id or bfi'),
});

/**
 * `/event/:id/odds/history` (ticks or 1s/1m/5m/1h candles per runner) and `/event/:id/closing` (closing
 * and opening in-play lines, BSP), by internal id or bfi, in the Porqpine envelope with an ETag.
 */
export async function oddsHistoryRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/event/:id/odds/history',
    { schema: { params: IdParamsSchema, querystring: HistoryQuerySchema } },
    async (req, reply) => {
      const eventId = await historyEventId(app, req.params.id);
      const data = await historyAnswer(app, eventId, req.query);
      const bfi = bfiOf(app.readModel.events.get(eventId) ?? { upstreamIds: {} });
      return sendJson(req, reply, { success: true, data: { ...data, bfi } }, CACHE, true);
    },
  );
  r.get(
    '/event/:id/closing',
    { schema: { params: IdParamsSchema, querystring: ClosingQuerySchema } },
    async (req, reply) => {
      const eventId = await historyEventId(app, req.params.id);
      const data = await closingAnswer(app, eventId, req.query.market);
      return sendJson(req, reply, { success: true, data }, CACHE, true);
    },
  );
}
