import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UNTIMED_CLOCK } from '../../src/books/freshness.js';
import { readModelQuotes } from '../../src/execution/quotes.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import { bookEvent, bookMarket, bookRunner } from '../books/helpers.js';

// The paper bookmaker's prices: the best of every source's book for the fixture's match-winner market.
test('quotes: best back (highest) and best lay (lowest) across every book; a suspended book is left out', () => {
  const rm = new ReadModel();
  const e = bookEvent(1000001, 1, 'Arsenal', 'Chelsea');
  rm.load({
    sports: [{ id: 1, name: 'Football' }],
    events: [e],
    markets: [
      bookMarket(e, '1.1', 'betfair', [
        bookRunner(1, 'Arsenal', 2.1, 2.16, 300),
        bookRunner(2, 'Chelsea', 3.5, 3.6, 100),
        bookRunner(3, 'The Draw', 3.3, 3.4, 100),
      ]),
      bookMarket(e, 'site:1', 'site', [
        bookRunner(11, 'Arsenal FC', 2.2, 2.3, 50),
        bookRunner(12, 'Chelsea FC', 3.4, 3.55, 50),
        bookRunner(13, 'Draw', 3.2, 3.5, 50),
      ]),
      bookMarket(e, 'other:1', 'other', [bookRunner(21, 'Arsenal', 9, 1.5, 10)], { status: 'SUSPENDED' }),
    ],
    logPosition: null,
  });
  const q = readModelQuotes(rm, () => UNTIMED_CLOCK);
  const home = q.best({ fixtureId: '1000001', outcomeId: 101, playerId: 0, back: true });
  assert.deepEqual(home, { price: 2.2, size: 50, book: 'site', marketId: 'site:1', suspended: false });
  const awayLay = q.best({ fixtureId: '1000001', outcomeId: 103, playerId: 0, back: false });
  assert.equal(awayLay?.price, 3.55);
  assert.equal(q.best({ fixtureId: '1000001', outcomeId: 102, playerId: 0, back: true })?.price, 3.3);
  assert.equal(
    q.best({ fixtureId: '999', outcomeId: 101, playerId: 0, back: true }),
    null,
    'unknown fixture',
  );
  assert.equal(
    q.best({ fixtureId: '1000001', outcomeId: 101, playerId: 7, back: true }),
    null,
    'player markets',
  );
});
