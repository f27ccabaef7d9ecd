import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hedgeOffer, quoteFill, Taken } from '../../../src/mm/backtest/fills.js';
import { book } from './ticks.js';

const BACK = { back: true, price: 2.04, size: 10 };
const LAY = { back: false, price: 1.98, size: 10 };

test('a back quote fills when a layer shows at its price or above, up to the size shown, at its own price', () => {
  assert.deepEqual(quoteFill(BACK, 1, book({ back: 2.04, backSize: 4 }), 0, new Taken()), {
    size: 4,
    fromBook: 4,
    fromTraded: 0,
  });
  assert.equal(quoteFill(BACK, 1, book({ back: 2.1, backSize: 50 }), 0, new Taken()).size, 10);
  assert.equal(quoteFill(BACK, 1, book({ back: 2.02, backSize: 50 }), 0, new Taken()).size, 0);
});

test('a lay quote fills when a backer shows at its price or below', () => {
  assert.equal(quoteFill(LAY, 1, book({ lay: 1.98, laySize: 3 }), 0, new Taken()).size, 3);
  assert.equal(quoteFill(LAY, 1, book({ lay: 1.9, laySize: 30 }), 0, new Taken()).size, 10);
  assert.equal(quoteFill(LAY, 1, book({ lay: 2.0, laySize: 30 }), 0, new Taken()).size, 0);
});

test('trading through the quote fills it by the volume gained; trading at its price does not (queue unknown)', () => {
  assert.deepEqual(quoteFill(BACK, 1, book({ ltp: 2.06 }), 6, new Taken()), {
    size: 6,
    fromBook: 0,
    fromTraded: 6,
  });
  assert.equal(quoteFill(BACK, 1, book({ ltp: 2.04 }), 50, new Taken()).size, 0);
  assert.equal(quoteFill(BACK, 1, book({ ltp: 2.06 }), 0, new Taken()).size, 0, 'no volume, no fill');
  assert.equal(quoteFill(LAY, 1, book({ ltp: 1.97 }), 25, new Taken()).size, 10, 'capped at the quote');
  assert.equal(quoteFill(LAY, 1, book({ ltp: 1.98 }), 25, new Taken()).size, 0);
});

test('book and tape together fill the larger of the two, the book first', () => {
  assert.deepEqual(quoteFill(BACK, 1, book({ back: 2.04, backSize: 3, ltp: 2.06 }), 7, new Taken()), {
    size: 7,
    fromBook: 3,
    fromTraded: 4,
  });
});

test('liquidity taken at a best price is not offered again until that price moves', () => {
  const taken = new Taken();
  const b = book({ back: 2.04, backSize: 4 });
  const f = quoteFill(BACK, 1, b, 0, taken);
  taken.take(1, true, 2.04, f.fromBook);
  assert.equal(quoteFill(BACK, 1, b, 0, taken).size, 0, 'the same 4 are gone');
  assert.equal(quoteFill(BACK, 1, book({ back: 2.04, backSize: 9 }), 0, taken).size, 5, 'only the new 5');
  assert.equal(quoteFill(BACK, 1, book({ back: 2.06, backSize: 9 }), 0, taken).size, 9, 'a new price');
  assert.equal(quoteFill(BACK, 2, b, 0, taken).size, 4, 'another runner has its own book');
});

test('a hedge is offered the best price on its side, less what we took there', () => {
  const taken = new Taken();
  const b = book({ back: 2.0, backSize: 8, lay: 2.02, laySize: 5 });
  assert.deepEqual(hedgeOffer(false, 1, b, taken), { price: 2.02, size: 5 });
  assert.deepEqual(hedgeOffer(true, 1, b, taken), { price: 2.0, size: 8 });
  taken.take(1, false, 2.02, 2);
  assert.deepEqual(hedgeOffer(false, 1, b, taken), { price: 2.02, size: 3 });
  assert.equal(hedgeOffer(false, 1, book({ lay: null }), taken), null);
});
