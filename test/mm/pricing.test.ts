import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cappedSize, fairMoved, fairPrices, quoteAround } from '../../src/mm/pricing.js';

const OUT = ['home', 'draw', 'away'];

test('fair prices: each book de-margined, then the consensus of the books that price every outcome', () => {
  const f = fairPrices(
    [
      { book: 'a', prices: { home: 2, draw: 3.5, away: 4 } }, // overround 1.0357
      { book: 'b', prices: { home: 2.1, draw: 3.4, away: 3.8 } },
      { book: 'c', prices: { home: 2.2 } }, // incomplete: left out
    ],
    OUT,
  );
  assert.ok(f);
  assert.equal(f.books, 2);
  const sum = OUT.reduce((s, o) => s + (f.probabilities[o] as number), 0);
  assert.ok(Math.abs(sum - 1) < 1e-12, 'probabilities sum to 1');
  const a = 1 / 2 / (1 / 2 + 1 / 3.5 + 1 / 4);
  const b = 1 / 2.1 / (1 / 2.1 + 1 / 3.4 + 1 / 3.8);
  assert.ok(Math.abs((f.probabilities.home as number) - (a + b) / 2) < 1e-12);
  // margins taken out: the fair odds are longer than either book's for the favourite and the outsider
  assert.ok((f.odds.home as number) > 2.1 && (f.odds.away as number) > 3.8);
  assert.ok(Math.abs((f.odds.home as number) - 2 / (a + b)) < 1e-9);
  assert.equal(fairPrices([{ book: 'c', prices: { home: 2.2 } }], OUT), null);
});

test('quotes: back above fair, lay below, on the ladder, spread in ticks', () => {
  assert.deepEqual(quoteAround(2.0, { spreadTicks: 2, size: 5 }), {
    back: { price: 2.04, size: 5 },
    lay: { price: 1.98, size: 5 },
  });
  // an off-ladder fair (2.035) rounds outward first: 2.04 is one tick up, 2.02 one tick down
  assert.deepEqual(quoteAround(2.035, { spreadTicks: 1, size: 5 }), {
    back: { price: 2.04, size: 5 },
    lay: { price: 2.02, size: 5 },
  });
  assert.deepEqual(quoteAround(3.1, { spreadTicks: 1, size: 2 }).back, { price: 3.15, size: 2 });
});

test('replace only when the fair moved the threshold in ticks', () => {
  assert.equal(fairMoved(2.0, 2.02, 2), false);
  assert.equal(fairMoved(2.0, 2.04, 2), true);
  assert.equal(fairMoved(2.0, 1.96, 2), true);
});

test('quote size is cut so a fill keeps exposure within the market and client caps', () => {
  const room = { market: { cap: 100, used: 90 }, client: { cap: 1000, used: 0 } };
  assert.equal(cappedSize(50, 3, true, room), 10, 'a back fill risks its stake');
  assert.equal(cappedSize(50, 3, false, room), 5, 'a lay fill risks size × (price − 1)');
  assert.equal(cappedSize(50, 3, true, { ...room, client: { cap: 95, used: 90 } }), 5);
  assert.equal(cappedSize(50, 3, true, { ...room, market: { cap: 100, used: 100 } }), 0);
  assert.equal(cappedSize(2, 3, true, room), 2);
});
