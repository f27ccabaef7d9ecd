import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { McmMessage, StreamMarketDefinition, PricePair } from '../../src/sim/stream-types.js';
import { isValidPrice } from '../../src/model/ticks.js';
import { harness } from './helpers.js';

/** Market definition keys betfairlightweight's MarketDefinition accepts (it rejects unknown ones). */
const BFLW_DEFINITION_KEYS = new Set(
  `betDelay bettingType bspMarket bspReconciled complete crossMatching discountAllowed eventId eventTypeId inPlay
  marketBaseRate marketTime numberOfActiveRunners numberOfWinners persistenceEnabled regulators runnersVoidable status
  timezone turnInPlayEnabled version runners openDate countryCode eachWayDivisor venue settledTime suspendTime
  marketType lineMaxUnit lineMinUnit lineInterval name eventName priceLadderDefinition keyLineDefinition raceType`.split(
    /\s+/,
  ),
);
const BFLW_RUNNER_KEYS = new Set([
  'id',
  'sortPriority',
  'status',
  'hc',
  'bsp',
  'adjustmentFactor',
  'removalDate',
  'name',
]);

function checkDefinition(def: StreamMarketDefinition): void {
  for (const k of Object.keys(def)) assert.ok(BFLW_DEFINITION_KEYS.has(k), `definition key ${k}`);
  for (const r of def.runners)
    for (const k of Object.keys(r)) assert.ok(BFLW_RUNNER_KEYS.has(k), `runner key ${k}`);
  assert.ok(['1', '2', '4', '7'].includes(def.eventTypeId));
  assert.ok(def.eventName.length > 0 && def.name.length > 0);
  assert.ok(def.runners.every((r) => r.name.length > 0 && Number.isInteger(r.id)));
  assert.ok(!Number.isNaN(Date.parse(def.marketTime)) && !Number.isNaN(Date.parse(def.openDate)));
}

function checkPairs(pairs: PricePair[] | undefined, sizeZeroAllowed: boolean): void {
  for (const [p, s] of pairs ?? []) {
    assert.ok(isValidPrice(p), `price ${p}`);
    assert.ok(s > 0 || (sizeZeroAllowed && s === 0), `size ${s}`);
  }
}

type Ladder = Map<number, number>;
interface RunnerState {
  atb: Ladder;
  atl: Ladder;
  trd: Ladder;
  ltp?: number;
  tv?: number;
}
interface MarketState {
  def?: StreamMarketDefinition;
  tv?: number;
  runners: Map<number, RunnerState>;
}

function applyPairs(ladder: Ladder, pairs: PricePair[] | undefined): void {
  for (const [p, s] of pairs ?? []) {
    if (s === 0) ladder.delete(p);
    else ladder.set(p, s);
  }
}

/** A minimal client cache: applies images and deltas the way betfairlightweight does. */
function applyMessage(cache: Map<string, MarketState>, msg: McmMessage): void {
  for (const mc of msg.mc ?? []) {
    if (mc.img || !cache.has(mc.id)) cache.set(mc.id, { runners: new Map() });
    const m = cache.get(mc.id)!;
    if (mc.marketDefinition) m.def = mc.marketDefinition;
    if (mc.tv !== undefined) m.tv = mc.tv;
    for (const rc of mc.rc ?? []) {
      let r = m.runners.get(rc.id);
      if (!r) m.runners.set(rc.id, (r = { atb: new Map(), atl: new Map(), trd: new Map() }));
      applyPairs(r.atb, rc.atb);
      applyPairs(r.atl, rc.atl);
      applyPairs(r.trd, rc.trd);
      if (rc.ltp !== undefined) r.ltp = rc.ltp;
      if (rc.tv !== undefined) r.tv = rc.tv;
    }
  }
}

describe('simulator stream messages', () => {
  test('start with a SUB_IMAGE carrying clocks and full market definitions with names', () => {
    const h = harness();
    const [first] = h.messages;
    assert.ok(first);
    assert.equal(first.op, 'mcm');
    assert.equal(first.ct, 'SUB_IMAGE');
    assert.equal(typeof first.initialClk, 'string');
    assert.equal(typeof first.clk, 'string');
    assert.equal(first.heartbeatMs, 5000);
    assert.equal(first.conflateMs, 0);
    assert.equal(first.pt, h.clock.now());
    assert.ok((first.mc?.length ?? 0) >= 30);
    for (const mc of first.mc ?? []) {
      assert.equal(mc.img, true);
      assert.match(mc.id, /^1\.2\d{8}$/);
      assert.ok(mc.marketDefinition);
      checkDefinition(mc.marketDefinition);
      assert.equal(mc.rc?.length, mc.marketDefinition.runners.length);
      for (const rc of mc.rc ?? []) {
        checkPairs(rc.atb, false);
        checkPairs(rc.atl, false);
        checkPairs(rc.trd, false);
        assert.ok((rc.tv ?? 0) > 0);
      }
    }
    assert.ok(JSON.parse(JSON.stringify(first)));
  });

  test('then deltas with increasing clk, changed ladders only, and new markets as images', () => {
    const h = harness();
    h.run(120_000);
    const deltas = h.messages.slice(1);
    assert.ok(deltas.length > 2000);
    let clk = Number(h.messages[0]?.clk);
    let pt = h.messages[0]?.pt ?? 0;
    let newMarkets = 0;
    for (const msg of deltas) {
      assert.equal(msg.op, 'mcm');
      assert.ok(Number(msg.clk) > clk, 'clk increases');
      assert.ok(msg.pt >= pt, 'pt does not go back');
      clk = Number(msg.clk);
      pt = msg.pt;
      assert.equal(msg.initialClk, undefined);
      if (msg.ct === 'HEARTBEAT') continue;
      assert.equal(msg.ct, undefined);
      for (const mc of msg.mc ?? []) {
        if (mc.img) newMarkets++;
        if (mc.marketDefinition) checkDefinition(mc.marketDefinition);
        for (const rc of mc.rc ?? []) {
          assert.ok(Object.keys(rc).length > 1, 'a runner change changes something');
          checkPairs(rc.atb, true);
          checkPairs(rc.atl, true);
          checkPairs(rc.trd, false);
        }
      }
    }
    assert.ok(newMarkets >= 2, 'races added during the run arrive as images');
  });

  test('applying the image and every delta reproduces the simulator state', () => {
    const h = harness();
    h.run(90_000);
    const cache = new Map<string, MarketState>();
    for (const msg of h.messages) applyMessage(cache, msg);
    const snap = h.sim.snapshotMessage();
    for (const mc of snap.mc ?? []) {
      const m = cache.get(mc.id);
      assert.ok(m, `${mc.id} known to the client`);
      assert.deepEqual(m.def, mc.marketDefinition);
      assert.equal(m.tv, mc.tv);
      for (const rc of mc.rc ?? []) {
        const r = m.runners.get(rc.id);
        assert.ok(r);
        assert.deepEqual(r.atb, new Map(rc.atb), `${mc.id}/${rc.id} atb`);
        assert.deepEqual(r.atl, new Map(rc.atl), `${mc.id}/${rc.id} atl`);
        assert.deepEqual(r.trd, new Map(rc.trd), `${mc.id}/${rc.id} trd`);
        assert.equal(r.ltp, rc.ltp);
        assert.equal(r.tv, rc.tv);
      }
    }
    const current = new Set((snap.mc ?? []).map((mc) => mc.id));
    for (const [id, m] of cache)
      if (!current.has(id)) assert.equal(m.def?.status, 'CLOSED', `${id} left closed`);
  });

  test('a large image can be split into SEG_START … SEG_END segments that join into the whole', () => {
    const h = harness();
    h.run(1000);
    const whole = h.sim.snapshotMessage({ id: 3 });
    const parts = h.sim.snapshotSegments(10, { id: 3 });
    assert.ok(parts.length >= 4);
    assert.deepEqual(
      parts.map((p) => p.segmentType),
      ['SEG_START', ...parts.slice(1, -1).map(() => 'SEG'), 'SEG_END'],
    );
    for (const p of parts) {
      assert.equal(p.ct, 'SUB_IMAGE');
      assert.equal(p.clk, whole.clk);
      assert.ok((p.mc?.length ?? 0) <= 10);
    }
    assert.deepEqual(
      parts.flatMap((p) => p.mc),
      whole.mc,
    );
    assert.deepEqual(h.sim.snapshotSegments(1000), [h.sim.snapshotMessage()]);
    const got: McmMessage[] = [];
    h.sim.subscribe((m) => got.push(m), { segmentSize: 20 });
    assert.equal(got[0]?.segmentType, 'SEG_START');
    assert.equal(got.at(-1)?.segmentType, 'SEG_END');
  });

  test('heartbeats when nothing changes for heartbeatMs', () => {
    const h = harness({ rate: 0, heartbeatMs: 1000 });
    h.run(30_000);
    const beats = h.messages.filter((m) => m.ct === 'HEARTBEAT');
    assert.ok(beats.length >= 10, `heartbeats: ${beats.length}`);
    for (const b of beats) {
      assert.equal(b.mc, undefined);
      assert.equal(typeof b.clk, 'string');
    }
    for (let i = 1; i < h.messages.length; i++) {
      assert.ok(h.messages[i]!.pt - h.messages[i - 1]!.pt <= 1000 + h.sim.tickMs);
    }
  });

  test('late subscribers get a current image; every subscriber gets its own subscription id', () => {
    const h = harness();
    h.run(3000);
    const late: McmMessage[] = [];
    const stop = h.sim.subscribe((m) => late.push(m), { id: 42 });
    assert.equal(late[0]?.ct, 'SUB_IMAGE');
    assert.equal(late[0]?.clk, h.messages.at(-1)?.clk);
    assert.equal(late[0]?.id, 42);
    h.run(1000);
    assert.ok(late.length > 10 && late.every((m) => m.id === 42));
    assert.deepEqual(
      late.slice(1).map((m) => m.clk),
      h.messages.slice(-(late.length - 1)).map((m) => m.clk),
    );
    stop();
    h.run(1000);
    const n = late.length;
    h.run(500);
    assert.equal(late.length, n, 'no messages after unsubscribe');
  });
});
