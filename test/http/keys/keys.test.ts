import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { KeyRing } from '../../../src/http/api-keys/key-ring.js';
import { ApiKeysSchema } from '../../../src/config/operations.js';

const GOOD = 'partner-key-0001';
const OTHER = 'partner-key-0002';

describe('API keys', () => {
  test('with no keys configured the feed stays open', async () => {
    const app = await makeTestApp();
    try {
      const res = await app.inject({ url: '/api/v1/feed/sports' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['x-ratelimit-limit'], undefined, 'no limit without keys');
    } finally {
      await app.close();
    }
  });

  test('API_KEYS are kept only as SHA-256 hashes, with their per-minute limits', () => {
    const keys = ApiKeysSchema.parse(`${GOOD}:60, ${OTHER}:600,plain-key-00001`);
    assert.deepEqual(
      keys.map((k) => k.perMinute),
      [60, 600, 600],
    );
    assert.ok(!JSON.stringify(keys).includes(GOOD), 'the key itself is not kept');
    const ring = new KeyRing(keys);
    assert.equal(ring.match(GOOD)?.perMinute, 60);
    assert.equal(ring.match(OTHER)?.perMinute, 600);
    assert.equal(ring.match('partner-key-0003'), null);
    assert.equal(ring.match(''), null);
    assert.equal(ring.match(42), null);
    const hashed = ApiKeysSchema.parse([
      { sha256: keys[0]?.sha256.toUpperCase(), perMinute: 5, name: 'partner' },
    ]);
    assert.equal(new KeyRing(hashed).match(GOOD)?.id, 'partner', 'a configured SHA-256 matches the key');
  });

  test('with keys, /api/v1 needs X-API-Key: 401 in the error shape when missing or wrong', async () => {
    const app = await makeTestApp({ env: { API_KEYS: `${GOOD}:100` } });
    try {
      const missing = await app.inject({ url: '/api/v1/feed/events' });
      assert.equal(missing.statusCode, 401);
      assert.deepEqual(Object.keys(missing.json()).sort(), ['error', 'success']);
      assert.equal(missing.json().success, false);
      const wrong = await app.inject({ url: '/api/v1/admin/health', headers: { 'x-api-key': 'nope' } });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.json().error, 'Invalid API key');
      const ok = await app.inject({ url: '/api/v1/feed/events', headers: { 'x-api-key': GOOD } });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['x-ratelimit-limit'], '100');
      assert.equal(ok.headers['x-ratelimit-remaining'], '99');
      const preflight = await app.inject({
        method: 'OPTIONS',
        url: '/api/v1/feed/events',
        headers: { origin: 'https://a.example', 'access-control-request-method': 'GET' },
      });
      assert.ok(preflight.statusCode < 300, 'CORS preflight needs no key');
    } finally {
      await app.close();
    }
  });

  test('the Diamond password, /healthz and the dashboard do not take API keys', async () => {
    const app = await makeTestApp({ env: { API_KEYS: GOOD } });
    try {
      const diamond = await app.inject({
        url: '/api/v2/diamond/sports',
        headers: { 'x-password': TEST_PASSWORD },
      });
      assert.equal(diamond.statusCode, 200);
      const keyOnly = await app.inject({ url: '/api/v2/diamond/sports', headers: { 'x-api-key': GOOD } });
      assert.equal(keyOnly.statusCode, 401, 'a key is not the Diamond password');
      assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
      assert.equal((await app.inject({ url: '/' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test('a key limited to 5/min gets 429 with Retry-After and X-RateLimit-* on the 6th request', async () => {
    const app = await makeTestApp({ env: { API_KEYS: `${GOOD}:5,${OTHER}:5` } });
    try {
      const headers = { 'x-api-key': GOOD };
      const remaining: string[] = [];
      for (let i = 0; i < 5; i++) {
        // One budget per key across the keyed routes.
        const res = await app.inject({ url: i % 2 ? '/api/v1/feed/events' : '/api/v1/feed/sports', headers });
        assert.equal(res.statusCode, 200, `request ${i + 1}`);
        remaining.push(String(res.headers['x-ratelimit-remaining']));
      }
      assert.deepEqual(remaining, ['4', '3', '2', '1', '0']);
      // Surfaces that take no key are neither limited nor counted, whatever headers they carry.
      for (const url of ['/healthz', '/api/v2/diamond/sports']) {
        const res = await app.inject({ url, headers: { ...headers, 'x-password': TEST_PASSWORD } });
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['x-ratelimit-remaining'], undefined, url);
      }
      const sixth = await app.inject({ url: '/api/v1/feed/sports', headers });
      assert.equal(sixth.statusCode, 429);
      assert.equal(sixth.headers['x-ratelimit-limit'], '5');
      assert.equal(sixth.headers['x-ratelimit-remaining'], '0');
      const retry = Number(sixth.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      assert.ok(Number(sixth.headers['x-ratelimit-reset']) >= 1);
      assert.equal(sixth.json().success, false);
      assert.match(sixth.json().error, /Rate limit exceeded: 5 requests per minute/);
      const other = await app.inject({ url: '/api/v1/feed/sports', headers: { 'x-api-key': OTHER } });
      assert.equal(other.statusCode, 200, 'each key has its own budget');
    } finally {
      await app.close();
    }
  });
});
