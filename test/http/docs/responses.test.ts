import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { app as rootPlugin, serverOptions } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { TEST_PASSWORD } from '../../helpers/app.js';
import { CRICKET, richUpdates } from '../feed/fixtures.js';

/**
 * The response schemas are not run per request (src/http/openapi/route-schema.ts: responseSerializer), so
 * this test holds them to the truth: every JSON GET route of a fed app answers a body its declared schema
 * for that status accepts.
 */
describe('declared response schemas match real responses', () => {
  let app: FastifyInstance;
  const routes: { url: string; response: Record<string, z.ZodType> }[] = [];
  before(async () => {
    app = Fastify(serverOptions(false));
    app.addHook('onRoute', (r) => {
      const response = (r.schema as { response?: Record<string, z.ZodType> } | undefined)?.response;
      if ([r.method].flat().includes('GET') && response) routes.push({ url: r.url, response });
    });
    const config = loadConfig({
      env: {},
      configDir: null,
      overrides: { sources: [], diamondPassword: TEST_PASSWORD },
    });
    await app.register(rootPlugin, {
      config,
      store: new MemoryStore(),
      sources: [],
      diamondPassword: TEST_PASSWORD,
    });
    await app.ready();
    app.ingest.push(richUpdates());
    await app.settle();
  });
  after(async () => app.close());

  test('every JSON GET route with a response schema', async () => {
    const checked: string[] = [];
    const problems: string[] = [];
    for (const r of routes) {
      if (r.url.includes('*') || r.url === '/ws') continue; // Swagger UI assets; the upgrade
      const url = r.url
        .replace(':id', CRICKET.bfi)
        .replace(':gmid', CRICKET.bfi)
        .replace(':file', 'app.js')
        .replace(':pool', 'none');
      const query = r.url.endsWith('/search') ? '?q=a' : '';
      const res = await app.inject({ url: url + query, headers: { 'x-password': TEST_PASSWORD } });
      if (!String(res.headers['content-type']).includes('json')) continue; // HTML, text, assets
      const schema = r.response[String(res.statusCode)];
      if (!schema) {
        problems.push(`GET ${r.url}: ${res.statusCode} is not declared`);
        continue;
      }
      const parsed = schema.safeParse(res.json());
      if (!parsed.success)
        problems.push(`GET ${r.url} (${res.statusCode}): ${parsed.error.message.slice(0, 300)}`);
      checked.push(r.url);
    }
    assert.deepEqual(problems, []);
    assert.ok(checked.length >= 40, `routes checked: ${checked.length}`);
  });
});
