import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type Config } from './config/index.js';
import { createLogger } from './logger.js';
import { app, resolveDiamondPassword, serverOptions } from './app.js';
import { createStore } from './store/index.js';
import { createSources } from './sources/registry.js';

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
  const sources = createSources(config, logger);
  const fastify = Fastify(serverOptions(logger));
  await fastify.register(app, { config, store, sources, diamondPassword: password });
  return fastify;
}

/** `oddsgate start`: load config, listen, and shut down gracefully on SIGTERM/SIGINT. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<FastifyInstance> {
  const config = loadConfig({ env });
  const logger = createLogger(config.logLevel);
  const server = await createServer(config, logger);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
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
