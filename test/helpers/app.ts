import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/types.js';
import type { Source } from '../../src/sources/types.js';
import type { SourceUpdate } from '../../src/model/index.js';
import type { Records } from '../../src/records/index.js';

export const TEST_PASSWORD = 'test-password-123';

export interface TestAppOptions {
  store?: Store;
  sources?: Source[];
  config?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /** The records database (closed with the app). */
  records?: Records;
  /** Further app options (MM WebSocket timings, execution settings). */
  app?: Partial<Omit<AppOptions, 'config' | 'store' | 'sources' | 'diamondPassword' | 'records'>>;
}

/** An app on the memory store (unless given one), no sources unless given, no listening. */
export async function makeTestApp(opts: TestAppOptions = {}): Promise<FastifyInstance> {
  const config: Config = loadConfig({
    env: opts.env ?? {},
    configDir: null,
    overrides: { diamondPassword: TEST_PASSWORD, sources: [], ...(opts.config ?? {}) },
  });
  return buildApp({
    config,
    store: opts.store ?? new MemoryStore({ logMaxLen: 10_000 }),
    sources: opts.sources ?? [],
    diamondPassword: TEST_PASSWORD,
    ...(opts.records ? { records: opts.records } : {}),
    ...opts.app,
  });
}

/** Pushes updates through ingest and waits until the read model shows them. */
export async function feed(app: FastifyInstance, updates: SourceUpdate[]): Promise<void> {
  app.ingest.push(updates);
  await app.settle();
}
