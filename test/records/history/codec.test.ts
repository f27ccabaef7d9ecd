import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTicks, encodeTicks, type Tick } from '../../../src/records/history/index.js';
import { candlesOf, rollUp } from '../../../src/records/history/index.js';

const tick = (ts: number, sel: number, back: number, tv: number, flags = 0): Tick => ({
  ts,
  selectionId: sel,
  flags,
  back,
  backSize: 12_345,
  lay: back + 2,
  laySize: 99,
  ltp: back,
  tv,
});

test('a block of ticks packs and unpacks exactly, in a few bytes a tick', () => {
  const ticks: Tick[] = [];
  for (let i = 0; i < 300; i++)
    ticks.push(
      tick(1_700_000_000_000 + i * 137, 10_000_000 + (i % 3), 200 + (i % 7), 1e11 + i * 250, i % 40),
    );
  const bytes = encodeTicks(ticks);
  assert.deepEqual(decodeTicks(bytes, ticks[0]!.ts), ticks);
  assert.ok(bytes.length / ticks.length < 16, `${bytes.length / ticks.length} bytes a tick`);
});

test('an empty block and a runner whose values go down round-trip', () => {
  assert.deepEqual(decodeTicks(encodeTicks([]), 0), []);
  const ticks = [tick(5, 1, 500, 900), tick(3, 1, 101, 100), tick(3, 2, 0, 0)];
  assert.deepEqual(decodeTicks(encodeTicks(ticks), 5), ticks);
});

test('candles: OHLC per runner and bucket, volume traded in the bucket, rolled up to coarser buckets', () => {
  const ticks = [
    tick(0, 1, 200, 1000),
    tick(10_000, 1, 210, 1500),
    tick(20_000, 1, 190, 1600),
    tick(59_999, 1, 205, 1700),
    tick(60_000, 1, 0, 1800), // no back price: the back series has no value here
  ];
  const c = candlesOf(ticks, 60_000, new Map([[1, 900]]));
  assert.equal(c.length, 2);
  assert.deepEqual(c[0]!.back, { o: 200, h: 210, l: 190, c: 205 });
  assert.equal(c[0]!.tvClose - c[0]!.tvPrev, 800);
  assert.equal(c[1]!.back, null);
  assert.deepEqual(c[1]!.lay, { o: 2, h: 2, l: 2, c: 2 });
  const h = rollUp(c, 3_600_000);
  assert.equal(h.length, 1);
  assert.deepEqual(h[0]!.back, { o: 200, h: 210, l: 190, c: 205 });
  assert.equal(h[0]!.tvClose - h[0]!.tvPrev, 900);
  assert.equal(h[0]!.ticks, 5);
});
