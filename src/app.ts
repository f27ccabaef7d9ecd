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
import { storePlugin } from './http/plugins/store.js';
import { archiveResultsPlugin, recordsPlugin } from './http/plugins/records.js';
import type { Records } from './records/index.js';
import { readModelPlugin } from './http/plugins/read-model.js';
import { historyPlugin } from './http/plugins/history.js';
import { ingestPlugin } from './http/plugins/ingest.js';
import { matchingPlugin } from './matching/plugin.js';
import { booksPlugin } from './books/plugin.js';
import { demandPlugin } from './http/plugins/demand.js';
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
import { abpPlugin } from './http/plugins/abp.js';
import { TableAccounts } from './execution/accounts-table.js';
import { executionPlugin, type ExecutionPluginOptions } from './execution/plugin.js';
import { createExecutionVenues } from './execution/venues.js';
import { abpRoutes, sendAbpDetail } from './http/routes/abp/index.js';
import { mmApiRoutes } from './http/routes/mm/index.js';
import { mmWsRoutes } from './http/routes/mm/ws.js';
import type { MmWsLimits } from './http/routes/mm/ws-session.js';
import { mmPlugin, type MmPluginOptions } from './mm/plugin.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    startedAt: number;
  }
}

export interface AppOptions {
  /** Execution settings over the defaults (tests: an accounts directory, loop intervals); false: none. */
  execution?: Partial<ExecutionPluginOptions> | false;
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
  mm?: MmPluginOptions;
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

  // Registered before the store: its onClose runs after the store wrote what it queued.
  await fastify.register(recordsPlugin, { records: opts.records ?? null });
  await fastify.register(storePlugin, { store: opts.store });
  const role = opts.config.role;
  const serving = role !== 'ingest' && role !== 'history';
  if (serving) await fastify.register(swaggerPlugin);
  await fastify.register(apiKeysPlugin);
  await fastify.register(metricsPlugin);
  await fastify.register(rateLimitPlugin);
  await fastify.register(readModelPlugin);
  await fastify.register(archiveResultsPlugin);
  await fastify.register(matchingPlugin);
  await fastify.register(ingestPlugin, {
    // ROLE=api serves from the update log and never writes; ROLE=ingest/all run the sources.
    sources: role === 'api' || role === 'history' ? [] : opts.sources,
    passive: role === 'api' || role === 'history',
    closedMarketTtlMs: opts.config.closedMarketTtlSec * 1000,
    ...(opts.onRaw ? { onRaw: opts.onRaw } : {}),
  });
  await fastify.register(booksPlugin);
  await fastify.register(demandPlugin);
  await fastify.register(historyPlugin);
  await fastify.register(abpPlugin);
  // Order execution (ABP orders, Diamond bets): over the records database, the ABP accounts table and the ABP
  // WebSocket channels; not on an ingest-only instance, which serves no order routes.
  if (role !== 'ingest' && opts.execution !== false && fastify.records && fastify.abp) {
    // The venues the configuration names (EXEC_BETFAIR_EX, EXEC_SPORTSBOOK_URL) beside any a caller passes.
    const venues = await createExecutionVenues(opts.config, fastify.readModel, fastify.log);
    fastify.addHook('onClose', async () => venues.close());
    await fastify.register(executionPlugin, {
      accounts: new TableAccounts(fastify.records.database.db),
      publisher: fastify.abp.channels,
      ...opts.execution,
      connectors: [...venues.connectors, ...(opts.execution?.connectors ?? [])],
    });
    // The market maker (MM_ENABLED): quotes on the maker exchange through the order service just built.
    await fastify.register(mmPlugin, opts.mm ?? {});
  }

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
