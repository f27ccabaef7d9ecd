import type { FastifyPluginAsync } from 'fastify';

/** `/healthz`: liveness only (the process answers). Readiness and details live in /api/v1/admin/health. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
};
