import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ManualClock } from '../../../src/core/clock.js';
import { SingleFlightCache } from '../../../src/sources/browser/single-flight.js';
import { TabPool } from '../../../src/sources/browser/tab-pool.js';
import { BrowserTimeoutError, reasonOf, withTimeout } from '../../../src/sources/browser/errors.js';
import { classifyProbe, statusFailure } from '../../../src/sources/browser/page-check.js';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SingleFlightCache', () => {
  test('ten concurrent callers share one load; within the TTL the cache answers; after it, a new load', async () => {
    const clock = new ManualClock();
    const cache = new SingleFlightCache<string>({ ttlMs: 15_000, maxEntries: 10, clock: clock.now });
    const gate = deferred<string>();
    let loads = 0;
    const load = () => {
      loads++;
      return gate.promise;
    };
    const calls = Array.from({ length: 10 }, () => cache.get('g1', load));
    gate.resolve('markets');
    const got = await Promise.all(calls);
    assert.equal(loads, 1);
    assert.deepEqual(
      got.map((g) => g.from),
      ['loaded', ...new Array<string>(9).fill('shared')],
    );
    clock.advance(14_999);
    assert.equal((await cache.get('g1', load)).from, 'cache');
    clock.advance(2); // past the TTL (lru-cache: stale once more than ttl ms old)
    assert.equal((await cache.get('g1', async () => 'fresh')).value, 'fresh');
    assert.equal(cache.loads, 2);
  });

  test('failures are not cached and reach every waiting caller', async () => {
    const cache = new SingleFlightCache<string>({ ttlMs: 15_000, maxEntries: 10 });
    const gate = deferred<string>();
    const a = cache.get('g', () => gate.promise);
    const b = cache.get('g', () => gate.promise);
    gate.reject(new Error('blocked'));
    await assert.rejects(a, /blocked/);
    await assert.rejects(b, /blocked/);
    assert.equal((await cache.get('g', async () => 'ok')).from, 'loaded');
  });

  test('entries are bounded', async () => {
    const cache = new SingleFlightCache<number>({ ttlMs: 60_000, maxEntries: 3 });
    for (let i = 0; i < 10; i++) await cache.get(String(i), async () => i);
    assert.equal(cache.size, 3);
    assert.equal(cache.peek('9'), 9);
    assert.equal(cache.peek('0'), undefined);
  });
});

class FakePage {
  closed = false;
  isClosed(): boolean {
    return this.closed;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('TabPool', () => {
  test('at most max tabs; others wait and get a released tab; idle tabs are reused', async () => {
    let created = 0;
    const pool = new TabPool({
      max: 2,
      maxWaiting: 5,
      create: async () => {
        created++;
        return new FakePage() as unknown as Page;
      },
    });
    const a = await pool.acquire();
    const b = await pool.acquire();
    let got = false;
    const c = pool.acquire().then((l) => {
      got = true;
      return l;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(got, false, 'third caller waits');
    assert.equal(pool.stats().waiting, 1);
    a.release();
    const lease = await c;
    assert.equal(lease.page, a.page, 'the released tab is handed over');
    b.discard();
    assert.equal((b.page as unknown as FakePage).closed, true);
    lease.release();
    const again = await pool.acquire();
    assert.equal(again.page, a.page, 'idle tab reused');
    assert.equal(created, 2);
    await pool.close();
  });

  test('beyond the waiting bound callers are refused at once', async () => {
    const pool = new TabPool({
      max: 1,
      maxWaiting: 1,
      create: async () => new FakePage() as unknown as Page,
    });
    await pool.acquire();
    const waiting = pool.acquire();
    await assert.rejects(pool.acquire(), /scrape tabs busy/);
    await pool.close();
    await assert.rejects(waiting, /tab pool closed/);
  });
});

describe('block detection and timeouts', () => {
  test('HTTP statuses map to failure reasons', () => {
    assert.equal(statusFailure(200), null);
    assert.equal(statusFailure(403), 'http_403');
    assert.equal(statusFailure(429), 'http_429');
    assert.equal(statusFailure(503), 'http_503');
    assert.equal(statusFailure(404), 'http_error');
  });

  test('a probed page is a challenge, a blank page, a login page or a changed layout', () => {
    const base = { title: '', hasApp: false, hasLogin: false, challenge: false, blank: false };
    assert.equal(
      classifyProbe({ ...base, challenge: true, title: 'Just a moment...' }, '.x', 'u').reason,
      'challenge',
    );
    assert.equal(classifyProbe({ ...base, blank: true }, '.x', 'u').reason, 'blank_page');
    assert.equal(classifyProbe({ ...base, hasLogin: true }, '.x', 'u').reason, 'login_page');
    const changed = classifyProbe(base, '.home-page', 'http://s/');
    assert.equal(changed.reason, 'selector');
    assert.match(changed.message, /selector "\.home-page" not found at http:\/\/s\//);
  });

  test('withTimeout rejects with a timeout reason', async () => {
    const never = new Promise<never>(() => undefined);
    const err = await withTimeout(never, 10, 'scrape of game 1').catch((e: unknown) => e);
    assert.ok(err instanceof BrowserTimeoutError);
    assert.equal(err.what, 'scrape of game 1');
    assert.equal(reasonOf(err), 'timeout');
    assert.equal(await withTimeout(Promise.resolve(5), 10, 'x'), 5);
  });
});
