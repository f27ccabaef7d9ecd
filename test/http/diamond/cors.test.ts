import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../../src/config/index.js';
import { feed, makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { sampleUpdates } from '../../helpers/fixtures.js';

const API = '/api/v2/diamond';
const FRONT = 'https://front.example';
const preflight = (url: string, origin = FRONT, method = 'GET', headers = 'x-password') => ({
  method: 'OPTIONS' as const,
  url,
  headers: {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': headers,
  },
});

describe('Diamond CORS (issue 16: a browser app on another origin)', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
    await feed(app, sampleUpdates());
  });
  after(() => app.close());

  test('preflight with x-password answers 204 without the password, allowing the header, no data', async () => {
    for (const url of [`${API}/games`, `${API}/highlights?sport_id=3`, `${API}/games/1000001/detail`]) {
      const res = await app.inject(preflight(url));
      assert.equal(res.statusCode, 204, url);
      assert.equal(res.headers['access-control-allow-origin'], '*', url);
      assert.equal(res.headers['access-control-allow-headers'], 'x-password', url);
      assert.equal(res.headers['access-control-allow-methods'], 'GET, OPTIONS', url);
      assert.equal(res.headers['access-control-allow-credentials'], undefined, 'never with credentials');
      assert.equal(res.body, '', `${url}: a preflight shows no data`);
    }
  });

  test('the real request carries CORS headers and exposes ETag, Cache-Control and the limit headers', async () => {
    const res = await app.inject({
      url: `${API}/games`,
      headers: { origin: FRONT, 'x-password': TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const exposed = String(res.headers['access-control-expose-headers'])
      .split(',')
      .map((h) => h.trim().toLowerCase());
    for (const h of [
      'etag',
      'cache-control',
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ])
      assert.ok(exposed.includes(h), h);
    assert.ok((res.json() as { data: { count: number } }).data.count > 0);
  });

  test('the password is still required for data; its 401 is readable by the page', async () => {
    const res = await app.inject({ url: `${API}/games`, headers: { origin: FRONT } });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { success: false, error: 'Unauthorized' });
    assert.equal(res.headers['access-control-allow-origin'], '*');
  });

  test('Diamond is read-only cross-origin: preflights for changes are 403', async () => {
    const res = await app.inject(preflight(`${API}/games`, FRONT, 'POST'));
    assert.equal(res.statusCode, 403);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal((res.json() as { success: boolean }).success, false);
  });

  test('asked headers that are not header names, or too many, are not echoed back', async () => {
    const bad = await app.inject(preflight(`${API}/games`, FRONT, 'GET', 'x-password\r\nx-evil: 1'));
    assert.equal(bad.headers['access-control-allow-headers'], 'Content-Type');
    const many = Array.from({ length: 100 }, (_, i) => `x-h${i}`).join(',');
    const lots = await app.inject(preflight(`${API}/games`, FRONT, 'GET', many));
    assert.equal(lots.headers['access-control-allow-headers'], 'Content-Type');
  });
});

describe('DIAMOND_CORS_ORIGINS', () => {
  let app: FastifyInstance;
  const ALLOWED = 'http://localhost:5173';
  before(async () => {
    app = await makeTestApp({ env: { DIAMOND_CORS_ORIGINS: `${ALLOWED}, ${FRONT}` } });
  });
  after(() => app.close());

  test('a listed origin is answered with itself and Vary: Origin', async () => {
    for (const origin of [ALLOWED, FRONT]) {
      const pre = await app.inject(preflight(`${API}/games`, origin));
      assert.equal(pre.statusCode, 204, origin);
      assert.equal(pre.headers['access-control-allow-origin'], origin);
      assert.match(String(pre.headers.vary), /Origin/);
      const res = await app.inject({
        url: `${API}/sports`,
        headers: { origin, 'x-password': TEST_PASSWORD },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['access-control-allow-origin'], origin);
    }
  });

  test('other origins get no CORS headers and their preflights are 403', async () => {
    const pre = await app.inject(preflight(`${API}/games`, 'https://evil.example'));
    assert.equal(pre.statusCode, 403);
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    const res = await app.inject({
      url: `${API}/sports`,
      headers: { origin: 'https://evil.example', 'x-password': TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 200, 'server-side callers are not refused');
    assert.equal(res.headers['access-control-allow-origin'], undefined, 'but a browser cannot read it');
  });

  test('the setting is validated: origins only, default *', () => {
    const load = (env: Record<string, string>) => loadConfig({ env, configDir: null });
    assert.deepEqual(load({}).diamondCorsOrigins, ['*']);
    assert.deepEqual(
      load({ DIAMOND_CORS_ORIGINS: 'https://a.example,http://[::1]:3000' }).diamondCorsOrigins,
      ['https://a.example', 'http://[::1]:3000'],
    );
    for (const bad of ['https://a.example/', 'a.example', 'https://a.example/path', 'javascript:x'])
      assert.throws(() => load({ DIAMOND_CORS_ORIGINS: bad }), /DIAMOND_CORS_ORIGINS/, bad);
  });
});
