import fp from 'fastify-plugin';
import { metricsSchema } from '../openapi/ops-schemas.js';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { AppMetrics } from '../../metrics/app-metrics.js';
import { instrumentHttp } from '../../metrics/http-metrics.js';
import { secretMatcher } from '../../core/auth.js';
import { sendError } from '../errors.js';
import { refuseIfBlocked } from '../failed-attempts.js';

/**
 * Prometheus metrics at `/metrics` (prom-client text format) from the app's registry (`app.metrics`, built by
 * the composition root with the store's and ingest's explicit hooks, nothing patched): HTTP latency by route
 * and status (added here), the application families of src/metrics (WebSocket, sources, ingest, store, read
 * model, domain pools, history) and, with `metrics.processDefaults`, Node's process metrics. Off with
 * METRICS_ENABLED=false (`appMetrics` null); with METRICS_TOKEN set, /metrics needs
 * `Authorization: Bearer <token>`.
 */
export const metricsPlugin = fp<{ appMetrics: AppMetrics | null }>(
  async (app, { appMetrics }) => {
    if (!appMetrics) return;
    const registry = app.metrics;
    instrumentHttp(app, registry);
    const token = app.config.metrics.token;
    const bearer = token ? secretMatcher(`Bearer ${token}`) : null;
    const attempts = app.failedAttempts;
    // METRICS_TOKEN: `Authorization: Bearer <token>`, on this route only (compared in constant time).
    const requireToken: onRequestAsyncHookHandler = async (req, reply) => {
      if (!bearer) return;
      if (refuseIfBlocked(attempts, req, reply)) return reply;
      if (bearer(req.headers.authorization)) return;
      if (req.headers.authorization !== undefined) attempts.fail(req.ip);
      return sendError(
        reply.header('www-authenticate', 'Bearer'),
        401,
        'Unauthorized: metrics need the token',
      );
    };
    app.get('/metrics', { schema: metricsSchema, onRequest: requireToken }, async (_req, reply) => {
      appMetrics.collect();
      const body = await registry.metrics();
      return reply
        .header('content-type', registry.contentType)
        .header('cache-control', 'no-store')
        .send(body);
    });
  },
  { name: 'metrics', dependencies: ['services', 'api-keys'] },
);
