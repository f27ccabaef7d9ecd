import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/core/clock.js';
import { DomainPool, cooldownFor, scoreOf } from '../../src/pool/domain-pool.js';
import { DomainPoolRegistry, poolDocKey } from '../../src/pool/registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';

const A = 'https://a.example';
const B = 'https://b.example';
const C = 'https://c.example';
const SEC = 1000;
const MIN = 60 * SEC;

function pool(clock: ManualClock, urls = [A, B, C]): DomainPool {
  return new DomainPool({ name: 't', urls, clock: clock.now });
}

describe('DomainPool (seed §8)', () => {
  test('cooldowns escalate 30 s, 2 min, 5 min, 10 min, then 30 min', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 9].map(cooldownFor), [
      30 * SEC,
      2 * MIN,
      5 * MIN,
      10 * MIN,
      30 * MIN,
      30 * MIN,
      30 * MIN,
    ]);
  });

  test('consecutive failures set the cooldown table by the clock', () => {
    const clock = new ManualClock();
    const p = pool(clock, [A]);
    const t0 = clock.now();
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      p.failure(A, 'http_403');
      const d = p.list()[0];
      assert.ok(d);
      seen.push((d.cooldownUntil ?? 0) - clock.now());
      assert.equal(d.healthy, false);
      clock.advance(1);
    }
    assert.deepEqual(seen, [30 * SEC, 2 * MIN, 5 * MIN, 10 * MIN, 30 * MIN, 30 * MIN]);
    assert.equal(p.list()[0]?.lastFailureReason, 'http_403');
    assert.ok(clock.now() > t0);
  });

  test('score = successRate × healthBonus × recencyBonus', () => {
    const clock = new ManualClock();
    const p = pool(clock, [A]);
    assert.equal(p.list()[0]?.score, 1, 'untried domain scores 1');
    p.success(A);
    assert.equal(p.list()[0]?.score, 1.2, 'recent success earns 1.2');
    clock.advance(5 * MIN + 1);
    assert.equal(p.list()[0]?.score, 1, 'no recency bonus after 5 minutes');
    p.failure(A, 'timeout');
    // 1 failure of 2 requests, in cooldown: 0.5 × 0.1 × 1.0
    assert.ok(Math.abs((p.list()[0]?.score ?? 0) - 0.05) < 1e-12);
    clock.advance(30 * SEC);
    assert.equal(p.list()[0]?.score, 0.5, 'cooldown over: health bonus back to 1');
    const s = p.states()[0];
    assert.ok(s);
    assert.equal(scoreOf(s, clock.now()), 0.5);
  });

  test('picks the best healthy domain; a success resets failures and cooldown', () => {
    const clock = new ManualClock();
    const p = pool(clock);
    assert.equal(p.pick()?.url, A, 'ties go to the first added');
    p.failure(A, 'http_403');
    assert.equal(p.pick()?.url, B);
    p.success(C);
    assert.equal(p.pick()?.url, C, 'recent success (1.2) beats an untried domain (1.0)');
    p.success(A);
    const a = p.list().find((d) => d.url === A);
    assert.equal(a?.consecutiveFailures, 0);
    assert.equal(a?.cooldownUntil, null);
    assert.equal(a?.healthy, true);
  });

  test('all in cooldown: the one whose cooldown ends first', () => {
    const clock = new ManualClock();
    const p = pool(clock);
    p.failure(A, 'http_403');
    p.failure(A, 'http_403'); // A: 2 min
    clock.advance(SEC);
    p.failure(B, 'challenge'); // B: ends at +31 s
    clock.advance(SEC);
    p.failure(C, 'timeout'); // C: ends at +32 s
    assert.equal(p.pick()?.url, B);
    clock.advance(30 * SEC);
    assert.equal(p.pick()?.url, B, 'B healthy again first');
  });

  test('domains are added and removed at runtime; URLs are normalised', () => {
    const clock = new ManualClock();
    const p = pool(clock, [A]);
    assert.equal(p.add('https://d.example/'), 'https://d.example');
    assert.equal(p.size, 2);
    assert.equal(p.add('https://d.example'), 'https://d.example');
    assert.equal(p.size, 2);
    assert.equal(p.remove('https://d.example/'), true);
    assert.equal(p.remove('https://d.example/'), false);
    assert.throws(() => p.add('ftp://x.example'), /not an http/);
    assert.equal(new DomainPool({ name: 'e', urls: [] }).pick(), null);
  });

  test('proxies are handed out round-robin', () => {
    const p = new DomainPool({ name: 'p', urls: [A, B, C], proxies: ['http://p1:1', 'http://p2:2'] });
    assert.deepEqual(
      p.list().map((d) => d.proxy),
      ['http://p1:1', 'http://p2:2', 'http://p1:1'],
    );
  });
});

describe('DomainPoolRegistry', () => {
  test('pool state is kept in the store and restored by a new registry', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore({ logMaxLen: 100 });
    await store.connect();
    const reg = new DomainPoolRegistry(clock.now);
    await reg.attachStore(store);
    const p = reg.pool('imatchodds', [A, B]);
    p.failure(A, 'http_403', 'status 403');
    p.add(C);
    await reg.detachStore();
    const doc = await store.getDoc<{ domains: { url: string }[] }>(poolDocKey('imatchodds'));
    assert.deepEqual(
      doc?.domains.map((d) => d.url),
      [A, B, C],
    );

    const reg2 = new DomainPoolRegistry(clock.now);
    await reg2.attachStore(store);
    const p2 = reg2.pool('imatchodds', [A, B]);
    await new Promise((r) => setTimeout(r, 20));
    const a = p2.list().find((d) => d.url === A);
    assert.equal(a?.consecutiveFailures, 1);
    assert.equal(a?.lastFailureDetail, 'status 403');
    assert.equal(p2.size, 3, 'a domain added at runtime is restored');
    await reg2.detachStore();
    await store.close();
  });
});
