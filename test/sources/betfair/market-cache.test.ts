import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MarketCache } from '../../../src/sources/betfair/market-cache.js';
import type { MarketDefinition } from '../../../src/sources/betfair/protocol.js';
import { streamNumber } from '../../../src/sources/betfair/runner-cache.js';

const pairs = (l: readonly { price: number; size: number }[]) => l.map((x) => [x.price, x.size]);

const DEF: MarketDefinition = {
  status: 'OPEN',
  inPlay: false,
  eventId: '1',
  eventTypeId: '1',
  marketType: 'ASIAN_HANDICAP',
  runners: [
    { id: 10, hc: -0.5, sortPriority: 2, status: 'ACTIVE' },
    { id: 10, hc: 0.5, sortPriority: 1, status: 'ACTIVE' },
    { id: 20, sortPriority: 3, status: 'ACTIVE', bsp: 3.5 },
  ],
};

describe('MarketCache', () => {
  test('runners are keyed by (selection id, handicap); handicap defaults to 0', () => {
    const c = new MarketCache('1.1');
    c.apply(
      {
        id: '1.1',
        marketDefinition: DEF,
        rc: [
          { id: 10, hc: 0.5, atb: [[2, 5]] },
          { id: 20, atl: [[4, 1]] },
        ],
      },
      1,
    );
    assert.deepEqual(pairs(c.runner(10, 0.5)?.snapshot().back ?? []), [[2, 5]]);
    assert.deepEqual(c.runner(10, -0.5)?.snapshot().back, []);
    assert.deepEqual(pairs(c.runner(20)?.snapshot().lay ?? []), [[4, 1]]);
    assert.equal(c.runner(10), undefined, 'no hc-0 runner 10');
    assert.deepEqual(
      c.snapshot().runners.map((r) => [r.selectionId, r.handicap]),
      [
        [10, 0.5],
        [10, -0.5],
        [20, 0],
      ],
      'ordered by sortPriority',
    );
  });

  test('ltp, tv and market tv replace; spn/spf "NaN"/"Infinity" become numbers', () => {
    const c = new MarketCache('1.1');
    c.apply(
      {
        id: '1.1',
        marketDefinition: DEF,
        tv: 10,
        rc: [{ id: 20, ltp: 3, tv: 100, spn: 'NaN', spf: 'Infinity' }],
      },
      1,
    );
    c.apply({ id: '1.1', tv: 12.5, rc: [{ id: 20, ltp: 3.1, tv: 40 }] }, 2);
    const r = c.runner(20)?.snapshot();
    assert.equal(r?.ltp, 3.1);
    assert.equal(r?.tv, 40, 'as given, not accumulated');
    assert.ok(Number.isNaN(r?.spn));
    assert.equal(r?.spf, Infinity);
    assert.equal(c.snapshot().totalMatched, 12.5);
    assert.equal(c.snapshot().publishTime, 2);
    c.apply({ id: '1.1', rc: [{ id: 20, spn: 3.2, spf: '4.5' }] }, 3);
    assert.equal(c.runner(20)?.snapshot().spn, 3.2);
    assert.equal(c.runner(20)?.snapshot().spf, 4.5);
  });

  test('streamNumber parses numbers and numeric strings, rejects the rest', () => {
    assert.equal(streamNumber(1.5), 1.5);
    assert.equal(streamNumber('Infinity'), Infinity);
    assert.ok(Number.isNaN(streamNumber('NaN')));
    assert.equal(streamNumber('abc'), null);
    assert.equal(streamNumber(undefined), null);
  });

  test('trd: [] clears traded volume (as betfairlightweight does); other ladders keep on []', () => {
    const c = new MarketCache('1.1');
    c.apply(
      { id: '1.1', marketDefinition: DEF, rc: [{ id: 20, trd: [[3, 10]], atb: [[3, 1]], spb: [[3, 2]] }] },
      1,
    );
    c.apply({ id: '1.1', rc: [{ id: 20, trd: [], atb: [], spb: [] }] }, 2);
    const r = c.runner(20)?.snapshot();
    assert.deepEqual(r?.trd, []);
    assert.deepEqual(pairs(r?.atb ?? []), [[3, 1]]);
    assert.deepEqual(pairs(r?.spb ?? []), [[3, 2]]);
  });

  test('back/lay prefer atb/atl, then the virtual bdatb/bdatl, then batb/batl (bflw order)', () => {
    const c = new MarketCache('1.1');
    c.apply(
      {
        id: '1.1',
        marketDefinition: DEF,
        rc: [{ id: 20, batb: [[0, 2, 1]], bdatb: [[0, 2.02, 5]], batl: [[0, 2.1, 1]] }],
      },
      1,
    );
    const r1 = c.runner(20)?.snapshot();
    assert.deepEqual(pairs(r1?.back ?? []), [[2.02, 5]]);
    assert.deepEqual(pairs(r1?.lay ?? []), [[2.1, 1]]);
    c.apply({ id: '1.1', rc: [{ id: 20, atb: [[1.98, 7]] }] }, 2);
    assert.deepEqual(pairs(c.runner(20)?.snapshot().back ?? []), [[1.98, 7]]);
  });

  test('a runner first seen in a runner change is added; a definition update keeps ladders', () => {
    const c = new MarketCache('1.1');
    c.apply({ id: '1.1', marketDefinition: DEF }, 1);
    c.apply({ id: '1.1', rc: [{ id: 99, atb: [[5, 1]] }] }, 2);
    assert.equal(c.runnerCount, 4);
    assert.equal(c.snapshot().runners.at(-1)?.selectionId, 99, 'no sortPriority: last');
    assert.equal(c.runner(99)?.snapshot().status, null);
    c.apply({ id: '1.1', rc: [{ id: 20, atb: [[3, 1]] }] }, 3);
    const closed = {
      ...DEF,
      status: 'CLOSED',
      runners: [{ id: 20, status: 'WINNER', bsp: 3.6, sortPriority: 3 }],
    };
    const hadDef = c.apply({ id: '1.1', marketDefinition: closed }, 4);
    assert.equal(hadDef, true);
    const r = c.runner(20)?.snapshot();
    assert.equal(r?.status, 'WINNER');
    assert.equal(r?.bsp, 3.6);
    assert.deepEqual(pairs(r?.back ?? []), [[3, 1]]);
    assert.equal(c.closed, true);
    assert.equal(c.closedAt, 4);
  });

  test('snapshots are memoized until the next change and never change afterwards', () => {
    const c = new MarketCache('1.1');
    c.apply({ id: '1.1', marketDefinition: DEF, rc: [{ id: 20, atb: [[3, 1]] }] }, 1);
    const s1 = c.snapshot();
    assert.equal(c.snapshot(), s1);
    c.apply({ id: '1.1', rc: [{ id: 20, atb: [[3, 0]] }] }, 2);
    const s2 = c.snapshot();
    assert.notEqual(s2, s1);
    assert.deepEqual(pairs(s1.runners.find((r) => r.selectionId === 20)?.back ?? []), [[3, 1]]);
    assert.deepEqual(s2.runners.find((r) => r.selectionId === 20)?.back, []);
    assert.equal(
      s2.runners.find((r) => r.selectionId === 10 && r.handicap === 0.5),
      s1.runners.find((r) => r.selectionId === 10 && r.handicap === 0.5),
      'unchanged runners keep their snapshot',
    );
  });
});
