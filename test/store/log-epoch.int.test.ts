import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { deleteByPrefix, REDIS_URL, redisScratch } from './redis-helpers.js';

const { prefix, admin } = redisScratch('log-epoch');
const quiet = pino({ level: 'silent' });

test('MemoryStore: one epoch for the store’s life, another for a new store', async () => {
  const a = new MemoryStore();
  const b = new MemoryStore();
  assert.equal(await a.logEpoch(), await a.logEpoch());
  assert.notEqual(await a.logEpoch(), await b.logEpoch());
});

test('RedisStore: every instance on one prefix reads the same epoch; emptying the prefix (a reset) gives a new one', async () => {
  const one = new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: quiet });
  const two = new RedisStore({ url: REDIS_URL, keyPrefix: prefix, logger: quiet });
  try {
    await Promise.all([one.connect(), two.connect()]);
    const [e1, e2] = await Promise.all([one.logEpoch(), two.logEpoch()]);
    assert.equal(e1, e2);
    assert.equal(await one.logEpoch(), e1, 'stable');
    await deleteByPrefix(admin, prefix);
    const after = await two.logEpoch();
    assert.notEqual(after, e1);
    assert.equal(await one.logEpoch(), after);
  } finally {
    await one.close();
    await two.close();
  }
});
