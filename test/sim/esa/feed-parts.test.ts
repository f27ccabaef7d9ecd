import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaults } from '../../../src/cli/simulate-betfair.js';
import { BookState } from '../../../src/sim/esa/book-state.js';
import { decodeClk, encodeClk } from '../../../src/sim/esa/market-feed.js';
import { ChangeMerger } from '../../../src/sim/esa/merge.js';
import { Projector } from '../../../src/sim/esa/projection.js';
import {
  matchesFilter,
  parseMarketSubscription,
  parseOrderSubscription,
} from '../../../src/sim/esa/subscription.js';
import type { StreamMarketDefinition } from '../../../src/sim/stream-types.js';

describe('ChangeMerger', () => {
  test('keeps the last value per price and field, and counts merged changes', () => {
    const m = new ChangeMerger();
    m.add({
      id: '1.1',
      rc: [
        {
          id: 5,
          atb: [
            [2, 10],
            [1.9, 5],
          ],
          ltp: 2,
        },
      ],
    });
    m.add({
      id: '1.1',
      tv: 50,
      rc: [
        { id: 5, atb: [[2, 0]], tv: 40 },
        { id: 6, atl: [[3, 1]] },
      ],
    });
    m.add({ id: '1.2', rc: [{ id: 7, trd: [[4, 9]] }] });
    assert.deepEqual(m.drain(), [
      {
        mc: {
          id: '1.1',
          tv: 50,
          rc: [
            {
              id: 5,
              atb: [
                [2, 0],
                [1.9, 5],
              ],
              ltp: 2,
              tv: 40,
            },
            { id: 6, atl: [[3, 1]] },
          ],
        },
        merged: 2,
      },
      { mc: { id: '1.2', rc: [{ id: 7, trd: [[4, 9]] }] }, merged: 1 },
    ]);
    assert.equal(m.size, 0);
  });

  test('an image replaces what was merged before it', () => {
    const m = new ChangeMerger();
    m.add({ id: '1.1', rc: [{ id: 5, atb: [[2, 10]] }] });
    m.add({ id: '1.1', img: true, rc: [{ id: 5, atl: [[3, 1]] }] });
    assert.deepEqual(m.drain()[0]?.mc, { id: '1.1', img: true, rc: [{ id: 5, atl: [[3, 1]] }] });
  });
});

describe('Projector', () => {
  const state = new BookState();
  state.apply(
    {
      id: '1.1',
      img: true,
      rc: [
        {
          id: 5,
          atb: [
            [2, 10],
            [1.98, 5],
            [1.96, 7],
          ],
          atl: [[2.02, 3]],
        },
      ],
    },
    0,
  );

  test('EX_BEST_OFFERS: level triples diffed against what the connection was sent', () => {
    const sub = parseMarketSubscription({
      op: 'marketSubscription',
      marketDataFilter: { fields: ['EX_BEST_OFFERS'], ladderLevels: 2 },
    });
    assert.ok('sub' in sub);
    const p = new Projector(sub.sub, state);
    assert.deepEqual(p.image('1.1')?.rc, [
      {
        id: 5,
        batb: [
          [0, 2, 10],
          [1, 1.98, 5],
        ],
        batl: [[0, 2.02, 3]],
      },
    ]);
    state.apply({ id: '1.1', rc: [{ id: 5, atb: [[2, 0]] }] }, 1);
    assert.deepEqual(p.project({ id: '1.1', rc: [{ id: 5, atb: [[2, 0]] }] }, false)?.rc, [
      {
        id: 5,
        batb: [
          [0, 1.98, 5],
          [1, 1.96, 7],
        ],
      },
    ]);
    assert.equal(p.replaysDeltas, false);
  });

  test('fields not subscribed are left out; a change with nothing wanted is null', () => {
    const sub = parseMarketSubscription({
      op: 'marketSubscription',
      marketDataFilter: { fields: ['EX_LTP'] },
    });
    assert.ok('sub' in sub);
    const p = new Projector(sub.sub, state);
    assert.equal(p.project({ id: '1.1', rc: [{ id: 5, atb: [[2, 1]] }] }, false), null);
    assert.deepEqual(p.project({ id: '1.1', rc: [{ id: 5, ltp: 2, atb: [[2, 1]] }] }, true), {
      id: '1.1',
      con: true,
      rc: [{ id: 5, ltp: 2 }],
    });
  });
});

describe('market subscriptions', () => {
  test("bounds are Betfair's, clamped (heartbeat 500–5000, conflation 0–120000, levels 1–10)", () => {
    const r = parseMarketSubscription({
      op: 'marketSubscription',
      id: 2,
      heartbeatMs: 10,
      conflateMs: 999_999,
      marketDataFilter: { ladderLevels: 50 },
    });
    assert.ok('sub' in r);
    assert.deepEqual([r.sub.heartbeatMs, r.sub.conflateMs, r.sub.ladderLevels], [500, 120_000, 10]);
    const high = parseMarketSubscription({ op: 'marketSubscription', heartbeatMs: 30_000 });
    assert.ok('sub' in high);
    assert.equal(high.sub.heartbeatMs, 5000);
    const orders = parseOrderSubscription({ op: 'orderSubscription', heartbeatMs: 60_000, conflateMs: -5 });
    assert.ok('sub' in orders);
    assert.deepEqual([orders.sub.heartbeatMs, orders.sub.conflateMs], [5000, 0]);
    assert.ok(
      'error' in parseMarketSubscription({ op: 'marketSubscription', marketFilter: { marketIds: 'x' } }),
    );
  });

  test('null optional fields mean "not given" (what betfairlightweight sends on a fresh subscription)', () => {
    const r = parseMarketSubscription({
      op: 'marketSubscription',
      id: 1,
      marketFilter: { marketIds: ['1.1'], bspMarket: null, venues: null },
      marketDataFilter: { fields: ['EX_BEST_OFFERS'], ladderLevels: null },
      initialClk: null,
      clk: null,
      conflateMs: null,
      heartbeatMs: null,
      segmentationEnabled: null,
    });
    assert.ok('sub' in r, JSON.stringify(r));
    assert.deepEqual(
      [r.sub.initialClk, r.sub.clk, r.sub.conflateMs, r.sub.heartbeatMs, r.sub.ladderLevels],
      [null, null, 0, 5000, 10],
    );
    assert.equal(r.sub.segmentationEnabled, true);
    assert.deepEqual(r.sub.filter.marketIds, ['1.1']);
    const o = parseOrderSubscription({
      op: 'orderSubscription',
      id: 2,
      orderFilter: null,
      initialClk: null,
      clk: null,
      conflateMs: null,
      heartbeatMs: null,
      segmentationEnabled: true,
    });
    assert.ok('sub' in o, JSON.stringify(o));
    // Wrong types are still refused.
    assert.ok('error' in parseMarketSubscription({ op: 'marketSubscription', clk: 5 }));
    assert.ok(
      'error' in parseOrderSubscription({ op: 'orderSubscription', orderFilter: { accountIds: 'x' } }),
    );
  });

  test('filter fields are ANDed against the definition', () => {
    const def = {
      eventTypeId: '1',
      eventId: '9',
      marketType: 'MATCH_ODDS',
      countryCode: 'GB',
      bettingType: 'ODDS',
    } as StreamMarketDefinition;
    assert.ok(matchesFilter({ eventTypeIds: ['1'], marketTypes: ['MATCH_ODDS'] }, '1.1', def));
    assert.ok(!matchesFilter({ eventTypeIds: ['1'], countryCodes: ['IE'] }, '1.1', def));
    assert.ok(!matchesFilter({ marketIds: ['1.2'] }, '1.1', def));
    assert.ok(!matchesFilter({ raceTypes: ['Flat'] }, '1.1', def), 'raceTypes is a filter, not ignored');
    assert.ok(
      matchesFilter({ raceTypes: ['Flat'] }, '1.1', { ...def, raceType: 'Flat' } as StreamMarketDefinition),
    );
  });

  test('clock tokens round-trip and foreign ones are refused', () => {
    assert.deepEqual(decodeClk(encodeClk({ clk: 41, instance: 3 })), { clk: 41, instance: 3 });
    assert.equal(decodeClk('AAAAAAAA'), null);
  });
});

describe('--esa-faults', () => {
  test('parses the fault list', () => {
    assert.deepEqual(parseFaults('split,refuse-auth:NO_SESSION:2,invalid-clock,drop-every:5'), {
      faults: [
        { fault: 'writeMode', mode: 'split' },
        { fault: 'refuseAuth', code: 'NO_SESSION', times: 2 },
        { fault: 'invalidClock', times: 1 },
      ],
      dropEverySec: 5,
    });
    assert.ok('error' in parseFaults('explode'));
  });
});
