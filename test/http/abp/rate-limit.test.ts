import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindowLimiter } from '../../../src/http/routes/abp/rate-limit.js';

test('at most N per sliding minute, per key; the previous minute weighs by its overlap', () => {
  let now = 60_000 * 10; // the start of a minute
  const limiter = new SlidingWindowLimiter(60_000, 100, () => now);
  const hits = (key: string, n: number, limit: number) =>
    Array.from({ length: n }, () => limiter.hit(key, limit).allowed).filter(Boolean).length;
  assert.equal(hits('a', 10, 5), 5);
  assert.equal(hits('b', 3, 5), 3, 'keys are separate');
  const refused = limiter.hit('a', 5);
  assert.equal(refused.allowed, false);
  assert.ok(refused.retryAfterSec >= 1);
  // Half-way into the next minute half of the previous 5 still count: 2 more fit (2.5 + 2 ≤ 5).
  now += 90_000;
  assert.equal(hits('a', 5, 5), 2);
  // Two minutes later nothing of that remains.
  now += 120_000;
  assert.equal(hits('a', 10, 5), 5);
});

test('memory is bounded: the least recently used key is forgotten', () => {
  const limiter = new SlidingWindowLimiter(60_000, 2, () => 0);
  limiter.hit('a', 1);
  limiter.hit('b', 1);
  limiter.hit('c', 1);
  assert.equal(limiter.hit('a', 1).allowed, true, 'a was forgotten (bounded map)');
  assert.equal(limiter.hit('c', 1).allowed, false);
});
