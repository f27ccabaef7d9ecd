import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LevelLadder, PriceLadder } from '../../../src/sources/betfair/ladder.js';

const pairs = (l: readonly { price: number; size: number }[]) => l.map((x) => [x.price, x.size]);

describe('PriceLadder', () => {
  test('a back ladder lists the highest price first, a lay ladder the lowest', () => {
    const back = new PriceLadder(true);
    const lay = new PriceLadder(false);
    const input: [number, number][] = [
      [2.5, 10],
      [2.6, 5],
      [2.4, 7],
    ];
    back.update(input);
    lay.update(input);
    assert.deepEqual(pairs(back.snapshot()), [
      [2.6, 5],
      [2.5, 10],
      [2.4, 7],
    ]);
    assert.deepEqual(pairs(lay.snapshot()), [
      [2.4, 7],
      [2.5, 10],
      [2.6, 5],
    ]);
  });

  test('size 0 removes a price, a new size replaces it, an unknown price with size 0 is ignored', () => {
    const l = new PriceLadder(true);
    l.update([
      [3, 1],
      [2, 2],
      [1.5, 3],
    ]);
    l.update([
      [2, 0],
      [3, 9],
      [7, 0],
    ]);
    assert.deepEqual(pairs(l.snapshot()), [
      [3, 9],
      [1.5, 3],
    ]);
  });

  test('keeps order with deep ladders (bisection path) against a sorted reference', () => {
    const l = new PriceLadder(false);
    const ref = new Map<number, number>();
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const price = Math.round((1.01 + rnd() * 50) * 100) / 100;
      const size = rnd() < 0.3 ? 0 : Math.round(rnd() * 1000);
      l.update([[price, size]]);
      if (size === 0) ref.delete(price);
      else ref.set(price, size);
    }
    const expected = [...ref.entries()].sort((a, b) => a[0] - b[0]);
    assert.ok(expected.length > 16, 'the ladder grew past the linear-search size');
    assert.deepEqual(pairs(l.snapshot()), expected);
  });

  test('a snapshot never changes after later updates (copy-on-write)', () => {
    const l = new PriceLadder(true);
    l.update([
      [2, 1],
      [1.9, 1],
    ]);
    const before = l.snapshot();
    l.update([
      [2, 5],
      [2.1, 3],
      [1.9, 0],
    ]);
    assert.deepEqual(pairs(before), [
      [2, 1],
      [1.9, 1],
    ]);
    assert.deepEqual(pairs(l.snapshot()), [
      [2.1, 3],
      [2, 5],
    ]);
  });

  test('malformed pairs are skipped', () => {
    const l = new PriceLadder(true);
    l.update([[2, 1], null, 'x', [3]] as unknown as [number, number][]);
    assert.deepEqual(pairs(l.snapshot()), [[2, 1]]);
  });
});

describe('LevelLadder', () => {
  test('levels are listed best (level 0) first, whatever the order they arrive in', () => {
    const l = new LevelLadder();
    l.update([
      [1, 3.4, 838.77],
      [0, 3.45, 101.19],
      [2, 3.35, 6747.13],
    ]);
    assert.deepEqual(pairs(l.snapshot()), [
      [3.45, 101.19],
      [3.4, 838.77],
      [3.35, 6747.13],
    ]);
  });

  test('size 0 removes a level; an empty update changes nothing', () => {
    const l = new LevelLadder();
    l.update([
      [0, 2.7, 179.35],
      [1, 2.68, 10],
    ]);
    l.update([[1, 2.68, 0]]);
    l.update([]);
    assert.deepEqual(pairs(l.snapshot()), [[2.7, 179.35]]);
  });
});
