import type { FastifyPluginAsync } from 'fastify';
import { installCors } from '../../porqpine/cors.js';
import { porqpineState } from '../../porqpine/state.js';
import { requireApiKey } from '../../plugins/api-keys.js';
import { ADMIN_ERRORS, useSurfaceErrors } from '../../surface-errors.js';
import { requireAdminForChanges } from './credential.js';
import { diagnosticRoutes } from './diagnostics.js';
import { domainRoutes } from './domains.js';
import { healthData, healthHttpStatus } from './health.js';
import { withoutPaths } from './paths.js';
import { matchingRoutes } from './matching.js';
import { healthSchema } from './responses.js';
import { abpKeyAdminRoutes } from './abp-keys.js';
import { emergencyRoutes } from './emergency.js';
import { currencyRoutes } from './currencies.js';
import { mmAdminRoutes } from './mm.js';

const NO_STORE = 'no-store';

/**
 * The Porqpine admin surface (seed 001), mounted at /api/v1/admin: health (503 when degraded), upstream
 * accounts, socket rooms, cache and result-saver diagnostics. Never cached, never carries a filesystem path.
 * API key when keys are configured; changes (non-GET) also the admin credential, and no CORS for them.
 */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  porqpineState(app);
  useSurfaceErrors(app, ADMIN_ERRORS);
  installCors(app, { readOnly: true });
  requireApiKey(app);
  requireAdminForChanges(app);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', NO_STORE);
    return typeof payload === 'string' ? withoutPaths(payload) : payload;
  });

  app.get('/health', { schema: healthSchema }, async (_req, reply) => {
    const data = await healthData(app);
    return reply.code(healthHttpStatus(data.status)).send({ success: true, data });
  });

  await app.register(domainRoutes());
  await app.register(matchingRoutes);
  await app.register(abpKeyAdminRoutes);
  await app.register(emergencyRoutes);
  await app.register(currencyRoutes);
  await app.register(mmAdminRoutes);
  await app.register(diagnosticRoutes);
};
