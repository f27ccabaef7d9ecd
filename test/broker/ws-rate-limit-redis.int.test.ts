import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_URL, redisScratch } from '../store/redis-helpers.js';
import { listeningApp, TestClient } from './helpers.js';

const KEY = 'ws-shared-budget-key-01';
const { prefix, admin } = redisScratch('wsratelimit');

test('one key limited to 6/min over two instances sharing Redis: REST and WS requests of either draw on one budget', async () => {
  const env = { API_KEYS: `${KEY}:6`, REDIS_URL, REDIS_KEY_PREFIX: prefix };
  const a = await listeningApp({ env });
  const b = await listeningApp({ env });
  try {
    const headers = { 'x-api-key': KEY };
    const wsA = await TestClient.connect(a.url);
    assert.equal((await wsA.request({ action: 'login', apiKey: KEY }, 'login')).ok, true);
    const wsB = await TestClient.connect(`${b.url}?apiKey=${KEY}`);
    // What is left of the budget (the upgrade may have counted), as REST reports it on instance A.
    const first = await a.app.inject({ url: '/api/v1/feed/events', headers });
    assert.equal(first.statusCode, 200);
    const left = Number(first.headers['x-ratelimit-remaining']);
    assert.ok(left >= 3, `left ${left}`);
    // Spend it all, alternating surfaces and instances: every one is answered.
    for (let i = 0; i < left; i++) {
      if (i % 3 === 0) assert.equal((await wsA.request({ action: 'get_stats' }, 'stats')).type, 'stats');
      else if (i % 3 === 1)
        assert.equal((await wsB.request({ action: 'get_matches' }, 'matches')).type, 'matches');
      else assert.equal((await b.app.inject({ url: '/api/v1/feed/events', headers })).statusCode, 200);
    }
    const overA = await wsA.request({ action: 'get_stats' }, 'error');
    assert.equal(overA.code, 'RATE_LIMITED');
    assert.equal((await wsB.request({ action: 'get_matches' }, 'error')).code, 'RATE_LIMITED');
    assert.equal((await a.app.inject({ url: '/api/v1/feed/events', headers })).statusCode, 429);
    const keys = await admin.keys(`${prefix}ratelimit:*`);
    assert.equal(keys.length, 1, 'one counter for the key, in Redis');
    await Promise.all([wsA.close(), wsB.close()]);
  } finally {
    await Promise.all([a.app.close(), b.app.close()]);
  }
});
