import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Event } from '../../../src/model/event.js';
import type { Market } from '../../../src/model/market.js';
import {
  exchangeQuotes,
  exchangeSelectionResolver,
  type ExchangeBooks,
} from '../../../src/execution/connectors/exchange-selection.js';

const runner = (selectionId: number, sortPriority: number, back: number, lay: number) => ({
  selectionId,
  handicap: 0,
  name: `r${selectionId}`,
  status: 'ACTIVE' as const,
  sortPriority,
  back: [{ price: back, size: 100 }],
  lay: [{ price: lay, size: 50 }],
  ltp: null,
  tv: 0,
  bsp: null,
  adjustmentFactor: null,
});

const market = (id: string, source: string, type = 'MATCH_ODDS'): Market =>
  ({
    id,
    eventId: 1000001,
    source,
    type,
    name: 'Match Odds',
    status: 'OPEN',
    inPlay: false,
    minStake: 2,
    maxStake: null,
    totalMatched: 0,
    numberOfWinners: 1,
    startTime: null,
    // listed out of order: runners are taken by sort priority
    runners: [runner(3, 3, 3.4, 3.5), runner(1, 1, 2.0, 2.02), runner(2, 2, 4.1, 4.2)],
    updatedAt: 0,
    publishedAt: null,
    version: 1,
  }) as Market;

const books: ExchangeBooks = {
  findEvent: (id) => (String(id) === '1000001' ? ({ id: 1000001 } as Event) : undefined),
  marketsOf: () => [
    market('imatchodds:9', 'imatchodds'),
    market('1.23', 'sim', 'OVER_UNDER_25'),
    market('1.22', 'sim'),
  ],
};

describe('exchange selection resolver', () => {
  const resolve = exchangeSelectionResolver(books);
  const sel = (outcomeId: number, back = true) => ({ fixtureId: '1000001', outcomeId, playerId: 0, back });

  test('maps home/away/draw outcomes to the exchange MATCH_ODDS market’s runners by sort priority', () => {
    assert.deepEqual(resolve(sel(101)), { marketId: '1.22', selectionId: 1 });
    assert.deepEqual(resolve(sel(103)), { marketId: '1.22', selectionId: 2 });
    assert.deepEqual(resolve(sel(102)), { marketId: '1.22', selectionId: 3 });
  });

  test('unknown fixtures, outcomes and player selections are not on the exchange', () => {
    assert.equal(resolve({ ...sel(101), fixtureId: '42' }), null);
    assert.equal(resolve(sel(999)), null);
    assert.equal(resolve({ ...sel(101), playerId: 7 }), null);
  });

  test('quotes the best back for a back and the best lay for a lay, with the size as the limit', () => {
    const quote = exchangeQuotes(books);
    assert.deepEqual(quote(sel(101)), {
      price: 2.0,
      limit: 100,
      limitMin: 2,
      currency: 'GBP',
      active: true,
      info: { book: 'sim', marketId: '1.22', selectionId: 1 },
    });
    assert.equal(quote(sel(103, false))?.price, 4.2);
  });
});
