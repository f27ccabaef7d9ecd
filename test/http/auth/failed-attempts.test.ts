import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { FailedAttempts } from '../../../src/http/failed-attempts.js';

const KEY = 'guessing-test-key-0001';
const ADMIN = 'guessing-test-admin-01';

describe('FailedAttempts', () => {
  test('refuses an address after max failures until its window ends, others unaffected', () => {
    let now = 1_000_000;
    const a = new FailedAttempts({ max: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      assert.equal(a.retryAfterSec('1.1.1.1'), 0, `attempt ${i + 1} allowed`);
      a.fail('1.1.1.1');
    }
    assert.equal(a.retryAfterSec('1.1.1.1'), 60);
    assert.equal(a.retryAfterSec('2.2.2.2'), 0);
    now += 45_500;
    assert.equal(a.retryAfterSec('1.1.1.1'), 15, 'Retry-After counts down to the end of the window');
    now += 14_500;
    assert.equal(a.retryAfterSec('1.1.1.1'), 0, 'a new window starts clean');
    a.fail('1.1.1.1');
    assert.equal(a.retryAfterSec('1.1.1.1'), 0);
  });

  test('tracks at most maxClients addresses, forgetting the oldest', () => {
    const a = new FailedAttempts({ max: 1, maxClients: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) a.fail(`10.0.${i >> 8}.${i & 255}`);
    assert.equal(a.size, 100);
    assert.equal(a.retryAfterSec('10.0.0.0'), 0, 'the oldest was forgotten');
    assert.ok(a.retryAfterSec('10.0.39.15') > 0, 'the newest is still refused');
  });
});

describe('guessing a secret is slow: 429 with Retry-After per client address', () => {
  test('Diamond password: after 5 failures even the right password is refused from that address', async () => {
    const app = await makeTestApp({ config: { authMaxFailures: 5 } });
    try {
      const from = (remoteAddress: string, password: string) =>
        app.inject({ url: '/api/v2/diamond/sports', remoteAddress, headers: { 'x-password': password } });
      for (let i = 0; i < 10; i++) {
        const none = await app.inject({ url: '/api/v2/diamond/sports', remoteAddress: '198.51.100.7' });
        assert.equal(none.statusCode, 401, 'a request without a password is not a guess');
      }
      for (let i = 0; i < 5; i++) assert.equal((await from('198.51.100.7', `guess-${i}`)).statusCode, 401);
      const blocked = await from('198.51.100.7', `guess-x`);
      assert.equal(blocked.statusCode, 429);
      assert.deepEqual(Object.keys(blocked.json()).sort(), ['error', 'success']);
      assert.equal(blocked.json().success, false);
      const retry = Number(blocked.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      assert.equal((await from('198.51.100.7', TEST_PASSWORD)).statusCode, 429, 'no oracle while refused');
      assert.equal((await from('198.51.100.8', TEST_PASSWORD)).statusCode, 200, 'another address is fine');
    } finally {
      await app.close();
    }
  });

  test('API key and admin password failures count against the same address', async () => {
    const app = await makeTestApp({
      config: { authMaxFailures: 4, apiKeys: KEY, diamondAdminPassword: ADMIN },
    });
    try {
      const remoteAddress = '203.0.113.9';
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({
          url: '/api/v1/feed/sports',
          remoteAddress,
          headers: { 'x-api-key': `k${i}` },
        });
        assert.equal(res.statusCode, 401);
      }
      for (let i = 0; i < 2; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/admin/matching/link',
          remoteAddress,
          headers: { 'x-api-key': KEY, 'x-admin-password': `wrong-${i}` },
          payload: { event_id: 1, into: 2 },
        });
        assert.equal(res.statusCode, 403);
      }
      const feed = await app.inject({
        url: '/api/v1/feed/sports',
        remoteAddress,
        headers: { 'x-api-key': KEY },
      });
      assert.equal(feed.statusCode, 429, 'the right key is refused too while the address is blocked');
      assert.ok(Number(feed.headers['retry-after']) >= 1);
      const elsewhere = await app.inject({
        url: '/api/v1/feed/sports',
        remoteAddress: '203.0.113.10',
        headers: { 'x-api-key': KEY },
      });
      assert.equal(elsewhere.statusCode, 200);
    } finally {
      await app.close();
    }
  });

  test('Diamond /tokens: wrong admin passwords count, then the address is refused', async () => {
    const app = await makeTestApp({ config: { authMaxFailures: 3, diamondAdminPassword: ADMIN } });
    try {
      const tokens = (admin: string) =>
        app.inject({
          url: '/api/v2/diamond/tokens',
          remoteAddress: '192.0.2.50',
          headers: { 'x-password': TEST_PASSWORD, 'x-admin-password': admin },
        });
      for (let i = 0; i < 3; i++) assert.equal((await tokens(`admin-guess-${i}`)).statusCode, 403);
      const blocked = await tokens(ADMIN);
      assert.equal(blocked.statusCode, 429);
      assert.ok(Number(blocked.headers['retry-after']) >= 1);
    } finally {
      await app.close();
    }
  });

  test('TRUST_PROXY decides whether X-Forwarded-For names the client', async () => {
    const guess = (app: Awaited<ReturnType<typeof makeTestApp>>, xff: string) =>
      app.inject({
        url: '/api/v2/diamond/sports',
        remoteAddress: '127.0.0.1',
        headers: { 'x-password': 'wrong-password', 'x-forwarded-for': xff },
      });
    const direct = await makeTestApp({ config: { authMaxFailures: 2 } });
    try {
      await guess(direct, '192.0.2.1');
      await guess(direct, '192.0.2.2');
      assert.equal((await guess(direct, '192.0.2.3')).statusCode, 429, 'a forged header does not help');
    } finally {
      await direct.close();
    }
    const proxied = await makeTestApp({ config: { authMaxFailures: 2 }, env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      await guess(proxied, '192.0.2.1');
      await guess(proxied, '192.0.2.1');
      assert.equal((await guess(proxied, '192.0.2.1')).statusCode, 429);
      assert.equal(
        (await guess(proxied, '192.0.2.2')).statusCode,
        401,
        'each client behind the proxy counts alone',
      );
    } finally {
      await proxied.close();
    }
  });
});
