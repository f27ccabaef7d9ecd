import type { FastifyPluginAsync } from 'fastify';
import { requireApiKey } from '../plugins/api-keys.js';
import { healthData, healthHttpStatus } from './admin/health.js';
import { withoutPaths } from './admin/paths.js';
import { healthSchema } from './admin/responses.js';

/**
 * ROLE=ingest's only admin route: `/health` (mounted at /api/v1/admin) with the same body and 200/503 rule
 * as the full admin surface, so one probe works for every role; the API key too when keys are configured.
 */
export const ingestHealthRoutes: FastifyPluginAsync = async (app) => {
  requireApiKey(app);
  app.get('/health', { schema: healthSchema }, async (_req, reply) => {
    const data = await healthData(app);
    return reply
      .code(healthHttpStatus(data.status))
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(withoutPaths(JSON.stringify({ success: true, data })));
  });
};
