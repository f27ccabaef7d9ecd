import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config/index.js';
import { createLogger } from './logger.js';
import { app, resolveDiamondPassword, serverOptions } from './app.js';
import { createStore } from './store/index.js';
import { createSources } from './sources/registry.js';
import { Records } from './records/index.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;

/** Builds the server from configuration (does not listen). */
export async function createServer(config: Config, logger: Logger): Promise<FastifyInstance> {
  const { password, generated } = resolveDiamondPassword(config);
  if (generated) {
    logger.warn(
      `DIAMOND_PASSWORD is not set; generated one for this run: ${password} (set DIAMOND_PASSWORD to choose your own)`,
    );
  }
  // The records database: ids and results durable in every mode, and the results archive.
  const records = await Records.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'records' }),
  });
  logger.info(
    { records: records.database.kind, location: records.database.location },
    'records database open',
  );
  const store = createStore(
    config,
    logger.child({ component: 'store' }),
    config.redisUrl ? undefined : records.backing(),
  );
  // ROLE=api serves from the update log: it builds no source at all.
  const sources = config.role === 'api' ? [] : createSources(config, logger);
  const fastify = Fastify(serverOptions(logger));
  await fastify.register(app, { config, store, sources, diamondPassword: password, records });
  return fastify;
}

/**
 * `oddsgate start`: load config, listen, and drain on SIGTERM/SIGINT: WebSocket clients get 1001 (the
 * client library reconnects to another instance and resumes with `since`), requests in flight finish,
 * new ones get 503, idle keep-alive sockets close, sources and ingest stop after a last commit.
 */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<FastifyInstance> {
  const config = loadConfig({ env });
  const logger = createLogger(config.logLevel);
  const server = await createServer(config, logger);
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
  await server.listen({ port: config.port, host: config.host });
  return server;
}
