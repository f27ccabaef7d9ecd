import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify from 'fastify';
import { app as rootPlugin, serverOptions } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { MemoryStore } from '../../../src/store/memory-store.js';

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string }[];
  responses?: Record<string, { content?: Record<string, { schema?: unknown; example?: unknown }> }>;
}
type Paths = Record<string, Record<string, Operation>>;

/** `/a/:id` as OpenAPI writes it: `/a/{id}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

describe('OpenAPI document', () => {
  let app: FastifyInstance;
  const routes: { method: string; url: string; hidden: boolean }[] = [];

  before(async () => {
    app = Fastify(serverOptions(false));
    app.addHook('onRoute', (r) => {
      for (const m of [r.method].flat()) {
        const hidden = (r.schema as { hide?: boolean } | undefined)?.hide === true;
        routes.push({ method: m, url: r.url, hidden });
      }
    });
    const config = loadConfig({
      env: {},
      configDir: null,
      overrides: { sources: [], diamondPassword: 'p'.repeat(12) },
    });
    await app.register(rootPlugin, {
      config,
      store: new MemoryStore(),
      sources: [],
      diamondPassword: 'p'.repeat(12),
    });
    await app.ready();
  });
  after(async () => app.close());

  test('/openapi.json validates as OpenAPI 3.1', async () => {
    const res = await app.inject({ url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { openapi: string };
    assert.match(doc.openapi, /^3\.1\./);
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
  });

  test('every registered HTTP route is in it, with a summary, its path parameters, a response schema and an example', async () => {
    const paths = (await app.inject({ url: '/openapi.json' })).json().paths as Paths;
    const api = routes.filter((r) => !r.hidden && r.method !== 'HEAD' && r.method !== 'OPTIONS');
    assert.ok(api.length >= 50, `routes seen: ${api.length}`);
    const problems: string[] = [];
    for (const r of api) {
      const op = paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
      const name = `${r.method} ${r.url}`;
      if (!op) {
        problems.push(`${name}: missing`);
        continue;
      }
      if (!op.summary) problems.push(`${name}: no summary`);
      for (const p of r.url.match(/:([A-Za-z0-9_]+)/g) ?? []) {
        if (!op.parameters?.some((x) => x.in === 'path' && x.name === p.slice(1)))
          problems.push(`${name}: no ${p}`);
      }
      const ok = op.responses?.['200'] ?? op.responses?.['201'] ?? op.responses?.['101'];
      const media = ok?.content ? Object.values(ok.content)[0] : undefined;
      // 204 No Content (ABP DELETE) is a success response without a body.
      if (!ok && op.responses?.['204']) continue;
      if (!ok) problems.push(`${name}: no success response`);
      else if (r.url !== '/ws' && (!media?.schema || media.example === undefined))
        problems.push(`${name}: success response without schema or example`);
    }
    assert.deepEqual(problems, []);
  });

  test('the API-key and Diamond password schemes are declared and used', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), [
      'ApiKey',
      'ApiKeyQuery',
      'DiamondPassword',
      'DiamondPasswordQuery',
    ]);
    assert.deepEqual(doc.paths['/api/v1/feed/sports'].get.security, [{}, { ApiKey: [] }]);
    assert.ok(doc.paths['/api/v1/feed/sports'].get.responses['429'], 'rate limit documented');
    assert.deepEqual(doc.paths['/api/v2/diamond/games'].get.security[0], { DiamondPassword: [] });
  });

  test('/docs renders the Swagger UI from bundled assets, and the WebSocket protocol page is beside it', async () => {
    const page = await app.inject({ url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /swagger-ui/);
    const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(scripts.length > 0);
    for (const src of scripts) {
      assert.ok(!/^https?:/.test(src), `no CDN: ${src}`);
      const asset = await app.inject({ url: new URL(src, 'http://x/docs/').pathname });
      assert.equal(asset.statusCode, 200, src);
    }
    const init = await app.inject({ url: '/docs/static/swagger-initializer.js' });
    assert.equal(init.statusCode, 200);
    const ws = await app.inject({ url: '/docs/websocket' });
    assert.equal(ws.statusCode, 200);
    assert.match(ws.body, /4008/);
    assert.match(ws.body, /since/);
  });
});
