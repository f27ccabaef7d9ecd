import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, TEST_PASSWORD } from '../helpers/app.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { SimSource } from '../../src/sim/sim-source.js';
import type { Source } from '../../src/sources/types.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';

const silent = pino({ level: 'silent' });
const prefixes: string[] = [];
const admin = new Redis(REDIS_URL);
const SIM = { speed: 1, seed: 20261122, rate: 100, events: 20 };

after(async () => {
  for (const p of prefixes) await deleteByPrefix(admin, p);
  admin.disconnect();
});

/** Polls `cond` (bounded): waits on the system's readiness, never on a fixed sleep. */
async function until<T>(what: string, cond: () => Promise<T | null | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function instance(
  prefix: string,
  role: 'all' | 'ingest' | 'api',
  sources: Source[],
): Promise<FastifyInstance> {
  return makeTestApp({
    store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: silent }),
    env: { ROLE: role, REDIS_URL, REDIS_KEY_PREFIX: prefix },
    sources,
  });
}

type Health = {
  status: string;
  sources: { source: string; state: string }[];
  sources_origin: { origin: string };
};
type DiamondStatus = { sources: { source: string; gamesCount: number; state: string }[]; totalGames: number };

test('ingest + standby ingest + API replica on one Redis: the replica shows the ingest sources, the standby answers 200 standby', async () => {
  const prefix = uniquePrefix('whole-system');
  prefixes.push(prefix);
  const ingest = await instance(prefix, 'ingest', [new SimSource({ sim: SIM })]);
  const apps: FastifyInstance[] = [ingest];
  try {
    await until('the ingest instance to hold the lease', async () => ingest.ingestLease?.held === true);
    const standby = await instance(prefix, 'ingest', [new SimSource({ sim: SIM })]);
    apps.push(standby);
    const api = await instance(prefix, 'api', []);
    apps.push(api);

    // The API replica runs no source, yet its /status lists the ingest instance's, with its games.
    const status = await until('the API replica /status to list the sim source with games', async () => {
      const res = await api.inject({
        url: '/api/v2/diamond/status',
        headers: { 'x-password': TEST_PASSWORD },
      });
      assert.equal(res.statusCode, 200, res.body);
      const data = (res.json() as { data: DiamondStatus }).data;
      return data.sources.some((s) => s.source === 'sim' && s.gamesCount > 0) ? data : null;
    });
    assert.deepEqual(
      status.sources.map((s) => s.source),
      ['sim'],
    );
    assert.equal(status.sources[0]!.state, 'connected');
    assert.ok(status.totalGames > 0);

    const apiHealth = await until('the API replica /admin/health to be ok', async () => {
      const res = await api.inject({ url: '/api/v1/admin/health' });
      return res.statusCode === 200 ? (res.json() as { data: Health }).data : null;
    });
    assert.equal(apiHealth.status, 'ok');
    assert.deepEqual(
      apiHealth.sources.map((s) => [s.source, s.state]),
      [['sim', 'connected']],
    );
    assert.equal(apiHealth.sources_origin.origin, 'published');

    // The second ingest instance waits for the lease: healthy, 200 "standby", never 503.
    await until('the standby to try the lease', async () => standby.ingestLease !== null);
    const res = await standby.inject({ url: '/api/v1/admin/health' });
    assert.equal(res.statusCode, 200, res.body);
    const sb = (res.json() as { data: Health & { ingest: { writer: boolean } } }).data;
    assert.equal(sb.status, 'standby');
    assert.equal(sb.ingest.writer, false);
    assert.deepEqual(
      sb.sources.map((s) => [s.source, s.state]),
      [['sim', 'connected']],
      "the writer's sources",
    );

    // The ingest instance itself: ok, 200.
    const own = await ingest.inject({ url: '/api/v1/admin/health' });
    assert.equal(own.statusCode, 200, own.body);
    assert.equal((own.json() as { data: Health }).data.status, 'ok');

    // Readiness: every instance's store answers and its read model follows the log.
    for (const app of apps) {
      const ready = await until('/readyz 200', async () => {
        const r = await app.inject({ url: '/readyz' });
        return r.statusCode === 200 ? r : null;
      });
      assert.deepEqual(ready.json(), { status: 'ready' });
    }
  } finally {
    for (const app of apps.reverse()) await app.close();
  }
});
