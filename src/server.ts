import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config/index.js';
import { createLogger } from './logger.js';
import { app, resolveDiamondPassword, serverOptions } from './app.js';
import { createStore, StoreError } from './store/index.js';
import { redactRedisUrl } from './store/redis-connection.js';
import { createSources } from './sources/registry.js';
import { listenError, StartupError, verifyRedis } from './startup.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Builds the server from configuration (does not listen). */
export async function createServer(config: Config, logger: Logger): Promise<FastifyInstance> {
  const { password, generated } = resolveDiamondPassword(config);
  if (generated) {
    logger.warn(
      `DIAMOND_PASSWORD is not set; generated one for this run: ${password} (set DIAMOND_PASSWORD to choose your own)`,
    );
  }
  const store = createStore(config, logger.child({ component: 'store' }));
  // ROLE=api serves from the update log: it builds no source at all.
  const sources = config.role === 'api' ? [] : createSources(config, logger);
  const fastify = Fastify(serverOptions(logger, config.trustProxy));
  await fastify.register(app, { config, store, sources, diamondPassword: password });
  return fastify;
}

/**
 * `oddsgate start`: load config, listen, and drain on SIGTERM/SIGINT: WebSocket clients get 1001 (the
 * client library reconnects to another instance and resumes with `since`), requests in flight finish,
 * new ones get 503, idle keep-alive sockets close, sources and ingest stop after a last commit. Throws
 * StartupError when Redis does not answer on its database or HOST/PORT cannot be bound.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<FastifyInstance> {
  const config = loadConfig({ env });
  const logger = createLogger(config.logLevel);
  // Redis must answer on the configured database before anything starts (StartupError otherwise).
  if (config.redisUrl) await verifyRedis(config.redisUrl, config.redisWaitSec, logger);
  let server: FastifyInstance;
  try {
    server = await createServer(config, logger);
  } catch (err) {
    // Redis gone between the check and the store's connect: the same one line, not a stack trace.
    if (config.redisUrl && err instanceof StoreError && err.code === 'STORE_UNAVAILABLE')
      throw new StartupError(`REDIS_URL=${redactRedisUrl(config.redisUrl)}: ${err.message}`);
    throw err;
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, role: config.role }, 'draining: closing WebSockets with 1001, finishing requests');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    server.close().then(
      () => {
        logger.info('bye');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    await server.listen({ port: config.port, host: config.host });
  } catch (err) {
    throw listenError(err, config.host, config.port);
  }
  return server;
}
