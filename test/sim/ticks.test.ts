import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_PRICE,
  MIN_PRICE,
  PRICE_TICKS,
  ceilTick,
  floorTick,
  isValidPrice,
  nearestTick,
  nextTick,
  prevTick,
  priceAt,
  tickIndex,
  tickStep,
  ticksBetween,
} from '../../src/model/ticks.js';

describe('Betfair price ladder', () => {
  test('has the 350 CLASSIC prices from 1.01 to 1000, strictly ascending', () => {
    assert.equal(PRICE_TICKS.length, 350);
    assert.equal(PRICE_TICKS[0], MIN_PRICE);
    assert.equal(PRICE_TICKS.at(-1), MAX_PRICE);
    for (let i = 1; i < PRICE_TICKS.length; i++) assert.ok(PRICE_TICKS[i]! > PRICE_TICKS[i - 1]!);
  });

  test('uses the band steps (0.01 up to 2, 0.02 to 3, ... 10 to 1000)', () => {
    const bands: [number, number, number][] = [
      [1.01, 2, 0.01],
      [2, 3, 0.02],
      [3, 4, 0.05],
      [4, 6, 0.1],
      [6, 10, 0.2],
      [10, 20, 0.5],
      [20, 30, 1],
      [30, 50, 2],
      [50, 100, 5],
      [100, 1000, 10],
    ];
    for (const [from, to, step] of bands) {
      for (let i = tickIndex(from); PRICE_TICKS[i]! < to; i++) {
        assert.equal(
          Math.round((PRICE_TICKS[i + 1]! - PRICE_TICKS[i]!) * 100) / 100,
          step,
          `after ${PRICE_TICKS[i]}`,
        );
      }
      assert.equal(tickStep(from), step);
    }
  });

  test('index and price round-trip for every tick', () => {
    PRICE_TICKS.forEach((p, i) => {
      assert.equal(tickIndex(p), i);
      assert.equal(priceAt(i), p);
      assert.ok(isValidPrice(p));
    });
  });

  test('next and previous tick cross band edges correctly and clamp at the ends', () => {
    const next: [number, number][] = [
      [1.01, 1.02],
      [1.99, 2],
      [2, 2.02],
      [2.98, 3],
      [3, 3.05],
      [3.95, 4],
      [4, 4.1],
      [5.9, 6],
      [6, 6.2],
      [9.8, 10],
      [10, 10.5],
      [19.5, 20],
      [20, 21],
      [29, 30],
      [30, 32],
      [48, 50],
      [50, 55],
      [95, 100],
      [100, 110],
      [990, 1000],
    ];
    for (const [a, b] of next) {
      assert.equal(nextTick(a), b, `next(${a})`);
      assert.equal(prevTick(b), a, `prev(${b})`);
    }
    assert.equal(nextTick(1000), 1000);
    assert.equal(prevTick(1.01), 1.01);
    assert.equal(nextTick(2, 5), 2.1);
    assert.equal(prevTick(10, 3), 9.4);
    assert.equal(ticksBetween(1.01, 1000), 349);
    assert.equal(ticksBetween(3, 2.98), -1);
    assert.throws(() => nextTick(2.01), RangeError);
  });

  test('rejects prices that are not on the ladder', () => {
    for (const p of [1, 1.015, 2.01, 3.02, 4.05, 6.1, 10.2, 21.5, 31, 52, 105, 1005, NaN]) {
      assert.equal(isValidPrice(p), false, String(p));
      if (!Number.isNaN(p)) assert.equal(tickIndex(p), -1);
    }
  });

  test('floor, ceil and nearest snap any odds onto the ladder', () => {
    assert.equal(floorTick(2.015), 2);
    assert.equal(ceilTick(2.015), 2.02);
    assert.equal(ceilTick(2), 2);
    assert.equal(floorTick(2), 2);
    assert.equal(floorTick(0.5), 1.01);
    assert.equal(ceilTick(5000), 1000);
    assert.equal(floorTick(7.33), 7.2);
    assert.equal(ceilTick(7.33), 7.4);
    assert.equal(nearestTick(3.03), 3.05);
    assert.equal(nearestTick(3.02), 3);
    for (let x = 1.005; x < 1200; x *= 1.013) {
      const lo = floorTick(x);
      const hi = ceilTick(x);
      assert.ok(isValidPrice(lo) && isValidPrice(hi));
      if (x >= MIN_PRICE && x <= MAX_PRICE) assert.ok(lo <= x + 1e-9 && hi >= x - 1e-9, String(x));
      assert.ok(ticksBetween(lo, hi) <= 1);
    }
  });
});
