import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { RedisStore } from '../../src/store/redis-store.js';
import { StoreError } from '../../src/store/types.js';
import type { Change } from '../../src/model/index.js';
import { event as makeEvent, market as makeMarket } from './fixtures.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from './redis-helpers.js';

const logger = pino({ level: 'silent' });
const admin = new Redis(REDIS_URL);
const prefixes: string[] = [];

async function fencedStore(): Promise<{ store: RedisStore; prefix: string; leaseKey: string }> {
  const prefix = uniquePrefix('fence');
  prefixes.push(prefix);
  const store = new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger });
  await store.connect();
  const leaseKey = `${prefix}ingest:lease`;
  store.fence({ key: leaseKey, token: 'writer-a' });
  return { store, prefix, leaseKey };
}

function upserts(price: number): Change[] {
  const event = makeEvent(1_000_001);
  const market = makeMarket('1.100', event.id);
  const runners = market.runners.map((r) => ({ ...r, back: [{ price, size: 10 }] }));
  return [
    { type: 'event', event },
    { type: 'market', market: { ...market, runners } },
  ];
}

async function storedPrice(store: RedisStore): Promise<number | undefined> {
  const snap = await store.loadSnapshot();
  return snap.markets.find((m) => m.id === '1.100')?.runners[0]?.back[0]?.price;
}

describe('RedisStore fenced by the ingest lease', () => {
  after(async () => {
    for (const p of prefixes) await deleteByPrefix(admin, p);
    admin.disconnect();
  });

  test('commits while the lease holds its token; refused (STORE_FENCED, nothing written) once another holds it', async () => {
    const { store, leaseKey } = await fencedStore();
    try {
      await admin.set(leaseKey, 'writer-a', 'PX', 10_000);
      const entries = await store.commit(upserts(2.5));
      assert.equal(entries.length, 2);
      assert.equal(await storedPrice(store), 2.5);
      const position = (await store.loadSnapshot()).logPosition;

      await admin.set(leaseKey, 'writer-b', 'PX', 10_000); // A's lease lapsed and B took it
      await assert.rejects(
        store.commit(upserts(9.9)),
        (err: unknown) => err instanceof StoreError && err.code === 'STORE_FENCED',
      );
      assert.equal(await storedPrice(store), 2.5, 'state unchanged');
      assert.deepEqual(await store.readLog(position, 10), [], 'nothing logged');
      await assert.rejects(
        store.linkEventId('betfair', '999', 1_000_001),
        (err: unknown) => err instanceof StoreError && err.code === 'STORE_FENCED',
      );
      assert.equal(await store.findEventId('betfair', '999'), null, 'link not written');
    } finally {
      await store.close();
    }
  });

  test('lease free (expired): refused as STORE_UNAVAILABLE (retry later), nothing written; unfenced writes ignore the lease', async () => {
    const { store, leaseKey } = await fencedStore();
    try {
      await assert.rejects(
        store.commit(upserts(3)),
        (err: unknown) => err instanceof StoreError && err.code === 'STORE_UNAVAILABLE',
      );
      assert.equal((await store.loadSnapshot()).logPosition, null, 'nothing logged');
      await admin.set(leaseKey, 'writer-a', 'PX', 10_000);
      await store.linkEventId('betfair', '999', 1_000_001);
      assert.equal(await store.findEventId('betfair', '999'), 1_000_001);

      await admin.set(leaseKey, 'writer-b', 'PX', 10_000);
      store.fence(null);
      await store.commit(upserts(4));
      assert.equal(await storedPrice(store), 4, 'an unfenced store writes whoever holds the lease');
    } finally {
      await store.close();
    }
  });
});
