import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { historyAnswer, historyEventId, HistoryQuerySchema } from '../../history-query.js';
import { GameHistoryBody, HISTORY_ERRORS } from '../../history-responses.js';
import { etagOf } from '../../porqpine/http.js';
import { sendBody } from '../../porqpine/http.js';
import { envelopeJson } from './envelope.js';
import { diamondSchema, GameParamsSchema } from './schemas.js';

/** snake_case keys to camelCase, as the Diamond surface writes its fields. */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v))
    out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = camelKeys(x);
  return out;
}

/**
 * `/games/:gmid/odds/history` (the Diamond roadmap's odds history): the feed's history answer in the
 * Diamond envelope, camelCase fields, `gmid` as asked. ETag over the data (the envelope's timestamp aside).
 */
export async function diamondHistoryRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/games/:gmid/odds/history',
    {
      schema: diamondSchema({
        summary: 'Odds history of a game (the roadmap route): ticks or OHLC candles per runner',
        description: 'The feed history in the Diamond envelope, camelCase fields; same query and limits.',
        params: GameParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: GameHistoryBody, ...HISTORY_ERRORS },
      }),
    },
    async (req, reply) => {
      const eventId = await historyEventId(app, req.params.gmid);
      const data = camelKeys({ gmid: eventId, ...(await historyAnswer(app, eventId, req.query)) });
      const etag = etagOf(JSON.stringify(data));
      return sendBody(req, reply, envelopeJson(data), 'public, max-age=5', etag);
    },
  );
}
