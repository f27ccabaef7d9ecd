import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Ingest } from '../../src/ingest/ingest.js';
import { IngestLease, type LeaseHolder } from '../../src/ingest/lease.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { SAMPLE_EVENTS } from '../helpers/fixtures.js';
import { priced } from './priced.js';
import { REDIS_URL, deleteByPrefix, memoryLogger, uniquePrefix } from '../store/redis-helpers.js';

const silent = pino({ level: 'silent' });
const admin = new Redis(REDIS_URL);
const prefixes: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntil(pred: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/** Best back price of every stored sample market. */
async function storedBacks(store: RedisStore): Promise<number[]> {
  const snap = await store.loadSnapshot();
  const ids = new Set(SAMPLE_EVENTS.map((e) => e.marketId));
  return snap.markets.filter((m) => ids.has(m.id)).flatMap((m) => m.runners.map((r) => r.back[0]!.price));
}

/**
 * One ingest instance as the ingest plugin wires it on Redis: a store fenced with its lease token, an
 * Ingest that tells the lease when a write is refused, and a holder that (re)starts and stops ingest.
 */
async function instance(prefix: string, lease: { ttlMs: number; attemptEveryMs: number }, logger = silent) {
  const key = `${prefix}ingest:lease`;
  const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: silent });
  await store.connect();
  const leaseObj = new IngestLease({ redisUrl: REDIS_URL, key, logger, ...lease });
  store.fence({ key: leaseObj.key, token: leaseObj.token });
  const state = { sourcesRunning: false, lost: 0 };
  const ingest: Ingest = new Ingest({
    store,
    logger,
    closedMarketTtlMs: 60_000,
    onFenced: () => void leaseObj.fenced(holder),
  });
  ingest.pause();
  const holder: LeaseHolder = {
    acquired: async () => {
      ingest.init(await store.loadSnapshot());
      state.sourcesRunning = true;
    },
    lost: async () => {
      state.lost++;
      state.sourcesRunning = false;
      ingest.pause();
    },
  };
  const stop = async () => {
    await leaseObj.stop(holder);
    await ingest.close();
    await store.close();
  };
  return { store, lease: leaseObj, ingest, holder, state, stop, key };
}

describe('ingest writes fenced by the lease', () => {
  after(async () => {
    for (const p of prefixes) await deleteByPrefix(admin, p);
    admin.disconnect();
  });

  test('A stalls past its TTL and B takes the lease: A’s next commit is refused, B’s data intact, A stops writing and stands by', async () => {
    const prefix = uniquePrefix('fencing');
    prefixes.push(prefix);
    const logA = memoryLogger('info');
    // A renews once a minute: its renewals are as good as stalled for this test.
    const a = await instance(prefix, { ttlMs: 60_000, attemptEveryMs: 60_000 }, logA.logger);
    const b = await instance(prefix, { ttlMs: 5_000, attemptEveryMs: 50 });
    try {
      a.lease.start(a.holder);
      assert.ok(await waitUntil(() => a.state.sourcesRunning, 15_000), 'A holds the lease and ingests');
      a.ingest.push(priced(2));
      await a.ingest.drain();
      assert.deepEqual(new Set(await storedBacks(a.store)), new Set([2]), 'A wrote while it held the lease');

      // A's lease lapses while A is stalled (its key expires), and B takes it and writes.
      await admin.del(a.key);
      b.lease.start(b.holder);
      assert.ok(await waitUntil(() => b.state.sourcesRunning, 15_000), 'B takes the lease');
      assert.ok(b.lease.epoch! > a.lease.epoch!, 'B holds it in a later term');
      b.ingest.push(priced(5));
      await b.ingest.drain();
      assert.deepEqual(new Set(await storedBacks(b.store)), new Set([5]));
      const bPosition = (await b.store.loadSnapshot()).logPosition;

      // A wakes up and commits what it had: refused; it stops writing at once, not at its next renewal.
      assert.equal(a.lease.held, true, 'A has not noticed yet');
      a.ingest.push(priced(9));
      await a.ingest.drain();
      assert.deepEqual(new Set(await storedBacks(b.store)), new Set([5]), "B's data intact");
      assert.deepEqual(await b.store.readLog(bPosition, 100), [], 'nothing of A logged');
      assert.ok(await waitUntil(() => !a.state.sourcesRunning, 15_000), "A's sources stopped");
      assert.equal(a.lease.held, false, 'A no longer counts itself the writer');
      assert.equal(a.ingest.isPaused, true);
      assert.equal(a.state.lost, 1);
      assert.equal(a.ingest.stats.pending, 0, 'A dropped what it held: B is the writer');
      assert.ok(
        logA.lines.some((l) => l.level === 40 && /refused/.test(String(l.msg))),
        'the refusal is logged as a warning',
      );

      // A stays a standby: what it is pushed is not written; B keeps writing.
      a.ingest.push(priced(11));
      await a.ingest.drain();
      b.ingest.push(priced(6));
      await b.ingest.drain();
      assert.deepEqual(new Set(await storedBacks(b.store)), new Set([6]));
      assert.equal(await admin.get(a.key), b.lease.token, 'B still holds the lease');
      assert.equal(b.lease.held, true);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
