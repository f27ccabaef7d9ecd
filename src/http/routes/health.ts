import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { probeStore } from './admin/probes.js';
import { healthzSchema, readyzSchema } from '../openapi/ops-schemas.js';

/** The read model counts as caught up while nothing in the log waits longer than this to be applied. */
export const READY_MAX_LAG_MS = 2000;

/**
 * `/healthz`: liveness only (the process answers). `/readyz`: readiness for load balancers (200 only when
 * the store answers and the read model has applied the update log, else 503 with the reasons). Details
 * live in /api/v1/admin/health.
 */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: healthzSchema }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: readyzSchema }, async (_req, reply) => {
    const reasons = await notReadyReasons(app);
    return reply
      .code(reasons.length === 0 ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(reasons.length === 0 ? { status: 'ready' } : { status: 'not ready', reasons });
  });
};

/**
 * Why this instance should not get traffic yet: the store does not answer its ping, or the update log holds
 * an entry after the read model's position that was written over READY_MAX_LAG_MS ago (an entry just
 * written and about to be delivered does not count, so a busy log does not make readiness flap).
 */
export async function notReadyReasons(app: FastifyInstance, now = Date.now()): Promise<string[]> {
  const store = await probeStore(app);
  if (!store.reachable) return [`store (${app.store.kind}) unreachable`];
  let next;
  try {
    [next] = await app.store.readLog(app.readModel.position, 1);
  } catch {
    return [`store (${app.store.kind}) unreachable`];
  }
  if (next && now - next.ts > READY_MAX_LAG_MS) return ['read model behind the update log'];
  return [];
}
