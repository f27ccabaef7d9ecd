import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Event, Market, Runner } from '../../src/model/index.js';
import { groupBooks, outcomeKey } from '../../src/books/books.js';
import { bestOf } from '../../src/books/best.js';
import { bookClock, type BookClock } from '../../src/books/freshness.js';
import { backArb, layArb } from '../../src/books/arbitrage.js';
import { eventArbs, findArbs } from '../../src/books/scan.js';
import { NOW, bookEvent, bookMarket, bookRunner, connectedClock } from './helpers.js';

const EVENT: Event = bookEvent(1000001, 1, 'Man Utd', 'Chelsea', {
  upstreamIds: { betfair: '3501', oddsapi: 'abc' },
});

const r = (selectionId: number, name: string, back: number | null, lay: number | null, size = 0): Runner =>
  bookRunner(selectionId, name, back, lay, size);
const market = (id: string, source: string, runners: Runner[], extra: Partial<Market> = {}): Market =>
  bookMarket(EVENT, id, source, runners, extra);

const exchange = market('1.1', 'betfair', [
  r(1, 'Man Utd', 2.0, 2.04, 150),
  r(2, 'Chelsea', 4.2, 4.4, 80),
  r(3, 'The Draw', 3.5, 3.85, 60),
]);
const pinnacle = market('oddsapi:abc:pinnacle:h2h', 'oddsapi', [
  r(11, 'Manchester United', 2.1, null),
  r(12, 'Chelsea', 3.9, null),
  r(13, 'Draw', 3.6, null),
]);
const bet365 = market('oddsapi:abc:bet365:h2h', 'oddsapi', [
  r(11, 'Manchester United', 2.05, null),
  r(12, 'Chelsea', 4.4, null),
  r(13, 'Draw', 3.4, null),
]);

/** Every source connected; oddsapi books stale after 120 s, streamed ones after 10 s. */
const clock = (now = NOW): BookClock =>
  connectedClock(
    [
      ['betfair', 'betfair-stream'],
      ['oddsapi', 'http-poll'],
    ],
    now,
    { defaultSec: 10, bySource: { oddsapi: 120 } },
  );

describe('books side by side', () => {
  test('one group per market type; runners matched across books by normalised name, draw included', () => {
    const [g] = groupBooks(EVENT, [exchange, pinnacle, bet365]);
    assert.equal(g?.key, 'MATCH_ODDS');
    assert.deepEqual(
      g?.books.map((b) => b.name),
      ['betfair', 'oddsapi/pinnacle', 'oddsapi/bet365'],
    );
    assert.deepEqual(
      g?.outcomes.map((o) => [o.key, o.runners.length]),
      [
        ['home', 3],
        ['away', 3],
        ['draw', 3],
      ],
    );
  });

  test('best back and lay per runner name the book they came from; overrounds are Σ 1/price', () => {
    const [g] = groupBooks(EVENT, [exchange, pinnacle, bet365]);
    const best = bestOf(g!, clock());
    const byKey = Object.fromEntries(best.runners.map((x) => [x.key, x]));
    assert.deepEqual(byKey.home?.bestBack, {
      price: 2.1,
      size: null,
      book: 'oddsapi/pinnacle',
      source: 'oddsapi',
      marketId: 'oddsapi:abc:pinnacle:h2h',
    });
    assert.equal(byKey.away?.bestBack?.book, 'oddsapi/bet365');
    assert.equal(byKey.draw?.bestBack?.price, 3.6);
    assert.deepEqual(byKey.home?.bestLay, {
      price: 2.04,
      size: 150,
      book: 'betfair',
      source: 'betfair',
      marketId: '1.1',
    });
    assert.ok(Math.abs((best.backOverround ?? 0) - (1 / 2.1 + 1 / 4.4 + 1 / 3.6)) < 1e-12);
    assert.ok(Math.abs((best.layOverround ?? 0) - (1 / 2.04 + 1 / 4.4 + 1 / 3.85)) < 1e-12);
  });

  test('a back arbitrage gives the stake split that returns the same whoever wins', () => {
    const [g] = groupBooks(EVENT, [exchange, pinnacle, bet365]);
    const arb = backArb(bestOf(g!, clock()), 100);
    assert.ok(arb);
    assert.equal(arb.kind, 'back');
    assert.equal(arb.edgePct.toFixed(3), '1.912');
    assert.deepEqual(
      arb.legs.map((l) => [l.runner, l.book, l.price, l.stake, l.payout]),
      [
        ['home', 'oddsapi/pinnacle', 2.1, 48.53, 101.91],
        ['away', 'oddsapi/bet365', 4.4, 23.16, 101.9],
        ['draw', 'oddsapi/pinnacle', 3.6, 28.31, 101.92],
      ],
    );
    assert.equal(arb.profit, 1.9);
    assert.equal(arb.maxTotal, null, 'bookmakers give no sizes');
    assert.equal(layArb(bestOf(g!, clock()), 100), null);
  });

  test('a lay arbitrage across books takes in the total and pays out less whoever wins', () => {
    const cheapLays = market('imatchodds:1:MO', 'imatchodds', [
      r(1, 'Man Utd', 1.9, 1.95, 500),
      r(2, 'Chelsea', 3.2, 3.3, 500),
      r(3, 'Draw', 2.9, 3.0, 500),
    ]);
    const [g] = groupBooks(EVENT, [exchange, cheapLays]);
    const best = bestOf(g!, clock());
    const arb = layArb(best, 100);
    assert.ok(arb, `lay overround ${best.layOverround}`);
    for (const l of arb.legs) {
      const taken = arb.legs.reduce((s, x) => s + x.stake, 0);
      assert.ok(taken - l.stake - (l.liability ?? 0) >= arb.profit - 1e-9);
    }
    assert.ok(arb.profit > 0);
    assert.ok(arb.maxTotal !== null && arb.maxTotal > 100);
  });

  test('a stale book never takes part: its prices leave best, overround and arbitrage', () => {
    const stalePinnacle = { ...pinnacle, updatedAt: NOW - 121_000 };
    const [g] = groupBooks(EVENT, [exchange, stalePinnacle, bet365]);
    const best = bestOf(g!, clock());
    assert.deepEqual(best.staleBooks, ['oddsapi/pinnacle']);
    assert.ok(best.runners.every((x) => x.bestBack?.book !== 'oddsapi/pinnacle'));
    assert.equal(backArb(best, 100), null);
    assert.deepEqual(eventArbs(EVENT, [exchange, stalePinnacle, bet365], clock(), 100), []);
  });

  test('a runner only a stale book prices leaves the overround unknown, never too low', () => {
    const twoWay = market('oddsapi:abc:betfred:h2h', 'oddsapi', [
      r(21, 'Manchester United', 3.0, null),
      r(22, 'Chelsea', 3.0, null),
    ]);
    const staleDraw = market('oddsapi:abc:pinnacle:h2h', 'oddsapi', [r(13, 'Draw', 4.0, null)], {
      updatedAt: NOW - 500_000,
    });
    const [g] = groupBooks(EVENT, [twoWay, staleDraw]);
    const best = bestOf(g!, clock());
    assert.equal(best.backOverround, null);
    assert.equal(backArb(best, 100), null);
  });

  test('suspended markets and suspended runners are left out; findArbs filters by sport and edge', () => {
    const suspended = { ...pinnacle, status: 'SUSPENDED' as const };
    assert.deepEqual(eventArbs(EVENT, [exchange, suspended, bet365], clock(), 100), []);
    const arbs = findArbs([EVENT], () => [exchange, pinnacle, bet365], clock(), {
      total: 100,
      minEdgePct: 1,
    });
    assert.equal(arbs.length, 1);
    assert.equal(arbs[0]?.id, `${EVENT.id}:MATCH_ODDS:back`);
    assert.deepEqual(
      findArbs([EVENT], () => [exchange, pinnacle, bet365], clock(), { total: 100, minEdgePct: 2 }),
      [],
    );
    assert.deepEqual(
      findArbs([EVENT], () => [exchange, pinnacle, bet365], clock(), {
        total: 100,
        minEdgePct: 0,
        sportId: 2,
      }),
      [],
    );
  });

  test('a streamed book is confirmed by its connected source; a disconnected source lets it go stale', () => {
    const quiet = { ...exchange, updatedAt: NOW - 60_000 };
    assert.equal(clock().isStale(quiet), false);
    const down = bookClock(
      [
        {
          source: 'betfair',
          kind: 'betfair-stream',
          state: 'disconnected',
          connected: false,
          lastError: null,
          lastErrorAt: null,
          lastUpdateAt: NOW - 30_000,
          frames: 1,
          markets: 1,
          details: {},
        },
      ],
      NOW,
      NOW,
      { defaultSec: 10, bySource: {} },
    );
    assert.equal(down.isStale(quiet), true);
  });
});

describe('outcome keys are remembered per event object', () => {
  test('a changed event (a new object) keys its runners afresh: sides swapped, home becomes away', () => {
    const before = bookEvent(71, 1, 'Arsenal', 'Chelsea');
    const arsenal = { name: 'Arsenal' } as Runner;
    assert.equal(outcomeKey(arsenal, before), 'home');
    assert.equal(outcomeKey(arsenal, before), 'home'); // the remembered key
    const after = bookEvent(71, 1, 'Chelsea', 'Arsenal');
    assert.equal(outcomeKey(arsenal, after), 'away');
    assert.equal(outcomeKey({ name: 'Chelsea' } as Runner, after), 'home');
  });

  test('a line market keys by its name, whatever the same name keyed as in a match-odds market', () => {
    const e = bookEvent(72, 4, 'India', 'Australia');
    assert.equal(outcomeKey({ name: 'India' } as Runner, e), 'home');
    const fancy = bookMarket(e, 'f1', 'site', [bookRunner(1, 'India', 1.9, 2, 100)], {
      type: 'FANCY',
      name: '6 over runs India',
    });
    assert.equal(outcomeKey({ name: 'India' } as Runner, e, fancy), 'india');
  });
});
