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
import {
  FeedClosingBody,
  FeedHistoryBody,
  HISTORY_DESCRIPTION,
  HISTORY_ERRORS,
} from '../../history-responses.js';
import { sendJson } from '../../porqpine/http.js';
import { feedSchema } from './responses.js';

/** Ranges of history change only at their live end: a short cache, and an ETag to revalidate. */
const CACHE = 'public, max-age=5';
const IdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be an event id or bfi')
    .describe('Internal event id or Betfair event id (bfi).'),
});

/**
 * `/event/:id/odds/history` (ticks or 1s/1m/5m/1h candles per runner) and `/event/:id/closing` (closing
 * and opening in-play lines, BSP), by internal id or bfi, in the Porqpine envelope with an ETag.
 */
export async function oddsHistoryRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/event/:id/odds/history',
    {
      schema: feedSchema({
        summary: 'Odds history of an event: ticks or OHLC candles per runner',
        description: HISTORY_DESCRIPTION,
        params: IdParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: FeedHistoryBody, ...HISTORY_ERRORS },
      }),
    },
    async (req, reply) => {
      const eventId = await historyEventId(app, req.params.id);
      const data = await historyAnswer(app, eventId, req.query);
      const bfi = bfiOf(app.readModel.events.get(eventId) ?? { upstreamIds: {} });
      return sendJson(req, reply, { success: true, data: { ...data, bfi } }, CACHE, true);
    },
  );
  r.get(
    '/event/:id/closing',
    {
      schema: feedSchema({
        summary: 'Closing lines (last pre-play prices), first in-play prices and BSP per runner',
        params: IdParamsSchema,
        querystring: ClosingQuerySchema,
        response: { 200: FeedClosingBody, ...HISTORY_ERRORS },
      }),
    },
    async (req, reply) => {
      const eventId = await historyEventId(app, req.params.id);
      const data = await closingAnswer(app, eventId, req.query.market);
      return sendJson(req, reply, { success: true, data }, CACHE, true);
    },
  );
}
