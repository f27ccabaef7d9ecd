import Fastify, { type FastifyInstance } from 'fastify';
import { app, serverOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { pgliteBackend } from '../records/helpers.js';

/** A route as registered: method(s), URL pattern and the names of its querystring schema's keys. */
export interface RouteInfo {
  method: string;
  url: string;
  queryKeys: string[];
}

function schemaKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/**
 * The whole app as `npm start` builds it (memory store, the records database on PGlite, so history,
 * ABP and execution routes are live; sample events fed through ingest, no source) with every route it
 * registers, collected as they are added, so the fuzz suites cover routes added later without change.
 * `close()` closes the app (which closes the database) and removes the database's directory.
 */
export async function fuzzApp(): Promise<{
  app: FastifyInstance;
  routes: RouteInfo[];
  close: () => Promise<void>;
}> {
  const backend = await pgliteBackend();
  const records = await backend.open();
  const fastify = Fastify(serverOptions(false));
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: r.url, queryKeys: schemaKeys(r.schema?.querystring) });
    }
  });
  const config = loadConfig({
    // The market maker runs (one cycle a minute, no exchange): its admin routes are fuzzed live, not 503.
    env: { MM_ENABLED: 'on', MM_INTERVAL_MS: '60000' },
    configDir: null,
    overrides: { sources: [], diamondPassword: TEST_PASSWORD, metrics: { processDefaults: false } },
  });
  await fastify.register(app, {
    config,
    store: new MemoryStore({ logMaxLen: 10_000 }),
    sources: [],
    diamondPassword: TEST_PASSWORD,
    records,
  });
  await fastify.ready();
  fastify.ingest.push(sampleUpdates());
  await fastify.settle();
  const close = async () => {
    await fastify.close();
    await backend.cleanup();
  };
  return { app: fastify, routes, close };
}
