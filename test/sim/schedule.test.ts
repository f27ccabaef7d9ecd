import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DRAW_SELECTION_ID } from '../../src/sim/names.js';
import { lanePlan, scheduleAt, type ScheduledEvent } from '../../src/sim/schedule.js';

const SEED = 20261122;
const T0 = Date.UTC(2026, 10, 22, 9, 17, 43);
const HOUR = 3_600_000;
const opts = { seed: SEED, speed: 1, events: 40 };

function bySport(events: ScheduledEvent[]): Map<string, ScheduledEvent[]> {
  const m = new Map<string, ScheduledEvent[]>();
  for (const e of events) m.set(e.sport, [...(m.get(e.sport) ?? []), e]);
  return m;
}

describe('schedule', () => {
  test('is deterministic: same seed and time give identical events and ids', () => {
    assert.deepEqual(scheduleAt(opts, T0), scheduleAt({ ...opts }, T0));
    const other = scheduleAt({ ...opts, seed: SEED + 1 }, T0);
    const ids = new Set(scheduleAt(opts, T0).map((e) => e.eventId));
    assert.ok(other.filter((e) => ids.has(e.eventId)).length < 3, 'another seed gives other events');
  });

  test('a restart later sees the same events that still exist, with the same upstream ids', () => {
    const before = scheduleAt(opts, T0);
    for (const later of [T0 + 1000, T0 + 10 * 60_000, T0 + 2 * HOUR]) {
      const after = new Map(scheduleAt(opts, later).map((e) => [e.key, e]));
      const surviving = before.filter((e) => e.removeAt > later);
      assert.ok(surviving.length > 0);
      for (const e of surviving) assert.deepEqual(after.get(e.key), e, `${e.key} at +${later - T0}ms`);
    }
  });

  test('has at least 4 sports and exactly the configured number of events at any time of a day', () => {
    for (let h = 0; h < 24; h += 1.37) {
      const t = T0 + h * HOUR;
      const events = scheduleAt(opts, t);
      assert.equal(events.length, 40);
      assert.deepEqual([...bySport(events).keys()].sort(), ['cricket', 'football', 'racing', 'tennis']);
      for (const e of events) assert.ok(e.appearAt <= t && t < e.removeAt, `${e.key} exists at t`);
      assert.equal(new Set(events.map((e) => e.eventId)).size, 40, 'event ids unique');
      const marketIds = events.flatMap((e) => e.markets.map((m) => m.marketId));
      assert.equal(new Set(marketIds).size, marketIds.length, 'market ids unique');
    }
    assert.equal(scheduleAt({ ...opts, events: 100 }, T0).length, 100);
    assert.equal(scheduleAt({ ...opts, events: 4 }, T0).length, 4);
    assert.deepEqual(lanePlan(40), { football: 14, racing: 10, tennis: 8, cricket: 8 });
  });

  test('mixes events in play now with events starting in minutes and in hours', () => {
    for (let h = 0; h < 24; h += 3.1) {
      const t = T0 + h * HOUR;
      const events = scheduleAt(opts, t);
      const inPlay = events.filter((e) => e.startAt <= t && t < e.endAt);
      const soon = events.filter((e) => e.startAt > t && e.startAt < t + 15 * 60_000);
      const later = events.filter((e) => e.startAt > t + HOUR);
      assert.ok(inPlay.length >= 5, `in play at +${h}h: ${inPlay.length}`);
      assert.ok(soon.length >= 5, `starting within 15 min at +${h}h: ${soon.length}`);
      assert.ok(later.length >= 5, `starting in over an hour at +${h}h: ${later.length}`);
    }
  });

  test('ids, names and markets look like Betfair', () => {
    const events = scheduleAt(opts, T0);
    const sports = bySport(events);
    for (const e of events) {
      assert.match(e.eventId, /^\d{8}$/);
      for (const m of e.markets) assert.match(m.marketId, /^1\.2\d{8}$/);
    }
    for (const e of sports.get('football') ?? []) {
      assert.equal(e.eventTypeId, '1');
      assert.match(e.name, /^.+ v .+$/);
      const [m] = e.markets;
      assert.equal(m?.marketType, 'MATCH_ODDS');
      assert.equal(m?.runners.length, 3);
      assert.deepEqual(m?.runners[2], { selectionId: DRAW_SELECTION_ID, name: 'The Draw', sortPriority: 3 });
      assert.ok(e.competition && e.competition.name.length > 0);
    }
    for (const e of [...(sports.get('tennis') ?? []), ...(sports.get('cricket') ?? [])]) {
      assert.ok(['2', '4'].includes(e.eventTypeId));
      assert.equal(e.markets[0]?.runners.length, 2);
    }
    for (const e of sports.get('racing') ?? []) {
      assert.equal(e.eventTypeId, '7');
      assert.ok(e.venue);
      const [win, place] = e.markets;
      assert.equal(win?.marketType, 'WIN');
      assert.ok(win && win.runners.length >= 6 && win.runners.length <= 14);
      assert.equal(new Set(win?.runners.map((r) => r.name)).size, win?.runners.length, 'distinct horses');
      assert.equal(place?.marketType, 'PLACE');
      assert.deepEqual(
        place?.runners.map((r) => r.selectionId),
        win?.runners.map((r) => r.selectionId),
      );
    }
  });

  test("over a day the fixtures include women's cricket, several competitions and racecourses", () => {
    const names = new Set<string>();
    const comps = new Set<string>();
    const venues = new Set<string>();
    for (let h = 0; h < 24; h += 0.5) {
      for (const e of scheduleAt(opts, T0 + h * HOUR)) {
        names.add(e.name);
        if (e.competition) comps.add(e.competition.name);
        if (e.venue) venues.add(e.venue);
      }
    }
    assert.ok(
      [...names].some((n) => / W v .+ W$/.test(n)),
      "a women's fixture such as England W v India W",
    );
    assert.ok(comps.size >= 10, `competitions: ${comps.size}`);
    assert.ok(venues.size >= 15, `racecourses: ${venues.size}`);
  });

  test('at speed 1 a race starts and settles within 3 minutes of any moment', () => {
    for (let i = 0; i < 200; i++) {
      const t = T0 + i * 7_919_333;
      const ok = scheduleAt(opts, t).some(
        (e) => e.sport === 'racing' && e.startAt >= t && e.settleAt <= t + 180_000,
      );
      assert.ok(ok, `no race started and settled within 3 minutes of ${new Date(t).toISOString()}`);
    }
  });

  test('durations follow the sport and shrink with speed', () => {
    const check = (speed: number): void => {
      const events = scheduleAt({ ...opts, speed }, T0);
      for (const e of events) {
        const minutes = ((e.endAt - e.startAt) * speed) / 60_000;
        const range = { football: [108, 117], tennis: [70, 150], cricket: [170, 203], racing: [1, 1.8] }[
          e.sport
        ];
        assert.ok(
          minutes >= range[0]! && minutes <= range[1]!,
          `${e.sport} lasts ${minutes} simulated minutes`,
        );
        assert.ok(
          e.appearAt <= e.startAt && e.startAt < e.endAt && e.endAt < e.settleAt && e.settleAt < e.removeAt,
        );
      }
    };
    check(1);
    check(10);
    check(600);
  });
});
