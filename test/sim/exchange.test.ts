import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidPrice, ticksBetween } from '../../src/model/ticks.js';
import type { StreamMarketChange } from '../../src/sim/stream-types.js';
import { definitions, harness, marketChanges } from './helpers.js';

function bestSpreadTicks(mc: StreamMarketChange): number[] {
  return (mc.rc ?? []).map((rc) => {
    const back = Math.max(...(rc.atb ?? []).map(([p]) => p));
    const lay = Math.min(...(rc.atl ?? []).map(([p]) => p));
    return ticksBetween(back, lay);
  });
}

describe('ExchangeSimulator markets', () => {
  test('a race goes in play and settles with exactly one WINNER within 3 simulated minutes at speed 1', () => {
    const h = harness();
    h.run(180_000);
    const defs = definitions(h.messages);
    const settled = [...defs.entries()].filter(([, ds]) =>
      ds.some((d) => d.marketType === 'WIN' && d.status === 'CLOSED'),
    );
    assert.ok(settled.length >= 1, 'a WIN market closed');
    const fullLife = settled.filter(([, ds]) => {
      const pre = ds.findIndex((d) => d.status === 'OPEN' && !d.inPlay);
      const live = ds.findIndex((d, i) => i > pre && d.status === 'OPEN' && d.inPlay);
      return pre >= 0 && live > pre;
    });
    assert.ok(fullLife.length >= 1, 'a race seen before the off went in play and settled');
    for (const [id, ds] of settled) {
      const closed = ds.find((d) => d.status === 'CLOSED');
      assert.ok(closed);
      const winners = closed.runners.filter((r) => r.status === 'WINNER');
      assert.equal(winners.length, 1, `${id} has one winner`);
      assert.ok(closed.runners.every((r) => r.status === 'WINNER' || r.status === 'LOSER'));
      assert.ok(closed.inPlay && closed.bspReconciled);
      assert.ok(closed.runners.every((r) => typeof r.bsp === 'number' && r.bsp >= 1.01));
      assert.match(closed.settledTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      assert.equal(closed.numberOfActiveRunners, 0);
    }
    const place = [...defs.values()].flat().find((d) => d.marketType === 'PLACE' && d.status === 'CLOSED');
    assert.ok(place, 'a PLACE market settled too');
    assert.equal(place.runners.filter((r) => r.status === 'WINNER').length, place.numberOfWinners);
  });

  test('ladders have 3 levels each side (fewer at 1.01 or 1000) on valid ticks, back below lay, and a small overround', () => {
    const h = harness();
    h.run(20_000);
    const image = h.sim.snapshotMessage();
    let checked = 0;
    for (const mc of image.mc ?? []) {
      const def = mc.marketDefinition;
      assert.ok(def);
      for (const rc of mc.rc ?? []) {
        // three levels a side, fewer only where the ladder ends (a near-certain favourite backed at 1.01–1.02)
        const backs = (rc.atb ?? []).map(([p]) => p);
        const lays = (rc.atl ?? []).map(([p]) => p);
        assert.ok(
          backs.length >= 3 || (backs.length > 0 && Math.min(...backs) === 1.01),
          `${mc.id}/${rc.id} back depth`,
        );
        assert.ok(
          lays.length >= 3 || (lays.length > 0 && Math.max(...lays) === 1000),
          `${mc.id}/${rc.id} lay depth`,
        );
        for (const [p, s] of [...(rc.atb ?? []), ...(rc.atl ?? [])]) {
          assert.ok(isValidPrice(p), `${p} is a ladder price`);
          assert.ok(s >= 2, 'sizes are at least the £2 minimum');
        }
        assert.ok(Math.max(...rc.atb!.map(([p]) => p)) < Math.min(...rc.atl!.map(([p]) => p)), 'back < lay');
        checked++;
      }
      if (def.status !== 'OPEN' || def.inPlay || def.marketType === 'PLACE') continue;
      // pre-match: implied probabilities sum to a little over 100 % at the best back prices
      const backBook = (mc.rc ?? []).reduce((s, rc) => s + 1 / Math.max(...rc.atb!.map(([p]) => p)), 0);
      const layBook = (mc.rc ?? []).reduce((s, rc) => s + 1 / Math.min(...rc.atl!.map(([p]) => p)), 0);
      assert.ok(backBook > 1 && backBook < 1.06, `${mc.id} back book ${backBook}`);
      assert.ok(layBook > 0.94 && layBook < 1, `${mc.id} lay book ${layBook}`);
    }
    assert.ok(checked > 200);
  });

  test('spreads are wider in play than before the start', () => {
    const h = harness();
    h.run(10_000);
    const pre: number[] = [];
    const live: number[] = [];
    for (const mc of h.sim.snapshotMessage().mc ?? []) {
      const def = mc.marketDefinition;
      if (def?.status !== 'OPEN' || def.marketType === 'PLACE') continue;
      (def.inPlay ? live : pre).push(...bestSpreadTicks(mc));
    }
    const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(pre.length > 20 && live.length > 10);
    assert.ok(avg(live) > avg(pre) * 1.5, `in play ${avg(live)} ticks vs pre-match ${avg(pre)}`);
  });

  test('football and cricket matches suspend on goals and wickets and reopen in play with moved prices', () => {
    const h = harness({ speed: 60 }, Date.UTC(2026, 10, 22, 18, 0, 0));
    h.run((4 * 3600_000) / 60, 100);
    const defs = definitions(h.messages);
    const suspensions: string[] = [];
    for (const [id, ds] of defs) {
      if (ds[0]?.eventTypeId !== '1' && ds[0]?.eventTypeId !== '4') continue;
      for (let i = 1; i < ds.length - 1; i++) {
        const [prev, cur, next] = [ds[i - 1]!, ds[i]!, ds[i + 1]!];
        if (prev.status === 'OPEN' && prev.inPlay && cur.status === 'SUSPENDED' && next.status === 'OPEN')
          suspensions.push(id);
      }
    }
    assert.ok(suspensions.length >= 3, `in-play suspensions: ${suspensions.length}`);
    const closed = [...defs.values()]
      .flat()
      .filter((d) => d.marketType === 'MATCH_ODDS' && d.status === 'CLOSED');
    assert.ok(closed.length >= 3, 'matches finished');
    for (const d of closed) assert.equal(d.runners.filter((r) => r.status === 'WINNER').length, 1);
  });

  test('traded volume and last traded prices grow', () => {
    const h = harness();
    const tv0 = new Map((h.sim.snapshotMessage().mc ?? []).map((mc) => [mc.id, mc.tv ?? 0]));
    h.run(30_000);
    const trades = marketChanges(h.messages).flatMap(({ mc }) => (mc.rc ?? []).filter((rc) => rc.trd));
    assert.ok(trades.length > 1000);
    for (const rc of trades.slice(0, 200)) {
      assert.ok(typeof rc.ltp === 'number' && isValidPrice(rc.ltp));
      assert.ok(rc.trd?.some(([p]) => p === rc.ltp));
    }
    let grew = 0;
    for (const mc of h.sim.snapshotMessage().mc ?? [])
      if ((mc.tv ?? 0) > (tv0.get(mc.id) ?? Infinity)) grew++;
    assert.ok(grew > 30, `markets whose volume grew: ${grew}`);
  });

  test('the runner-change rate is close to the configured rate', () => {
    for (const rate of [300, 1200]) {
      const h = harness({ rate });
      h.run(60_000);
      const changes = marketChanges(h.messages.slice(1))
        .filter(({ mc }) => !mc.img)
        .reduce((n, { mc }) => n + (mc.rc?.length ?? 0), 0);
      const perSecond = changes / 60;
      assert.ok(Math.abs(perSecond - rate) / rate < 0.05, `rate ${rate}: ${perSecond}/s`);
    }
  });

  test('is deterministic for a seed and a clock', () => {
    const a = harness({ seed: 7 });
    const b = harness({ seed: 7 });
    a.run(5000);
    b.run(5000);
    assert.deepEqual(a.messages, b.messages);
    const c = harness({ seed: 8 });
    c.run(5000);
    assert.notDeepEqual(a.messages.slice(1), c.messages.slice(1));
  });

  test('reports its markets and events', () => {
    const h = harness();
    const s = h.sim.stats();
    assert.ok(s.events >= 30 && s.events <= 40);
    assert.ok(s.markets > s.events);
    const [ev] = h.sim.events();
    assert.ok(ev);
    assert.ok(h.sim.eventState(ev.eventId));
    h.unsubscribe();
  });
});
