import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ReadModel, compareIds } from '../../src/read-model/read-model.js';
import type { Change, Event, LogEntry, Market } from '../../src/model/index.js';
import { matchOdds, runner } from '../helpers/fixtures.js';

function event(id: number, bfi: string, sportId = 1): Event {
  return {
    id,
    upstreamIds: { betfair: bfi },
    sportId,
    name: `Team ${id} v Team ${id + 1}`,
    competition: null,
    team1: `Team ${id}`,
    team2: `Team ${id + 1}`,
    startTime: '2026-11-22T15:00:00.000Z',
    status: 'OPEN',
    inPlay: false,
    hasFancy: false,
    hasBookmaker: false,
    countryCode: null,
    venue: null,
    scoreUrl: null,
    streamUrl: null,
    updatedAt: 1,
  };
}

function market(id: string, eventId: number): Market {
  return { ...matchOdds(id, [runner(1, 'A', 2, 2.02)]), eventId, updatedAt: 1, version: 1 };
}

let n = 0;
function entry(change: Change): LogEntry {
  n++;
  return { id: `1000-${n}`, ts: 1000, change };
}

describe('read model', () => {
  test('applies changes, finds events by internal id or bfi, lists markets of an event', () => {
    const rm = new ReadModel();
    rm.apply([
      entry({ type: 'event', event: event(1_000_001, '35540213') }),
      entry({ type: 'market', market: market('1.1', 1_000_001) }),
      entry({ type: 'market', market: market('1.2', 1_000_001) }),
    ]);
    assert.equal(rm.findEvent('1000001')?.id, 1_000_001);
    assert.equal(rm.findEvent('35540213')?.id, 1_000_001);
    assert.equal(rm.findEvent(35540213)?.id, 1_000_001);
    assert.equal(rm.findEvent('999'), undefined);
    assert.deepEqual(
      rm.marketsOf(1_000_001).map((m) => m.id),
      ['1.1', '1.2'],
    );
  });

  test('removing an event removes its markets and its upstream alias', () => {
    const rm = new ReadModel();
    rm.apply([
      entry({ type: 'event', event: event(1_000_002, '111') }),
      entry({ type: 'market', market: market('1.3', 1_000_002) }),
      entry({ type: 'eventRemoved', eventId: 1_000_002 }),
    ]);
    assert.equal(rm.findEvent('111'), undefined);
    assert.equal(rm.markets.has('1.3'), false);
  });

  test('entries at or before the current position are ignored (no double apply)', () => {
    const rm = new ReadModel();
    const e = entry({ type: 'event', event: event(1_000_003, '222') });
    rm.apply([e]);
    const v = rm.version;
    rm.apply([e]);
    assert.equal(rm.version, v);
  });

  test('listeners see each change once, in log order, with its event', () => {
    const rm = new ReadModel();
    const seen: string[] = [];
    rm.onChange(({ entry: en, event: ev }) => seen.push(`${en.change.type}:${ev?.id ?? '-'}`));
    rm.apply([
      entry({ type: 'event', event: event(1_000_004, '333') }),
      entry({ type: 'market', market: market('1.4', 1_000_004) }),
    ]);
    assert.deepEqual(seen, ['event:1000004', 'market:1000004']);
  });

  test('serialized bodies are rebuilt only when the sport slice version changes', () => {
    const rm = new ReadModel();
    let builds = 0;
    const build = () => `{"n":${++builds}}`;
    rm.apply([entry({ type: 'event', event: event(1_000_005, '444', 2) })]);
    const a = rm.serialized('games:2', rm.sportVersion(2), build);
    const b = rm.serialized('games:2', rm.sportVersion(2), build);
    assert.equal(a, b);
    assert.equal(builds, 1);
    rm.apply([entry({ type: 'event', event: event(1_000_006, '555', 1) })]);
    rm.serialized('games:2', rm.sportVersion(2), build);
    assert.equal(builds, 1, 'a football change does not invalidate tennis');
    rm.apply([entry({ type: 'market', market: market('1.5', 1_000_005) })]);
    rm.serialized('games:2', rm.sportVersion(2), build);
    assert.equal(builds, 2);
  });

  test('an event version moves with the event and its markets only, and never repeats across loads', () => {
    const rm = new ReadModel();
    rm.apply([
      entry({ type: 'event', event: event(1_000_007, '777') }),
      entry({ type: 'event', event: event(1_000_008, '888') }),
      entry({ type: 'market', market: market('1.7', 1_000_007) }),
    ]);
    const seen = new Set<number>();
    const v0 = rm.eventVersion(1_000_007);
    seen.add(v0);
    rm.apply([entry({ type: 'market', market: market('1.8', 1_000_008) })]);
    assert.equal(rm.eventVersion(1_000_007), v0, 'another event changed');
    rm.apply([entry({ type: 'market', market: market('1.7', 1_000_007) })]);
    const v1 = rm.eventVersion(1_000_007);
    assert.ok(!seen.has(v1), 'its market changed');
    seen.add(v1);
    rm.apply([entry({ type: 'event', event: { ...event(1_000_007, '777'), inPlay: true } })]);
    const v2 = rm.eventVersion(1_000_007);
    assert.ok(!seen.has(v2), 'the event changed');
    seen.add(v2);
    rm.apply([entry({ type: 'marketRemoved', marketId: '1.7', eventId: 1_000_007 })]);
    const v3 = rm.eventVersion(1_000_007);
    assert.ok(!seen.has(v3), 'its market was removed');
    seen.add(v3);
    let builds = 0;
    const body = () => rm.derived('odds:1000007', rm.eventVersion(1_000_007), () => ++builds);
    body();
    body();
    assert.equal(builds, 1);
    rm.load({ sports: [], events: [event(1_000_007, '777')], markets: [], logPosition: null });
    const v4 = rm.eventVersion(1_000_007);
    assert.ok(!seen.has(v4), 'a reloaded state is a new version');
    body();
    assert.equal(builds, 2, 'bodies of the state before the load are not served');
  });

  test('log ids compare by time then sequence', () => {
    assert.ok(compareIds('10-1', '9-5') > 0);
    assert.ok(compareIds('10-1', '10-2') < 0);
    assert.equal(compareIds('10-2', '10-2'), 0);
  });
});
