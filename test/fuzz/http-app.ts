import Fastify, { type FastifyInstance } from 'fastify';
import { app, serverOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { TEST_PASSWORD } from '../helpers/app.js';

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
 * The whole app (memory store, sample events fed through ingest, no source) with every route it
 * registers, collected as they are added, so the fuzz suites cover routes added later without change.
 */
export async function fuzzApp(): Promise<{ app: FastifyInstance; routes: RouteInfo[] }> {
  const fastify = Fastify(serverOptions(false));
  const routes: RouteInfo[] = [];
  fastify.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: r.url, queryKeys: schemaKeys(r.schema?.querystring) });
    }
  });
  const config = loadConfig({
    env: {},
    configDir: null,
    overrides: { sources: [], diamondPassword: TEST_PASSWORD, metrics: { processDefaults: false } },
  });
  await fastify.register(app, {
    config,
    store: new MemoryStore({ logMaxLen: 10_000 }),
    sources: [],
    diamondPassword: TEST_PASSWORD,
  });
  await fastify.ready();
  fastify.ingest.push(sampleUpdates());
  await fastify.settle();
  return { app: fastify, routes };
}
