import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory-store.js';
import { feed, makeTestApp } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';

describe('ROLE', () => {
  test('ROLE=ingest serves only /healthz, /api/v1/admin/health and /metrics', async () => {
    const app = await makeTestApp({ env: { ROLE: 'ingest' } });
    try {
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
      const health = await app.inject({ url: '/api/v1/admin/health' });
      assert.equal(health.json().data.role, 'ingest');
      assert.equal((await app.inject({ url: '/metrics' })).statusCode, 200);
      for (const url of [
        '/api/v1/feed/sports',
        '/api/v2/diamond/sports',
        '/ws',
        '/',
        '/openapi.json',
        '/proxy?u=x',
      ])
        assert.equal((await app.inject({ url })).statusCode, 404, url);
    } finally {
      await app.close();
    }
  });

  test('ROLE=api runs no source and is healthy while the update log written by the ingest role is fresh', async () => {
    const store = new MemoryStore({ logMaxLen: 10_000 });
    const api = await makeTestApp({ store, env: { ROLE: 'api' } });
    const writer = await makeTestApp({ store, env: { ROLE: 'ingest' } });
    try {
      assert.deepEqual(api.sources.statuses(), []);
      const stale = await api.inject({ url: '/api/v1/admin/health' });
      assert.equal(stale.statusCode, 503);
      assert.match(stale.json().data.reasons.join(' '), /update log stale/);
      assert.ok(
        !stale.json().data.reasons.some((r: string) => /source/.test(r)),
        'no source is not a reason',
      );
      await feed(writer, sampleUpdates());
      for (let i = 0; i < 100 && api.readModel.events.size === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      const fresh = await api.inject({ url: '/api/v1/admin/health' });
      assert.equal(fresh.statusCode, 200, JSON.stringify(fresh.json().data.reasons));
      assert.equal(fresh.json().data.role, 'api');
      assert.ok(
        (await api.inject({ url: '/api/v1/feed/events' })).json().count > 0,
        'serves what ingest wrote',
      );
      assert.equal(api.ingest.stats.commits, 0, 'the api role never writes');
    } finally {
      await Promise.all([api.close(), writer.close()]);
    }
  });
});
