import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Change, LogEntry } from '../../src/model/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Store } from '../../src/store/types.js';
import { event } from '../store/fixtures.js';
import { REDIS_URL, deleteByPrefix, uniquePrefix } from '../store/redis-helpers.js';

const admin = new Redis(REDIS_URL, { lazyConnect: true });
const prefixes: string[] = [];

after(async () => {
  await admin.connect().catch(() => undefined);
  for (const p of prefixes) await deleteByPrefix(admin, p);
  admin.disconnect();
});

async function redisStore(): Promise<Store> {
  const keyPrefix = uniquePrefix('broker-rooms');
  prefixes.push(keyPrefix);
  return new RedisStore({ url: REDIS_URL, keyPrefix, logger: pino({ level: 'silent' }) });
}

const makers: Array<[string, () => Promise<Store>]> = [
  ['MemoryStore', async () => new MemoryStore({ logMaxLen: 1000 })],
  ['RedisStore', redisStore],
];

for (const [name, make] of makers) {
  describe(`${name} carries broker positions and notices through the update log`, () => {
    test('rooms and notices come back from readLog and tailLog exactly as committed; notices change no state', async () => {
      const store = await make();
      await store.connect();
      const tailed: LogEntry[] = [];
      const stop = store.tailLog(null, (entries) => tailed.push(...entries));
      try {
        const changes: Change[] = [
          {
            type: 'event',
            event: event(1_000_001),
            rooms: { all: 1, 'sport:1': 1, 'event:1000001': 1, matches: 1 },
          },
          {
            type: 'notice',
            name: 'matches_updated',
            data: [{ id: 1_000_001 }],
            rooms: { all: 2, matches: 2 },
          },
          { type: 'score', eventId: 1_000_001, score: { home: 1 } },
        ];
        await store.commit(changes);
        const read = await store.readLog(null, 10);
        assert.deepEqual(
          read.map((e) => e.change),
          changes,
        );
        for (let i = 0; i < 100 && tailed.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(
          tailed.map((e) => e.change),
          changes,
        );
        const snap = await store.loadSnapshot();
        assert.deepEqual(
          snap.events.map((e) => e.id),
          [1_000_001],
        );
      } finally {
        stop();
        await store.close();
      }
    });
  });
}
