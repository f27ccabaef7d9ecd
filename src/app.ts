import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config/index.js';
import type { Store } from './store/types.js';
import type { Source } from './sources/types.js';
import type { Market } from './model/index.js';
import { installErrorHandler, sendError } from './http/errors.js';
import type { Records } from './records/index.js';
import { healthRoutes } from './http/routes/health.js';
import { diamondRoutes } from './http/routes/diamond/index.js';
import { feedRoutes } from './http/routes/feed/index.js';
import { adminRoutes } from './http/routes/admin/index.js';
import { wsRoutes } from './http/routes/ws.js';
import { metricsPlugin } from './http/plugins/metrics.js';
import { apiKeysPlugin } from './http/plugins/api-keys.js';
import { rateLimitPlugin } from './http/plugins/rate-limit.js';
import { swaggerPlugin } from './http/plugins/swagger.js';
import { proxyRoutes } from './http/routes/proxy/index.js';
import { dashboardRoutes } from './http/dashboard/routes.js';
import { ingestHealthRoutes } from './http/routes/ingest-health.js';
import type { Resolver } from './http/proxy/guarded-lookup.js';
import { lazyChildLoggerFactory } from './logger.js';
import { installRequestLog } from './http/request-log.js';
import { responseSerializer } from './http/openapi/route-schema.js';
import { abpRoutes, sendAbpDetail } from './http/routes/abp/index.js';
import { mmApiRoutes } from './http/routes/mm/index.js';
import { mmWsRoutes } from './http/routes/mm/ws.js';
import type { MmWsLimits } from './http/routes/mm/ws-session.js';
import {
  createServices,
  type BrokerSurface,
  type ExecutionOptions,
  type MmOptions,
} from './services/index.js';
import { servicesPlugin } from './services/plugin.js';
import { freshnessNow } from './http/routes/feed/context.js';
import { oddsData } from './http/routes/feed/event-odds.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    startedAt: number;
  }
}

export interface AppOptions {
  /** Execution settings over the defaults (tests: an accounts directory, loop intervals); false: none. */
  execution?: Partial<ExecutionOptions> | false;
  config: Config;
  store: Store;
  sources: Source[];
  /** The Diamond password (config.diamondPassword, or one generated at start). */
  diamondPassword: string;
  onRaw?: (market: Market, raw: unknown) => void;
  /** Name resolution of the iframe proxy (default: the system's); tests map names to loopback. */
  proxyResolver?: Resolver;
  /** The records database (durable ids and results, results archive); closed with the app. */
  records?: Records | null;
  /** The market maker over config.mm (tests: a faster interval, other caps). */
  mm?: MmOptions;
  /** Timings of the MM WebSocket (tests: the 30 s subscribe deadline and 60 s heartbeat made short). */
  mmWs?: Partial<MmWsLimits>;
}

/**
 * Fastify server options shared by the server and tests. `trustProxy` (TRUST_PROXY) decides whether
 * X-Forwarded-For names the client (`request.ip`, which the per-address limits count).
 */
export function serverOptions(
  logger: Logger | false,
  trustProxy: Config['trustProxy'] = false,
): FastifyServerOptions {
  return {
    trustProxy,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // The per-request logger (reqId binding) is made on the first line a request logs, not per request.
    ...(logger ? { childLoggerFactory: lazyChildLoggerFactory } : {}),
    // Per-request lines come from installRequestLog (debug by default; errors, slow requests, 4xx bursts at info).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Malformed URLs (bad percent-encoding, over-long params) get the surfaces' error shape too.
    frameworkErrors: (err, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const message = status === 414 ? 'URI too long' : 'Bad request: malformed URL';
      // No route matched (the URL did not parse): only the prefix says which surface's error shape to use.
      // The MM API's error body is the same `{"detail": …}`.
      if (/^\/(abp|mm\/api\/v1)(\/|\?|$)/.test(req.url))
        return void sendAbpDetail(reply.header('x-content-type-options', 'nosniff'), status, message);
      void sendError(reply.header('x-content-type-options', 'nosniff'), status, message);
    },
  };
}

/**
 * The root plugin: infrastructure (store, metrics, API keys and limits, OpenAPI, read model), then services
 * (ingest, sources), then routes. ROLE=ingest serves only /healthz, /api/v1/admin/health and /metrics.
 * It never listens; src/server.ts does.
 */
async function root(fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  fastify.decorate('config', opts.config);
  fastify.decorate('startedAt', Date.now());
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(responseSerializer);
  installErrorHandler(fastify);
  installRequestLog(fastify);
  // Every response (404s, errors and the dashboard included) tells browsers not to sniff content types.
  fastify.addHook('onRequest', (_req, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done();
  });

  const role = opts.config.role;
  const serving = role !== 'ingest' && role !== 'history';
  if (serving) await fastify.register(swaggerPlugin);
  await fastify.register(apiKeysPlugin);
  await fastify.register(rateLimitPlugin);
  // The composition root builds every service (src/services); the plugin only exposes them and ties their
  // start, stop and close to the app's.
  const services = await createServices({
    config: opts.config,
    store: opts.store,
    records: opts.records ?? null,
    sources: opts.sources,
    logger: fastify.log as Logger,
    onRaw: opts.onRaw,
    execution: opts.execution,
    mm: opts.mm,
    broker: serving ? brokerSurface(fastify) : null,
  });
  await fastify.register(servicesPlugin, { services });
  await fastify.register(metricsPlugin, { appMetrics: services.appMetrics });

  await fastify.register(healthRoutes);
  if (!serving) {
    await fastify.register(ingestHealthRoutes, { prefix: '/api/v1/admin' });
    return;
  }
  await fastify.register(diamondRoutes, { prefix: '/api/v2/diamond', password: opts.diamondPassword });
  await fastify.register(feedRoutes, { prefix: '/api/v1/feed' });
  await fastify.register(adminRoutes, { prefix: '/api/v1/admin' });
  await fastify.register(wsRoutes);
  await fastify.register(abpRoutes, { prefix: '/abp' });
  await fastify.register(mmApiRoutes, { prefix: '/mm/api/v1' });
  await fastify.register(mmWsRoutes, { prefix: '/mm/ws', ...(opts.mmWs ? { limits: opts.mmWs } : {}) });
  await fastify.register(proxyRoutes, {
    prefix: '/proxy',
    ...(opts.proxyResolver ? { resolver: opts.proxyResolver } : {}),
  });
  await fastify.register(dashboardRoutes);
}

/**
 * What the broker asks of the HTTP surfaces: hashed API keys (when configured), the per-key REST limit its
 * request actions count against, and `get_odds` data rendered as /api/v1/feed/event/:id/odds renders it.
 * Read from the app when called, after the api-keys and rate-limit plugins decorated it.
 */
function brokerSurface(app: FastifyInstance): BrokerSurface {
  return {
    ...(app.keyRing.size > 0 ? { identify: (key: string) => app.keyRing.match(key) } : {}),
    countRequest: (entry) => app.countKeyRequest(entry),
    odds: (matchId) => {
      const event = app.readModel.findEvent(matchId);
      if (!event) return null;
      return oddsData(event, matchId, app.readModel.marketsOf(event.id), freshnessNow(app));
    },
  };
}

/** The root plugin, unencapsulated so its decorations (store, readModel, ingest, ...) are visible to callers. */
export const app = fp(root, { name: 'oddsgate' });

/** The Diamond password from config, or a random one (the caller logs it once with a warning). */
export function resolveDiamondPassword(config: Config): { password: string; generated: boolean } {
  if (config.diamondPassword) return { password: config.diamondPassword, generated: false };
  return { password: randomBytes(12).toString('base64url'), generated: true };
}

/** Builds a ready-to-inject app (tests, scripts). Does not listen. */
export async function buildApp(opts: AppOptions, logger: Logger | false = false): Promise<FastifyInstance> {
  const fastify = Fastify(serverOptions(logger, opts.config.trustProxy));
  await fastify.register(app, opts);
  await fastify.ready();
  return fastify;
}
