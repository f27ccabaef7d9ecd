import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../../src/core/backoff.js';
import { BookPoller } from '../../../src/sources/betfair/book-poller.js';
import { CatalogueNames } from '../../../src/sources/betfair/catalogue-names.js';
import type { MarketDefinition } from '../../../src/sources/betfair/protocol.js';
import { classifyStreamError, STREAM_ERRORS } from '../../../src/sources/betfair/stream-errors.js';

describe('stream error codes', () => {
  test('every error closes the connection except SUBSCRIPTION_LIMIT_EXCEEDED', () => {
    const open = Object.entries(STREAM_ERRORS)
      .filter(([, e]) => !e.closes)
      .map(([code]) => code);
    assert.deepEqual(open, ['SUBSCRIPTION_LIMIT_EXCEEDED']);
    assert.equal(classifyStreamError('INVALID_CLOCK').action, 'fresh');
    assert.equal(classifyStreamError('INVALID_SESSION_INFORMATION').action, 'relogin');
    assert.equal(classifyStreamError('INVALID_APP_KEY').action, 'fatal');
    assert.deepEqual(classifyStreamError('SOMETHING_NEW'), { closes: true, action: 'retry' });
  });
});

describe('Backoff', () => {
  test('grows exponentially with jitter in [d/2, d], capped, and resets', () => {
    const lows = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => lows.next()),
      [50, 100, 200, 400, 500],
    );
    const highs = new Backoff({ baseMs: 100, maxMs: 1000, random: () => 0.999999 });
    assert.deepEqual(
      [1, 2, 3].map(() => highs.next()),
      [100, 200, 400],
    );
    highs.reset();
    assert.equal(highs.next(), 100);
    assert.equal(highs.longest(), 1000);
  });
});

const def = (): MarketDefinition => ({
  status: 'OPEN',
  inPlay: false,
  eventId: '30000001',
  eventTypeId: '1',
  marketType: 'MATCH_ODDS',
  runners: [
    { id: 11, sortPriority: 1, status: 'ACTIVE' },
    { id: 22, sortPriority: 2, status: 'ACTIVE' },
  ],
});

describe('CatalogueNames', () => {
  const entry = {
    marketId: '1.5',
    marketName: 'Match Odds',
    competition: { id: '77', name: 'Premier League' },
    event: { id: '30000001', name: 'Arsenal v Everton' },
    runners: [
      { selectionId: 11, runnerName: 'Arsenal' },
      { selectionId: 22, runnerName: 'Everton' },
    ],
  };

  test('bounded: the least recently catalogued markets and event competitions go first', () => {
    const names = new CatalogueNames(2);
    const of = (n: number) => ({
      ...entry,
      marketId: `1.${n}`,
      event: { id: `3000000${n}`, name: `Event ${n}` },
      competition: { id: `7${n}`, name: `League ${n}` },
    });
    names.add([of(1), of(2)]);
    names.add([of(3)]);
    names.add([of(2)]); // catalogued again: the most recent now
    names.add([of(4)]);
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => names.has(`1.${n}`)),
      [false, true, false, true],
    );
    const competitionOf = (n: number) => {
      const [u] = names.enrich([
        {
          kind: 'event',
          source: 'betfair',
          upstreamEventId: `3000000${n}`,
          event: {
            sportId: 1,
            name: `Event ${n}`,
            startTime: '2026-11-22T15:00:00.000Z',
            status: 'OPEN',
            inPlay: false,
          },
        },
      ]);
      return u?.kind === 'event' ? (u.event.competition?.name ?? null) : null;
    };
    assert.deepEqual([1, 2, 3, 4].map(competitionOf), [null, 'League 2', null, 'League 4']);
  });

  test('names a live definition in place and reports what changed', () => {
    const names = new CatalogueNames();
    assert.deepEqual(names.add([entry]), ['1.5']);
    assert.deepEqual(names.add([entry]), [], 'same names: no change');
    const mc = { id: '1.5', marketDefinition: def() };
    names.nameChanges([mc]);
    assert.equal(mc.marketDefinition.name, 'Match Odds');
    assert.equal(mc.marketDefinition.eventName, 'Arsenal v Everton');
    assert.deepEqual(
      mc.marketDefinition.runners?.map((r) => r.name),
      ['Arsenal', 'Everton'],
    );
    const copy = names.namedCopy('1.5', def());
    assert.equal(copy.runners?.[1]?.name, 'Everton');
  });

  test('adds the competition to event updates of that event only', () => {
    const names = new CatalogueNames();
    names.add([entry]);
    const event = { sportId: 1, name: 'Arsenal v Everton', startTime: '2026-01-01T00:00:00.000Z' };
    const out = names.enrich([
      { kind: 'event', source: 'betfair', upstreamEventId: '30000001', event },
      { kind: 'event', source: 'betfair', upstreamEventId: '999', event },
    ]);
    assert.deepEqual(out[0]?.kind === 'event' && out[0].event.competition, {
      id: '77',
      name: 'Premier League',
    });
    assert.equal(out[1]?.kind === 'event' && out[1].event.competition, undefined);
  });
});

describe('BookPoller images', () => {
  const book = {
    marketId: '1.5',
    status: 'SUSPENDED',
    inplay: true,
    totalMatched: 1234,
    runners: [
      {
        selectionId: 11,
        status: 'ACTIVE',
        lastPriceTraded: 2.5,
        totalMatched: 1000,
        ex: {
          availableToBack: [
            { price: 2.48, size: 10 },
            { price: 2.46, size: 20 },
          ],
          availableToLay: [{ price: 2.52, size: 5 }],
          tradedVolume: [{ price: 2.5, size: 1000 }],
        },
      },
      { selectionId: 22, status: 'REMOVED', totalMatched: 0, ex: {} },
    ],
  };
  const poller = (fields: string[]) =>
    new BookPoller({
      catalogue: { listMarketBook: async () => [] },
      markets: () => [],
      definition: () => def(),
      fields,
      ladderLevels: 1,
      intervalMs: 1000,
      feed: () => {},
    });

  test('a book becomes an img:true change with the subscribed fields and the book’s statuses', () => {
    const mc = poller(['EX_BEST_OFFERS', 'EX_TRADED', 'EX_TRADED_VOL', 'EX_LTP', 'EX_MARKET_DEF']).toChange(
      book,
    );
    assert.ok(mc);
    assert.equal(mc.img, true);
    assert.equal(mc.tv, 1234);
    assert.deepEqual([mc.marketDefinition?.status, mc.marketDefinition?.inPlay], ['SUSPENDED', true]);
    assert.deepEqual(
      mc.marketDefinition?.runners?.map((r) => r.status),
      ['ACTIVE', 'REMOVED'],
    );
    assert.deepEqual(mc.rc?.[0], {
      id: 11,
      batb: [[0, 2.48, 10]],
      batl: [[0, 2.52, 5]],
      trd: [[2.5, 1000]],
      ltp: 2.5,
      tv: 1000,
    });
  });

  test('full ladders for EX_ALL_OFFERS; nothing without a definition', () => {
    const mc = poller(['EX_ALL_OFFERS']).toChange(book);
    assert.deepEqual(mc?.rc?.[0], {
      id: 11,
      atb: [
        [2.48, 10],
        [2.46, 20],
      ],
      atl: [[2.52, 5]],
    });
    assert.equal(poller(['EX_ALL_OFFERS']).toChange(book, null), null);
  });

  test('an answer still in flight when polling stops is dropped, even if polling restarts meanwhile', async () => {
    const answers: ((books: (typeof book)[]) => void)[] = [];
    const fed: string[] = [];
    const p = new BookPoller({
      catalogue: { listMarketBook: () => new Promise((resolve) => answers.push(resolve)) },
      markets: () => ['1.5'],
      definition: () => def(),
      fields: ['EX_ALL_OFFERS'],
      ladderLevels: 1,
      intervalMs: 60_000,
      feed: (msg) => fed.push(...(msg.mc ?? []).map((mc) => mc.id)),
    });
    p.start(); // request 1 in flight
    p.stop(); // the stream is back
    p.start(); // down again: request 1 is still in flight, so this round waits for it
    answers[0]?.([book]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fed, [], 'the older answer is not fed');
    const round = p.poll(); // the next round is fed
    answers[1]?.([book]);
    await round;
    p.stop();
    assert.deepEqual(fed, ['1.5']);
  });
});
