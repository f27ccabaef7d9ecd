import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Source } from '../../src/sources/types.js';
import type { Store } from '../../src/store/types.js';

/** The Diamond password of every benchmark server. */
export const BENCH_PASSWORD = 'bench-password-123';

/** WebSocket limits raised so the load generator itself is never refused (the defaults cap 2000 per IP). */
export const BENCH_WS = { maxConnections: 100_000, matchesIntervalMs: 3_600_000 };

/** Configuration of a benchmark server: no config files, no env, the given overrides. */
export function benchConfig(overrides: Record<string, unknown> = {}): Config {
  return loadConfig({
    env: {},
    configDir: null,
    overrides: { sources: [], diamondPassword: BENCH_PASSWORD, logLevel: 'warn', ...overrides },
  });
}

/** Logs to stderr (JSON lines) at `level` and above (default warnings and errors). */
export function benchLogger(level: 'warn' | 'error' = 'warn'): Logger {
  return pino({ level }, pino.destination(2));
}

/** Builds the real app on `store` (default a MemoryStore) with `sources` and listens on 127.0.0.1:0. */
export async function listenApp(opts: {
  config: Config;
  sources: Source[];
  store?: Store;
  logLevel?: 'warn' | 'error';
}): Promise<{ app: FastifyInstance; port: number }> {
  const store = opts.store ?? new MemoryStore({ logMaxLen: opts.config.updateLogMaxLen });
  const app = await buildApp(
    { config: opts.config, store, sources: opts.sources, diamondPassword: BENCH_PASSWORD },
    benchLogger(opts.logLevel ?? (opts.config.logLevel === 'error' ? 'error' : 'warn')),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, port: (app.server.address() as AddressInfo).port };
}
