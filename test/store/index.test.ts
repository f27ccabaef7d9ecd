import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createStore, logBounds, MemoryStore, RedisStore } from '../../src/store/index.js';
import { loadConfig } from '../../src/config/index.js';
import { redactRedisUrl } from '../../src/store/redis-connection.js';

const logger = pino({ level: 'silent' });

test('createStore gives the embedded MemoryStore when no Redis URL is configured', async () => {
  const store = createStore({ redisKeyPrefix: 'oddsgate:', updateLogMaxLen: 100 }, logger);
  assert.ok(store instanceof MemoryStore);
  assert.equal(store.kind, 'memory');
  await store.connect();
  const all = [];
  for (let i = 0; i < 150; i++)
    all.push(...(await store.commit([{ type: 'sport', sport: { id: i, name: `s${i}` } }])));
  assert.equal((await store.readLog(null, 1000)).length, 100, 'updateLogMaxLen is passed on');
  await store.close();
});

test('createStore gives a RedisStore when a Redis URL is configured (not connected until asked)', async () => {
  const store = createStore(
    { redisUrl: 'redis://127.0.0.1:1', redisKeyPrefix: 'custom:', updateLogMaxLen: 1000 },
    logger,
  );
  assert.ok(store instanceof RedisStore);
  assert.equal(store.kind, 'redis');
  assert.equal(await store.ping(), false);
  await store.close();
});

test('update-log bounds come from the configuration; the age never drops below the recovery window', () => {
  const config = (env: Record<string, string>) => loadConfig({ env, configDir: null });
  assert.deepEqual(logBounds(config({})), {
    logMaxLen: 200_000,
    logMaxAgeMs: 600_000,
    logMaxBytes: 32 * 2 ** 20,
  });
  assert.deepEqual(
    logBounds(config({ UPDATE_LOG_MAXLEN: '5000', UPDATE_LOG_MAX_AGE_SEC: '240', UPDATE_LOG_MAX_MB: '8' })),
    { logMaxLen: 5000, logMaxAgeMs: 240_000, logMaxBytes: 8 * 2 ** 20 },
  );
  const short = config({ UPDATE_LOG_MAX_AGE_SEC: '30', WS_RECOVERY_WINDOW_SEC: '180' });
  assert.equal(logBounds(short).logMaxAgeMs, 180_000);
  assert.throws(() => config({ UPDATE_LOG_MAX_MB: '0' }), /updateLogMaxMb/);
});

test('Redis URLs are logged without credentials', () => {
  assert.equal(redactRedisUrl('redis://user:hunter2@cache.internal:6380/2'), 'redis://cache.internal:6380/2');
  assert.equal(redactRedisUrl('rediss://:hunter2@cache.internal'), 'rediss://cache.internal');
  assert.equal(redactRedisUrl('not a url hunter2'), '<unparseable redis url>');
});
