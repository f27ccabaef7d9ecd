import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../../helpers/app.js';
import type { SourceUpdate } from '../../../src/model/index.js';

const KEY = 'route-scoped-key-0001';
const ADMIN = 'route-scoped-admin-0001';
const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();

function ev(source: string, id: string, name: string): SourceUpdate {
  return { kind: 'event', source, upstreamEventId: id, event: { sportId: 1, name, startTime: KICK_OFF } };
}

/** Spellings of one path that a raw-URL prefix check would not recognise. */
function variants(path: string): string[] {
  const [, first = '', ...rest] = path.split('/');
  const tail = rest.join('/');
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`;
  const out = [
    `/${encodedFirst}/${tail}`, // /%61pi/v1/feed/sports
    path.replace('/v1/', '/v%31/'), // /api/v%31/feed/sports
    path.replace(
      /\/([a-z])([a-z-]*)$/,
      (_m, c: string, r: string) => `/%${c.charCodeAt(0).toString(16)}${r}`,
    ),
    `${path}/`, // trailing slash (the router ignores it)
    `/${path}`, // double slash in front
    path.replace(/\//g, '//'), // every slash doubled
    `/x/..${path}`, // dot segments
    `/./${path.slice(1)}`,
    path.toUpperCase(),
    path.replace(first, first.toUpperCase()),
    `${path}?x=1`,
    `${path}%3Fx=1`,
    `${path};x=1`,
  ];
  return [...new Set(out)].filter((v) => v !== path);
}

/** A request as raw bytes on a socket (for request targets inject cannot send: absolute form). */
async function raw(port: number, text: string): Promise<{ status: number; body: string }> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let data = '';
  socket.on('data', (d: string) => (data += d));
  socket.write(text);
  await new Promise<void>((resolve, reject) => {
    socket.on('end', resolve);
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
  return { status, body: data.slice(data.indexOf('\r\n\r\n') + 4) };
}

describe('API keys are checked on the matched route, whatever the raw URL looks like', () => {
  let app: FastifyInstance;
  let port: number;

  before(async () => {
    app = await makeTestApp({
      config: { apiKeys: `${KEY}:100000`, diamondAdminPassword: ADMIN, authMaxFailures: 100_000 },
    });
    await feed(app, [ev('betfair', '10', 'Man City v Leeds'), ev('oddsapi', 'm', 'Arsenal v Spurs')]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  after(async () => {
    await app.close();
  });

  const PROTECTED = [
    '/api/v1/feed/sports',
    '/api/v1/feed/events',
    '/api/v1/admin/accounts',
    '/api/v1/admin/health',
    '/api/v1/admin/matching/candidates',
  ];

  for (const path of PROTECTED) {
    test(`${path}: no spelling answers without a key`, async () => {
      const canonical = await app.inject({ url: path });
      assert.equal(canonical.statusCode, 401, `${path} ${canonical.body}`);
      for (const url of variants(path)) {
        const head = await app.inject({ method: 'HEAD', url });
        assert.ok([401, 404, 400].includes(head.statusCode), `HEAD ${url} answered ${head.statusCode}`);
        const res = await app.inject({ url });
        assert.ok(
          [401, 404, 400].includes(res.statusCode),
          `${url} answered ${res.statusCode} without a key`,
        );
        assert.equal(res.json().success, false, url);
        const withKey = await app.inject({ url, headers: { 'x-api-key': KEY } });
        // A spelling the router maps onto the route serves it with a key, so the 401 above was the key check.
        if (res.statusCode === 401) assert.ok(withKey.statusCode < 400 || withKey.statusCode === 503, url);
        else assert.equal(withKey.statusCode, res.statusCode, `${url}: a key does not open an unmatched URL`);
      }
    });
  }

  test('an absolute-form request target needs the key too (real socket)', async () => {
    for (const target of [
      'http://x/api/v1/admin/accounts',
      'http://x/%61pi/v1/feed/sports',
      'http://127.0.0.1/api/v1/feed/sports',
    ]) {
      const res = await raw(port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok([401, 404, 400].includes(res.status), `${target} answered ${res.status}: ${res.body}`);
      assert.ok(!res.body.includes('"success":true'), target);
    }
    const ok = await raw(
      port,
      `GET http://x/api/v1/admin/accounts HTTP/1.1\r\nHost: x\r\nX-API-Key: ${KEY}\r\nConnection: close\r\n\r\n`,
    );
    assert.equal(ok.status, 200, 'the absolute form reaches the route with a key');
  });

  test('/proxy needs the key (header or ?apiKey=) before anything is fetched', async () => {
    for (const url of [
      '/proxy/?u=http://127.0.0.1:1/',
      '/%70roxy/?u=http://127.0.0.1:1/',
      '/proxy/tracker/12345',
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 401, `${url}: ${res.body}`);
    }
    const keyed = await app.inject({ url: `/proxy/?u=http://not-allowed.example/&apiKey=${KEY}` });
    assert.equal(keyed.statusCode, 403, 'past the key check, the allow-list decides');
  });

  test('an encoded admin POST neither merges events nor skips the admin credential', async () => {
    const into = app.readModel.findByUpstream('betfair', '10')?.id as number;
    const eventId = app.readModel.findByUpstream('oddsapi', 'm')?.id as number;
    const payload = { event_id: eventId, into };
    for (const url of ['/%61pi/v1/admin/matching/link', '/api/v%31/admin/matching/link']) {
      const noKey = await app.inject({ method: 'POST', url, payload });
      assert.equal(noKey.statusCode, 401, url);
      const keyOnly = await app.inject({ method: 'POST', url, payload, headers: { 'x-api-key': KEY } });
      assert.equal(keyOnly.statusCode, 403, url);
      assert.equal(keyOnly.json().success, false);
    }
    assert.notEqual(app.readModel.findByUpstream('oddsapi', 'm')?.id, into, 'nothing was merged');
  });

  test('an unmatched URL says only "Not found", with or without a key', async () => {
    for (const url of ['/api/v1/nope', '/api/v1/feed/nope', '/%61pi/v1/nope']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.deepEqual(res.json(), { success: false, error: 'Not found' });
    }
  });
});

describe('per-key rate limits count every spelling of a route', () => {
  test('a key limited to 3/min is refused on the 4th request, encoded or not', async () => {
    const app = await makeTestApp({ config: { apiKeys: `${KEY}:3` } });
    try {
      const headers = { 'x-api-key': KEY };
      const urls = ['/api/v1/feed/sports', '/%61pi/v1/feed/sports', '/api/v%31/feed/sports'];
      for (const url of urls) assert.equal((await app.inject({ url, headers })).statusCode, 200, url);
      const fourth = await app.inject({ url: '/%61pi/v1/feed/sports', headers });
      assert.equal(fourth.statusCode, 429);
      assert.ok(Number(fourth.headers['retry-after']) >= 1);
    } finally {
      await app.close();
    }
  });
});

describe('ROLE=ingest keeps its one admin route keyed', () => {
  test('/api/v1/admin/health needs the key in every spelling', async () => {
    const app = await makeTestApp({ env: { ROLE: 'ingest' }, config: { apiKeys: KEY } });
    try {
      for (const url of ['/api/v1/admin/health', '/%61pi/v1/admin/health', '/api/v%31/admin/health']) {
        assert.equal((await app.inject({ url })).statusCode, 401, url);
        const ok = await app.inject({ url, headers: { 'x-api-key': KEY } });
        assert.ok([200, 503].includes(ok.statusCode), url);
        assert.equal(ok.json().data.role, 'ingest');
      }
    } finally {
      await app.close();
    }
  });
});
