import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, NO_JITTER } from '../../src/core/backoff.js';

test('without jitter the delays are exactly base × 2^n up to max, and reset starts over', () => {
  const b = new Backoff({ baseMs: 200, maxMs: 5000, jitter: NO_JITTER, random: () => 0.7 });
  assert.deepEqual(
    Array.from({ length: 7 }, () => b.next()),
    [200, 400, 800, 1600, 3200, 5000, 5000],
  );
  assert.equal(b.attempts, 7);
  b.reset();
  assert.equal(b.next(), 200);
});

test('±j jitter spreads each delay from d × (1 − j) to d × (1 + j)', () => {
  const at = (r: number) =>
    new Backoff({ baseMs: 1000, maxMs: 8000, jitter: { low: 0.5, high: 0.5 }, random: () => r });
  assert.equal(at(0).next(), 500);
  assert.equal(at(0.5).next(), 1000);
  assert.equal(at(0.999999).next(), 1500);
  const b = at(0);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [500, 1000, 2000, 4000, 4000]);
});

test('longest() is the capped delay, jittered, and counts an attempt', () => {
  const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
  assert.equal(b.longest(), 500);
  assert.equal(b.attempts, 1);
});
