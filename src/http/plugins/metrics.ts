import fp from 'fastify-plugin';
import { metricsSchema } from '../openapi/ops-schemas.js';
import type { onRequestAsyncHookHandler } from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AppMetrics } from '../../metrics/app-metrics.js';
import { instrumentHttp } from '../../metrics/http-metrics.js';
import { instrumentStore } from '../../metrics/store-metrics.js';
import { secretMatcher } from '../../core/auth.js';
import { sendError } from '../errors.js';
import { refuseIfBlocked } from '../failed-attempts.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry (one per app, so several apps can share a process in tests). */
    metrics: Registry;
  }
}

/**
 * Prometheus metrics at `/metrics` (prom-client text format): HTTP latency by route and status, the
 * application families of src/metrics (WebSocket, sources, ingest, store, read model, domain pools) and,
 * with `metrics.processDefaults`, Node's process metrics. It observes through explicit hooks: the store's
 * `observe` (commit and log-read timings) and ingest's `onPush` (updates per source), nothing patched. Off with METRICS_ENABLED=false;
 * with METRICS_TOKEN set, /metrics needs `Authorization: Bearer <token>`.
 */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    app.decorate('metrics', registry);
    if (!app.config.metrics.enabled) return;
    if (app.config.metrics.processDefaults) collectDefaultMetrics({ register: registry });
    instrumentHttp(app, registry);
    const stopStore = instrumentStore(app.store, registry);
    const appMetrics = new AppMetrics(app, registry);
    let stopCounting = (): void => undefined;
    app.addHook('onReady', async () => {
      if (!app.hasDecorator('ingest')) return;
      // a sink call carries one source's updates
      stopCounting = app.ingest.onPush((updates) => {
        const first = updates[0];
        if (first) appMetrics.sources.countPush(first.source, updates.length);
      });
    });
    app.addHook('onClose', async () => {
      stopCounting();
      stopStore();
    });
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
  { name: 'metrics', dependencies: ['store', 'api-keys'] },
);
