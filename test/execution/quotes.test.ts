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

// Every outcome of the published catalogue the books carry is priced: totals lines and handicaps too.
test('quotes: totals and handicap outcomes of the catalogue, by line; a line no book has is not priced', () => {
  const rm = new ReadModel();
  const e = bookEvent(1000002, 1, 'Arsenal', 'Chelsea');
  const totals = (id: string, source: string, line: number, over: number, under: number) =>
    bookMarket(
      e,
      id,
      source,
      [
        bookRunner(1, `Over ${line}`, over, null, 0, { handicap: line }),
        bookRunner(2, `Under ${line}`, under, null, 0, { handicap: line }),
      ],
      { type: 'TOTALS', name: 'Totals' },
    );
  rm.load({
    sports: [{ id: 1, name: 'Football' }],
    events: [e],
    markets: [
      totals('oddsapi:e:pinnacle:totals', 'oddsapi', 2.5, 1.91, 1.95),
      totals('oddsapi:e:bet365:totals', 'oddsapi', 2.5, 1.95, 1.87),
      totals('oddsapi:e:bet365:totals35', 'oddsapi', 3.5, 2.9, 1.4),
      bookMarket(
        e,
        'oddsapi:e:pinnacle:spreads',
        'oddsapi',
        [
          bookRunner(1, 'Arsenal', 2.02, null, 0, { handicap: -1.5 }),
          bookRunner(2, 'Chelsea', 1.86, null, 0, { handicap: 1.5 }),
        ],
        { type: 'SPREADS', name: 'Spreads' },
      ),
    ],
    logPosition: null,
  });
  const q = readModelQuotes(rm, () => UNTIMED_CLOCK);
  const best = (outcomeId: number) => q.best({ fixtureId: '1000002', outcomeId, playerId: 0, back: true });
  // Over/Under 2.5 is market 10250: over 102501, under 102502 (README "ABP outcome ids")
  assert.deepEqual(best(102501), {
    price: 1.95,
    size: null, // a bookmaker does not say its size
    book: 'oddsapi/bet365',
    marketId: 'oddsapi:e:bet365:totals',
    suspended: false,
  });
  assert.equal(best(102502)?.price, 1.95, 'under 2.5: pinnacle is best');
  assert.equal(best(103501)?.price, 2.9, 'over 3.5 is its own market');
  // home −1.5 is market 101994: home 1019941, away 1019942
  assert.equal(best(1019941)?.price, 2.02);
  assert.equal(best(1019942)?.price, 1.86);
  assert.equal(best(104501), null, 'no book has 4.5');
  assert.equal(best(101), null, 'no match-winner book here');
  assert.equal(best(104), null, 'not a catalogue id');
});
