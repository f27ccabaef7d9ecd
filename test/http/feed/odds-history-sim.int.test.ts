import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { listeningApp, TestClient } from '../../broker/helpers.js';
import { pgliteBackend, type Backend } from '../../records/helpers.js';
import { driveSimulator } from './sim-driver.js';

interface Pushed {
  ts: number;
  marketId: string;
  data: { selections: Array<{ selection_id: number; back: Array<{ odds: number }> }> };
}

describe('history candles agree with what the WebSocket pushed (simulated exchange)', () => {
  let backend: Backend;
  let app: FastifyInstance;
  let client: TestClient;
  const store = new MemoryStore({ logMaxLen: 50_000 });

  before(async () => {
    backend = await pgliteBackend();
    const records = await backend.open();
    let url: string;
    ({ app, url } = await listeningApp({ store, records, config: { history: { flushMs: 20 } } }));
    client = await TestClient.connect(url);
    await client.subscribe('all');
  });
  after(async () => {
    await client?.close();
    await app?.close();
    await backend?.cleanup();
  });

  test('each 1 s candle closes at the last best back pushed in its second, for every runner', async () => {
    // The log stamps each change with the wall clock, and a fast machine runs 40 simulated seconds within
    // a few real ones: drive (the same markets again) until the changes span enough seconds to compare.
    const seconds = async () =>
      new Set(
        (await store.readLog(null, 1_000_000))
          .filter((e) => e.change.type === 'market')
          .map((e) => Math.floor(e.ts / 1000)),
      ).size;
    await driveSimulator(app, 40);
    for (let round = 0; round < 30 && (await seconds()) < 15; round++) await driveSimulator(app, 40);
    const last = (await store.readLog(null, 1_000_000)).at(-1)!.id;
    const deadline = Date.now() + 60_000;
    while (app.history!.writer!.stats.position !== last) {
      if (Date.now() > deadline) throw new Error('history did not catch up');
      await new Promise((r) => setTimeout(r, 20));
    }
    // Every push of the last change has reached the client too (the pushes compared are complete).
    const lastTs = (await store.readLog(null, 1_000_000))
      .filter((e) => e.change.type === 'market')
      .at(-1)!.ts;
    const pushed = () => client.messages.filter((m) => m.type === 'market_odds') as unknown as Pushed[];
    while (!pushed().some((p) => p.ts >= lastTs)) {
      if (Date.now() > deadline) throw new Error('pushes did not arrive');
      await new Promise((r) => setTimeout(r, 20));
    }
    const pushes = pushed();
    assert.ok(pushes.length > 50, `${pushes.length} market_odds pushed`);
    // The market that moved most.
    const counts = new Map<string, number>();
    for (const p of pushes) counts.set(p.marketId, (counts.get(p.marketId) ?? 0) + 1);
    const [marketId] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const mine = pushes.filter((p) => p.marketId === marketId);
    const eventId = app.readModel.markets.get(marketId)!.eventId;
    // The last best back pushed per (runner, second).
    const want = new Map<string, number>();
    for (const p of mine)
      for (const s of p.data.selections) {
        const back = s.back[0]?.odds;
        if (back !== undefined) want.set(`${s.selection_id}:${Math.floor(p.ts / 1000) * 1000}`, back);
      }
    const from = mine[0]!.ts;
    const to = mine.at(-1)!.ts + 1;
    const res = await app.inject({
      url: `/api/v1/feed/event/${eventId}/odds/history?interval=1s&market=${marketId}&from=${from}&to=${to}`,
    });
    assert.equal(res.statusCode, 200, res.body);
    const runners = res.json().data.markets[0].runners as Array<{
      selection_id: number;
      points: Array<{ ts: number; back: { close: number } | null }>;
    }>;
    let compared = 0;
    for (const r of runners)
      for (const c of r.points) {
        const pushed = want.get(`${r.selection_id}:${c.ts}`);
        if (c.back === null || pushed === undefined) continue;
        assert.equal(c.back.close, pushed, `runner ${r.selection_id} at ${new Date(c.ts).toISOString()}`);
        compared++;
      }
    assert.ok(compared >= 10, `${compared} candle closes compared`);
    // 1-minute candles close where the last 1 s candle of their minute does (whole minutes of both).
    const m0 = Math.floor(from / 60_000) * 60_000;
    const m1 = Math.ceil(to / 60_000) * 60_000;
    const range = `market=${marketId}&from=${m0}&to=${m1}`;
    const minutes = await app.inject({
      url: `/api/v1/feed/event/${eventId}/odds/history?interval=1m&${range}`,
    });
    const allSeconds = await app.inject({
      url: `/api/v1/feed/event/${eventId}/odds/history?interval=1s&${range}`,
    });
    const secondRunners = allSeconds.json().data.markets[0].runners as typeof runners;
    for (const r of minutes.json().data.markets[0].runners as typeof runners) {
      const seconds = secondRunners
        .find((x) => x.selection_id === r.selection_id)!
        .points.filter((p) => p.back);
      for (const m of r.points) {
        const inMinute = seconds.filter((s) => s.ts >= m.ts && s.ts < m.ts + 60_000);
        if (inMinute.length > 0 && m.back)
          assert.equal(
            m.back.close,
            inMinute.at(-1)!.back!.close,
            `1m close of ${r.selection_id} at ${m.ts}`,
          );
      }
    }
  });
});
