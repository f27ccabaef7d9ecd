import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { feed, makeTestApp } from '../helpers/app.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/types.js';
import type { SourceUpdate } from '../../src/model/index.js';
import { nameKey } from '../../src/matching/names.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';

const KICK_OFF = new Date(Date.now() + 3 * 3600_000).toISOString();
const RESERVED = ['__proto__', 'constructor', 'prototype'];

function ev(source: string, id: string, name: string): SourceUpdate {
  return { kind: 'event', source, upstreamEventId: id, event: { sportId: 1, name, startTime: KICK_OFF } };
}

/** Admin changes need the admin credential; with it, the request reaches validation. */
const ADMIN = 'prototype-admin-password';

/** Every key under `prefix` with its DUMP, so any write (new key or changed value) shows. */
async function snapshot(admin: Redis, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    for (const k of keys) out.set(k, (await admin.dumpBuffer(k))?.toString('hex') ?? '');
    cursor = next;
  } while (cursor !== '0');
  return out;
}

/** A two-source event (linked by hand), then unlink with prototype names: 400, and nothing stored changes. */
async function scenario(store: Store, redis?: { admin: Redis; prefix: string }): Promise<void> {
  const app: FastifyInstance = await makeTestApp({ store, config: { diamondAdminPassword: ADMIN } });
  try {
    await feed(app, [ev('betfair', '10', 'Man City v Leeds'), ev('oddsapi', 'm', 'Manchester C v Leeds U')]);
    const idOf = (s: string, u: string) => app.readModel.findByUpstream(s, u)?.id as number;
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url, payload, headers: { 'x-admin-password': ADMIN } });
    if (idOf('oddsapi', 'm') !== idOf('betfair', '10')) {
      const linked = await post('/api/v1/admin/matching/link', {
        event_id: idOf('oddsapi', 'm'),
        into: idOf('betfair', '10'),
      });
      assert.equal(linked.statusCode, 200, linked.body);
    }
    const city = idOf('betfair', '10');
    await app.settle();
    const manualBefore = JSON.stringify(await store.getDoc('matching:manual'));
    const keysBefore = redis ? await snapshot(redis.admin, redis.prefix) : null;
    const probe = await store.resolveEventId('test:probe', 'before');

    for (const source of RESERVED) {
      const res = await post('/api/v1/admin/matching/unlink', { event_id: city, source });
      assert.equal(res.statusCode, 400, `${source}: ${res.body}`);
      const body = res.json() as { success: boolean; error: string };
      assert.deepEqual(Object.keys(body).sort(), ['error', 'success']);
      assert.equal(body.success, false);
      assert.match(body.error, /source/);
    }
    for (const source of ['toString', 'hasOwnProperty', 'valueOf']) {
      const res = await post('/api/v1/admin/matching/unlink', { event_id: city, source });
      assert.equal(res.statusCode, 404, `${source}: ${res.body}`);
      assert.match((res.json() as { error: string }).error, /has no upstream event of/);
    }
    // as JSON text too (a parsed `__proto__` key is an own property, not the prototype)
    const raw = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/matching/unlink',
      headers: { 'content-type': 'application/json', 'x-admin-password': ADMIN },
      payload: `{"event_id":${city},"source":"__proto__","__proto__":{"source":"oddsapi"}}`,
    });
    assert.equal(raw.statusCode, 400, raw.body);

    assert.equal(
      await store.resolveEventId('test:probe', 'after'),
      probe + 1,
      'no event id was allocated in between',
    );
    assert.equal(JSON.stringify(await store.getDoc('matching:manual')), manualBefore, 'no manual action');
    if (redis && keysBefore) {
      const keysAfter = await snapshot(redis.admin, redis.prefix);
      for (const [k, v] of keysAfter) {
        // the probe's own id and the id counter it moved (checked above: moved by the probe alone)
        if (k.includes('test:probe') || k.endsWith('ids:seq')) continue;
        assert.equal(v, keysBefore.get(k), `${k} was written`);
      }
      assert.ok(![...keysAfter.keys()].some((k) => /__proto__|constructor|prototype/.test(k)));
    }
    assert.deepEqual(Object.keys(app.readModel.events.get(city)?.upstreamIds ?? {}).sort(), [
      'betfair',
      'oddsapi',
    ]);
    assert.equal(({} as Record<string, unknown>).source, undefined, 'Object.prototype untouched');
  } finally {
    await app.close();
  }
}

describe('prototype names in matching input are refused and write nothing', () => {
  test('on the memory store', async () => {
    await scenario(new MemoryStore());
  });

  const admin = new Redis(REDIS_URL, { lazyConnect: true });
  const prefix = uniquePrefix('proto');
  after(async () => {
    await deleteByPrefix(admin, prefix).catch(() => 0);
    admin.disconnect();
  });

  test('on the Redis store (real Redis, own key prefix)', async () => {
    await admin.connect();
    const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: pino({ level: 'silent' }) });
    await scenario(store, { admin, prefix });
  });

  test('a team called "Constructor" keeps its name in matching keys', () => {
    assert.deepEqual([...nameKey('Constructor United').words].sort(), ['constructor', 'united']);
    assert.deepEqual(nameKey('toString').words, ['tostring']);
  });
});
