import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { makeTestApp } from '../helpers/app.js';
import { SAMPLE_EVENTS } from '../helpers/fixtures.js';
import { FakeSource } from '../http/feed/fixtures.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { SourceStatus } from '../../src/model/index.js';
import type { UpdateSink } from '../../src/sources/types.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';
import { priced } from './priced.js';

const silent = pino({ level: 'silent' });
const prefixes: string[] = [];
const admin = new Redis(REDIS_URL);

after(async () => {
  for (const p of prefixes) await deleteByPrefix(admin, p);
  admin.disconnect();
});

/** A source the test pushes through; connected only while started (as a real one is). */
class PushSource extends FakeSource {
  sink: UpdateSink | null = null;

  override async start(sink: UpdateSink): Promise<void> {
    this.sink = sink;
  }

  override async stop(): Promise<void> {
    this.sink = null;
  }

  override status(): SourceStatus {
    const running = this.sink !== null;
    return { ...super.status(), state: running ? 'connected' : 'stopped', connected: running };
  }
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function redisApp(prefix: string, source: PushSource): Promise<FastifyInstance> {
  return makeTestApp({
    store: new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: silent }),
    env: { ROLE: 'all', REDIS_URL, REDIS_KEY_PREFIX: prefix },
    sources: [source],
  });
}

/** Best back prices of the sample markets as `app`'s store holds them. */
async function storedBacks(app: FastifyInstance): Promise<Set<number>> {
  const ids = new Set(SAMPLE_EVENTS.map((e) => e.marketId));
  const snap = await app.store.loadSnapshot();
  return new Set(
    snap.markets.filter((m) => ids.has(m.id)).flatMap((m) => m.runners.map((r) => r.back[0]!.price)),
  );
}

test('two instances: the lease holder that lost its lease unknowingly has its next commit refused, stands by, and reports it', async () => {
  const prefix = uniquePrefix('fencing-app');
  prefixes.push(prefix);
  const leaseKey = `${prefix}ingest:lease`;
  const src1 = new PushSource('betfair');
  const src2 = new PushSource('betfair');
  const app1 = await redisApp(prefix, src1);
  const app2 = await redisApp(prefix, src2);
  try {
    // Both compete from the start; A is the one that took the lease (on a busy machine either may).
    await until(
      'one instance to hold the lease and start its source',
      () => src1.sink !== null || src2.sink !== null,
      30_000,
    );
    const [a, srcA, b, srcB] = src1.sink !== null ? [app1, src1, app2, src2] : [app2, src2, app1, src1];
    assert.equal(a.ingestLease?.held, true);
    srcA.sink!(priced(2));
    await a.settle();
    assert.deepEqual(await storedBacks(a), new Set([2]));
    assert.equal(srcB.sink, null, 'B stands by');

    // Right after one of A's renewals (the lease's TTL jumps back up), so A's next one is a whole
    // attempt interval away: A's lease lapses (as if A stalled) and B takes it, which B notices at its
    // next attempt. A, unaware, commits at once.
    let ttl = await admin.pttl(leaseKey);
    await until('a renewal of A', async () => {
      const now = await admin.pttl(leaseKey);
      const renewed = now > ttl;
      ttl = now;
      return renewed;
    });
    await admin.set(leaseKey, b.ingestLease!.token, 'PX', 10_000);
    const position = (await a.store.loadSnapshot()).logPosition;
    srcA.sink!(priced(9));
    await a.ingest.drain();

    // A wrote nothing, stopped its source and says it is not the writer.
    assert.deepEqual(await a.store.readLog(position, 100), [], 'nothing of A logged after it lost the lease');
    assert.deepEqual(await storedBacks(a), new Set([2]));
    assert.equal(a.ingestLease?.held, false, 'A is not the lease holder any more');
    await until('A to stop its source', () => srcA.sink === null, 2000);
    const health = await a.inject({ url: '/api/v1/admin/health' });
    type Health = {
      status: string;
      socket: { connected: boolean };
      ingest: { writer: boolean; lease: boolean; lease_epoch: number | null };
    };
    const data = (health.json() as { data: Health }).data;
    assert.equal(health.statusCode, 200, 'a healthy instance waiting for the lease is not failed');
    assert.equal(data.status, 'standby');
    assert.equal(data.ingest.writer, false, 'A says it is not the writer');
    assert.equal(data.ingest.lease, true);
    const termOfA = data.ingest.lease_epoch;
    assert.equal(typeof termOfA, 'number', 'the term A held');
    const accounts = await a.inject({ url: '/api/v1/admin/accounts' });
    const sim = (accounts.json() as { data: { source: string; state: string }[] }).data;
    assert.deepEqual(
      sim.map((s) => s.state),
      ['stopped'],
    );

    // B takes over and writes; A serves B's data from the log, and never writes again.
    await until('B to take the lease and start its source', () => srcB.sink !== null, 5000);
    srcB.sink!(priced(5));
    await b.settle();
    assert.deepEqual(await storedBacks(b), new Set([5]), "B's data intact");
    await until('A to follow B through the log', () =>
      [...a.readModel.markets.values()].some((m) => m.runners[0]?.back[0]?.price === 5),
    );
    assert.equal(await admin.get(leaseKey), b.ingestLease!.token);
    assert.equal(srcA.sink, null, 'A stays a standby');
    const ofB = ((await b.inject({ url: '/api/v1/admin/health' })).json() as { data: Health }).data;
    assert.equal(ofB.ingest.writer, true, 'B says it is the writer');
    assert.ok((ofB.ingest.lease_epoch ?? 0) > (termOfA ?? 0), "B's term is a later one than A's");
  } finally {
    await app1.close();
    await app2.close();
  }
});
