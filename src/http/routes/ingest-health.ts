import type { FastifyPluginAsync } from 'fastify';
import { healthData } from './admin/health.js';

/**
 * ROLE=ingest's only admin route: `/health` (mounted at /api/v1/admin) with the same body and 200/503 rule
 * as the full admin surface, so one probe works for every role.
 */
export const ingestHealthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/health', async (_req, reply) => {
    const data = await healthData(app);
    return reply
      .code(data.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ success: true, data });
  });
};
