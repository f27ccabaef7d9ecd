import type { FastifyPluginAsync } from 'fastify';
import { healthData } from '../admin/health.js';
import { withoutPaths } from '../admin/paths.js';
import { DegradedBody, HealthBody } from '../admin/responses.js';
import { feedSchema } from './responses.js';

/**
 * `/api/v1/feed/health`, which the Porqpine page header links as its JSON ("JSON: /api/v1/feed/health"):
 * the same single-call health as `/api/v1/admin/health` in the Porqpine envelope `{success, data}`, 200
 * when ok and 503 when degraded, never cached, no filesystem path in it. On the feed scope, so it needs
 * the API key when keys are configured, as every feed route does.
 */
export const feedHealthRoutes: FastifyPluginAsync = async (app) => {
  const schema = feedSchema({
    summary: 'Health as JSON, as the Porqpine page header links it: the body of /api/v1/admin/health',
    description: '200 when ok, 503 when degraded (see /api/v1/admin/health). Never cached.',
    response: { 200: HealthBody, 503: DegradedBody },
  });
  app.get('/health', { schema }, async (_req, reply) => {
    const data = await healthData(app);
    return reply
      .code(data.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .header('content-type', 'application/json; charset=utf-8')
      .send(withoutPaths(JSON.stringify({ success: true, data })));
  });
};
