import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../../helpers/app.js';
import { sharedDomainPools, poolDocKey } from '../../../src/pool/registry.js';

const ADMIN = 'domains-admin-secret';
const POOL = 'domains-test-pool';

describe('admin domain pools', () => {
  let app: FastifyInstance;
  before(async () => {
    sharedDomainPools.pool(POOL, ['https://one.example']);
    app = await makeTestApp({ config: { diamondAdminPassword: ADMIN } });
  });
  after(() => app.close());

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, admin = true) =>
    app.inject({
      method,
      url: `/api/v1/admin${url}`,
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      headers: admin ? { 'x-admin-password': ADMIN } : {},
    });

  test('lists every pool with per-domain health', async () => {
    const res = await call('GET', '/domains', undefined, false);
    assert.equal(res.statusCode, 200);
    const pool = (
      res.json() as { data: { pool: string; domains: { url: string; healthy: boolean; score: number }[] }[] }
    ).data.find((p) => p.pool === POOL);
    assert.deepEqual(
      pool?.domains.map((d) => [d.url, d.healthy, d.score]),
      [['https://one.example', true, 1]],
    );
  });

  test('adds and removes domains at runtime with the admin credential; kept in the store', async () => {
    assert.equal(
      (await call('POST', `/domains/${POOL}`, { url: 'https://two.example/' }, false)).statusCode,
      403,
    );
    const added = await call('POST', `/domains/${POOL}`, { url: 'https://two.example/' });
    assert.equal(added.statusCode, 201);
    const urls = (added.json() as { data: { domains: { url: string }[] } }).data.domains.map((d) => d.url);
    assert.deepEqual(urls, ['https://one.example', 'https://two.example']);
    await new Promise((r) => setTimeout(r, 400));
    const doc = await app.store.getDoc<{ domains: { url: string }[] }>(poolDocKey(POOL));
    assert.deepEqual(
      doc?.domains.map((d) => d.url),
      urls,
    );
    assert.equal((await call('POST', `/domains/${POOL}`, { url: 'ftp://x' })).statusCode, 400);
    assert.equal((await call('POST', '/domains/nope', { url: 'https://x.example' })).statusCode, 404);
    const removed = await call('DELETE', `/domains/${POOL}?url=${encodeURIComponent('https://two.example')}`);
    assert.equal(removed.statusCode, 200);
    assert.equal(
      (await call('DELETE', `/domains/${POOL}?url=${encodeURIComponent('https://two.example')}`)).statusCode,
      404,
    );
  });
});
