import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../../helpers/app.js';
import { richUpdates, settleTennis } from './fixtures.js';

const KEY = 'browser-test-key-0123456789';
const LIMIT_HEADERS = ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after'];
const exposed = (h: unknown) =>
  String(h ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase());

describe('Porqpine surfaces for browsers (issue 16)', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp({ env: { API_KEYS: `${KEY}:1000` } });
    await feed(app, richUpdates());
    await feed(app, settleTennis());
  });
  after(() => app.close());

  test('a script on another origin can read the X-RateLimit headers, ETag and Cache-Control', async () => {
    for (const url of ['/api/v1/feed/sports', '/api/v1/feed/results', '/api/v1/admin/health']) {
      const res = await app.inject({ url, headers: { origin: 'https://front.example', 'x-api-key': KEY } });
      assert.ok(res.statusCode === 200 || res.statusCode === 503, `${url}: ${res.statusCode}`);
      assert.ok(res.headers['x-ratelimit-limit'] !== undefined, `${url}: the limit headers are sent`);
      const list = exposed(res.headers['access-control-expose-headers']);
      for (const h of [...LIMIT_HEADERS, 'etag', 'cache-control'])
        assert.ok(list.includes(h), `${url}: ${h}`);
    }
  });

  test('/results is kept briefly by clients (the 12 h is the server keeping time) and revalidates by ETag', async () => {
    const res = await app.inject({ url: '/api/v1/feed/results', headers: { 'x-api-key': KEY } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=30');
    const again = await app.inject({
      url: '/api/v1/feed/results',
      headers: { 'x-api-key': KEY, 'if-none-match': String(res.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });

  test('/api/v1/feed/health (linked from the Porqpine page) answers the health in the Porqpine envelope', async () => {
    const res = await app.inject({ url: '/api/v1/feed/health', headers: { 'x-api-key': KEY } });
    // No source runs in the test app, so it reports degraded with 503, as /api/v1/admin/health does.
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const body = res.json() as { success: boolean; data: Record<string, unknown> };
    assert.equal(body.success, true);
    assert.equal(body.data.status, 'degraded');
    for (const k of [
      'version',
      'uptime_s',
      'memory',
      'cache',
      'socket',
      'accounts',
      'ws_clients',
      'result_saver',
    ])
      assert.ok(k in body.data, k);
    const admin = await app.inject({ url: '/api/v1/admin/health', headers: { 'x-api-key': KEY } });
    assert.deepEqual(Object.keys(body.data).sort(), Object.keys((admin.json() as typeof body).data).sort());
  });

  test('/api/v1/feed/health needs the key like every feed route', async () => {
    const res = await app.inject({ url: '/api/v1/feed/health' });
    assert.equal(res.statusCode, 401);
    assert.equal((res.json() as { success: boolean }).success, false);
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/api/v1/feed/health',
      headers: { origin: 'https://front.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(pre.statusCode, 204, 'preflights need no key');
    assert.equal(pre.body, '');
  });
});
