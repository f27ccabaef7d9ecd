import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp } from '../../helpers/app.js';
import { REDIS_URL, redisScratch } from '../../store/redis-helpers.js';

const KEY = 'shared-budget-key-01';
const { prefix, admin } = redisScratch('ratelimit');

test('one key limited to 5/min: the 6th request gets 429 on either of two instances sharing Redis', async () => {
  const env = { API_KEYS: `${KEY}:5`, REDIS_URL, REDIS_KEY_PREFIX: prefix };
  const a = await makeTestApp({ env });
  const b = await makeTestApp({ env });
  try {
    const headers = { 'x-api-key': KEY };
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const app = i % 2 === 0 ? a : b;
      const res = await app.inject({ url: '/api/v1/feed/events', headers });
      assert.equal(res.statusCode, 200, `request ${i + 1}`);
      seen.push(String(res.headers['x-ratelimit-remaining']));
    }
    assert.deepEqual(seen, ['4', '3', '2', '1', '0'], 'one budget across both instances');
    for (const app of [b, a]) {
      const res = await app.inject({ url: '/api/v1/feed/events', headers });
      assert.equal(res.statusCode, 429);
      assert.equal(res.headers['x-ratelimit-limit'], '5');
      assert.equal(res.headers['x-ratelimit-remaining'], '0');
      assert.ok(Number(res.headers['retry-after']) >= 1);
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'success']);
    }
    const keys = await admin.keys(`${prefix}ratelimit:*`);
    assert.equal(keys.length, 1, 'the counter lives in Redis under the instance prefix');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
