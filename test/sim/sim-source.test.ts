import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceMarket, SourceUpdate } from '../../src/model/index.js';
import { ManualClock } from '../../src/core/clock.js';
import { SimSource } from '../../src/sim/sim-source.js';
import { createBetfairPipeline } from '../../src/sources/betfair/pipeline.js';
import { T0, harness } from './helpers.js';

const SIM = { speed: 1, seed: 20261122, rate: 300, events: 40 };

async function started() {
  const clock = new ManualClock(T0);
  const source = new SimSource({ sim: SIM }, { now: clock.now, timer: false });
  const updates: SourceUpdate[] = [];
  await source.start((u) => updates.push(...u));
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      source.simulator?.tick();
    }
  };
  return { clock, source, updates, run };
}

/** Latest market per id. */
function latestMarkets(updates: SourceUpdate[]): Map<string, SourceMarket> {
  const out = new Map<string, SourceMarket>();
  for (const u of updates) if (u.kind === 'market') out.set(u.market.id, u.market);
  return out;
}

describe('SimSource through the Betfair pipeline', () => {
  test('normalizes the simulated stream into ≥ 30 events of 4 sports with numeric ladders', async () => {
    const { source, updates } = await started();
    const events = new Map<string, Extract<SourceUpdate, { kind: 'event' }>>();
    for (const u of updates) if (u.kind === 'event') events.set(u.upstreamEventId, u);
    assert.ok(events.size >= 30, `events: ${events.size}`);
    assert.deepEqual(new Set([...events.values()].map((e) => e.event.sportId)), new Set([1, 2, 3, 26]));
    for (const e of events.values()) {
      assert.equal(e.source, 'sim');
      assert.ok(e.event.name.length > 0);
      if (e.event.sportId !== 26) {
        assert.ok(e.event.team1 && e.event.team2, `${e.event.name} has teams`);
        assert.ok(e.event.competition?.name, `${e.event.name} has a competition`);
      }
    }
    const markets = latestMarkets(updates);
    assert.ok(markets.size >= 40);
    for (const m of markets.values()) {
      assert.equal(m.source, 'sim');
      for (const r of m.runners) {
        assert.ok(r.name.length > 0 && !/^\d+$/.test(r.name), 'runner names come from the definition');
        // three levels a side, fewer only where the ladder ends (a near-certain favourite backed at 1.01–1.02)
        const deep =
          (r.back.length >= 3 || r.back.at(-1)?.price === 1.01) &&
          (r.lay.length >= 3 || r.lay.at(-1)?.price === 1000);
        assert.ok(deep, `${m.id}/${r.selectionId} ladders`);
        for (const l of [...r.back, ...r.lay])
          assert.ok(typeof l.price === 'number' && typeof l.size === 'number');
        for (let i = 1; i < r.back.length; i++)
          assert.ok(r.back[i]!.price < r.back[i - 1]!.price, 'back best first');
        for (let i = 1; i < r.lay.length; i++)
          assert.ok(r.lay[i]!.price > r.lay[i - 1]!.price, 'lay best first');
        assert.ok(r.back[0]!.price < r.lay[0]!.price);
      }
      assert.ok(m.totalMatched > 0);
    }
    const st = source.status();
    assert.equal(st.state, 'connected');
    assert.equal(st.frames, 1);
    assert.ok(st.markets >= 40 && typeof st.lastUpdateAt === 'number');
    await source.stop();
    assert.equal(source.status().state, 'stopped');
  });

  test('closed markets leave the source after CLOSED_MARKET_TTL_SEC, as with a live Betfair source', async () => {
    const clock = new ManualClock(T0);
    const source = new SimSource({ sim: SIM, closedMarketTtlSec: 10 }, { now: clock.now, timer: false });
    const seen = new Set<string>();
    const closedAt = new Map<string, number>();
    await source.start((updates) => {
      for (const u of updates) {
        if (u.kind !== 'market') continue;
        seen.add(u.market.id);
        if (u.market.status === 'CLOSED' && !closedAt.has(u.market.id))
          closedAt.set(u.market.id, clock.now());
      }
    });
    for (let t = 0; t < 300_000; t += 50) {
      clock.advance(50);
      source.simulator?.tick();
    }
    // closed more than the TTL plus a sweep (a tenth of it) ago: forgotten
    const gone = [...closedAt.values()].filter((at) => clock.now() - at > 11_100).length;
    assert.ok(gone >= 2, `races closed in 5 min: ${gone}`);
    assert.ok(
      source.status().markets <= seen.size - gone,
      `held ${source.status().markets} of ${seen.size} seen, ${gone} closed > 11 s ago`,
    );
    await source.stop();
  });

  test('prices move, races settle with a winner and the status counts frames', async () => {
    const { source, updates, run } = await started();
    const before = latestMarkets(updates);
    run(180_000);
    const after = latestMarkets(updates);
    let moved = 0;
    for (const [id, m] of after) {
      const b = before.get(id);
      if (
        b &&
        JSON.stringify(b.runners.map((r) => r.back[0])) !== JSON.stringify(m.runners.map((r) => r.back[0]))
      )
        moved++;
    }
    assert.ok(moved >= 20, `markets whose best back moved: ${moved}`);
    const settled = [...after.values()].filter((m) => m.type === 'WIN' && m.status === 'CLOSED');
    assert.ok(settled.length >= 1);
    for (const m of settled) assert.equal(m.runners.filter((r) => r.status === 'WINNER').length, 1);
    const st = source.status();
    assert.equal(st.frames, 3601);
    assert.equal(st.lastError, null);
    await source.stop();
  });

  test('status follows every frame and counter, and is built once between changes', async () => {
    const { source, run } = await started();
    const a = source.status();
    assert.equal(source.status(), a, 'nothing moved: the same status');
    assert.ok(Object.isFrozen(a) && Object.isFrozen(a.details), 'shared, so frozen');
    run(1000);
    const b = source.status();
    assert.notEqual(b, a);
    assert.equal(b.frames, a.frames + 20);
    assert.equal(b.details.clk, source.simulator?.stats().clk);
    assert.equal(b.details.runnerChanges, source.simulator?.stats().runnerChanges);
    assert.ok((b.details.updatesPushed as number) > (a.details.updatesPushed as number));
    assert.equal(a.frames, 1, 'a status handed out earlier is not changed');
    await source.stop();
    const c = source.status();
    assert.equal(c.state, 'stopped');
    assert.equal(c.connected, false);
  });

  test('a segmented image reassembles in the pipeline into every market', () => {
    const h = harness();
    h.run(2000);
    const updates: SourceUpdate[] = [];
    const pipeline = createBetfairPipeline({
      source: 'sim',
      sink: (u) => updates.push(...u),
      clock: h.clock.now,
    });
    h.sim.subscribe((m) => pipeline.handleMessage(m), { segmentSize: 7 });
    assert.equal(pipeline.status().markets, h.sim.marketCount());
    assert.equal(latestMarkets(updates).size, h.sim.marketCount());
    assert.equal(pipeline.status().malformed, 0);
  });
});
