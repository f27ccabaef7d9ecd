import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { IngestLease, type LeaseHolder } from '../../src/ingest/lease.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';
import { DurableRedis } from '../reliability/helpers/redis.js';
import { freePort } from '../helpers/process.js';

const logger = pino({ level: 'silent' });
const admin = new Redis(REDIS_URL);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const prefixes: string[] = [];

/** A fresh key prefix, deleted after the tests (the lease's term counter, `<key>:epoch`, has no TTL). */
function leasePrefix(): string {
  const p = uniquePrefix('lease');
  prefixes.push(p);
  return p;
}

/** A holder that records when it runs. */
function recorder(): LeaseHolder & { running: boolean; starts: number } {
  const h = {
    running: false,
    starts: 0,
    acquired: async () => {
      h.running = true;
      h.starts++;
    },
    lost: async () => {
      h.running = false;
    },
  };
  return h;
}

async function waitUntil(pred: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

describe('IngestLease on Redis', () => {
  after(async () => {
    for (const p of prefixes) await deleteByPrefix(admin, p);
    admin.disconnect();
  });

  test('one holder at a time; a stopped holder releases and the other takes over at its next attempt', async () => {
    const key = `${leasePrefix()}ingest:lease`;
    const a = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 2000, attemptEveryMs: 100 });
    const b = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 2000, attemptEveryMs: 100 });
    const ha = recorder();
    const hb = recorder();
    a.start(ha);
    assert.ok(await waitUntil(() => ha.running, 3000), 'a acquires');
    b.start(hb);
    await sleep(500);
    assert.equal(hb.running, false, 'b waits while a renews');
    assert.equal(await admin.get(key), a.token);
    const t0 = Date.now();
    await a.stop(ha);
    assert.equal(ha.running, false);
    assert.ok(await waitUntil(() => hb.running, 1000), 'b takes over');
    assert.ok(Date.now() - t0 < 1000, 'released, so no TTL wait');
    assert.equal(await admin.get(key), b.token);
    await b.stop(hb);
    assert.equal(await admin.get(key), null, 'released on stop');
  });

  test('a holder whose lease was taken from it stops at its next renewal', async () => {
    const key = `${leasePrefix()}ingest:lease`;
    const a = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 2000, attemptEveryMs: 100 });
    const ha = recorder();
    a.start(ha);
    assert.ok(await waitUntil(() => ha.running, 3000));
    await admin.set(key, 'someone-else', 'PX', 5000);
    assert.ok(await waitUntil(() => !ha.running, 1000), 'stops when the compare-and-extend fails');
    await a.stop(ha);
    assert.equal(await admin.get(key), 'someone-else', 'never deletes a lease it does not hold');
    await admin.del(key);
  });

  test('a holder whose lease expired, and was taken and given up by another meanwhile, does not take it back', async () => {
    const key = `${leasePrefix()}ingest:lease`;
    // A renews every second: long enough for B to take the lapsed lease and give it up in between.
    const a = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 60_000, attemptEveryMs: 1000 });
    const b = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 2000, attemptEveryMs: 50 });
    const ha = recorder();
    const hb = recorder();
    a.start(ha);
    assert.ok(await waitUntil(() => ha.running, 3000), 'a acquires');
    await admin.del(key); // a's lease lapses (a stalled past its TTL)
    b.start(hb);
    assert.ok(await waitUntil(() => hb.running, 500), 'b takes it');
    assert.ok(b.epoch! > a.epoch!, 'in a later term');
    await b.stop(hb); // b wrote, then gave the lease up: a's state is stale now
    assert.equal(await admin.get(key), null);
    assert.ok(
      await waitUntil(() => !ha.running, 2000),
      'a stops at its next renewal instead of taking it back',
    );
    assert.notEqual(await admin.get(key), a.token, 'not taken back in its old term');
    // a competes again as a standby: it takes the free lease in a new term (its holder starts afresh)
    assert.ok(await waitUntil(() => ha.running, 3000), 'a acquires again');
    assert.equal(ha.starts, 2);
    assert.ok(a.epoch! > b.epoch!);
    await a.stop(ha);
  });

  test('a dead holder (never renewing) is replaced after the TTL', async () => {
    const key = `${leasePrefix()}ingest:lease`;
    await admin.set(key, 'dead-holder', 'PX', 600);
    const b = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 2000, attemptEveryMs: 100 });
    const hb = recorder();
    const t0 = Date.now();
    b.start(hb);
    assert.ok(await waitUntil(() => hb.running, 3000), 'takes the expired lease');
    assert.ok(Date.now() - t0 >= 500, 'not before the TTL ran out');
    await b.stop(hb);
  });

  test('a holder whose start outlasts the TTL keeps the lease meanwhile: no other instance starts', async () => {
    const key = `${leasePrefix()}ingest:lease`;
    const a = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 500, attemptEveryMs: 100 });
    const b = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 500, attemptEveryMs: 100 });
    const ha = recorder();
    const hb = recorder();
    let starting = false;
    let started = false;
    const slowStart = ha.acquired;
    ha.acquired = async () => {
      starting = true;
      await sleep(1500); // loading the state and reading the log on a loaded machine: 3 × the TTL
      await slowStart();
      started = true;
    };
    a.start(ha);
    assert.ok(await waitUntil(() => starting, 3000), 'a acquires and starts');
    b.start(hb);
    assert.ok(await waitUntil(() => started, 5000), 'a finishes starting');
    assert.equal(hb.running, false, 'b never started while a was starting');
    assert.equal(await admin.get(key), a.token, 'a still holds the lease');
    await sleep(500);
    assert.equal(hb.running, false, 'and keeps it by renewing');
    await a.stop(ha);
    await b.stop(hb);
  });

  test('stopping with the lease: stopping() runs (not lost()) while the lease is still held, then it is released', async () => {
    const key = `${leasePrefix()}ingest:lease`;
    const a = new IngestLease({ redisUrl: REDIS_URL, key, logger, ttlMs: 500, attemptEveryMs: 100 });
    const ha = recorder();
    let lostCalls = 0;
    ha.lost = async () => {
      lostCalls++;
      ha.running = false;
    };
    const heldDuring: (string | null)[] = [];
    const h: LeaseHolder = {
      acquired: ha.acquired,
      lost: ha.lost,
      stopping: async () => {
        // committing what is held takes longer than the TTL: the lease must not lapse meanwhile
        for (let i = 0; i < 4; i++) {
          await sleep(300);
          heldDuring.push(await admin.get(key));
        }
        ha.running = false;
      },
    };
    a.start(h);
    assert.ok(await waitUntil(() => ha.running, 3000), 'a acquires');
    await a.stop(h);
    assert.equal(lostCalls, 0, 'lost() is for a lease taken away, not for a shutdown');
    assert.equal(ha.running, false);
    assert.deepEqual(heldDuring, [a.token, a.token, a.token, a.token], 'held while stopping');
    assert.equal(await admin.get(key), null, 'released after');
  });

  test('Redis restarts after the lease expired: the holder of before takes it back, not a standby', async () => {
    const redis = new DurableRedis(await freePort());
    await redis.start();
    try {
      const key = 'ingest:lease';
      // The standby tries ten times as often as the holder renews: without its wait after reconnecting
      // it would nearly always win the race for the expired lease.
      const a = new IngestLease({ redisUrl: redis.url, key, logger, ttlMs: 600, attemptEveryMs: 300 });
      const b = new IngestLease({ redisUrl: redis.url, key, logger, ttlMs: 600, attemptEveryMs: 30 });
      const ha = recorder();
      const hb = recorder();
      let aLost = 0;
      const lostA = ha.lost;
      ha.lost = async () => {
        aLost++;
        await lostA();
      };
      a.start(ha);
      assert.ok(await waitUntil(() => ha.running, 5000), 'a acquires');
      b.start(hb);
      await sleep(300);
      await redis.kill();
      await sleep(1500); // longer than the TTL: the lease expires while Redis is away
      await redis.start();
      const probe = new Redis(redis.url);
      try {
        await sleep(2000);
        const back = await probe.get(key);
        assert.equal(back, a.token, 'a holds the lease again');
      } finally {
        probe.disconnect();
      }
      assert.equal(hb.starts, 0, 'b never started');
      assert.equal(aLost, 0, 'a never stopped (its held changes are kept)');
      await a.stop(ha);
      await b.stop(hb);
    } finally {
      await redis.remove();
    }
  });
});
