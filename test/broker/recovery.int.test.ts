import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { feed } from '../helpers/app.js';
import { sampleUpdates, SAMPLE_EVENTS } from '../helpers/fixtures.js';
import type { SourceUpdate } from '../../src/model/index.js';
import { EV, listeningApp, priceUpdate, range, seqsOf, sleep, TestClient, type Msg } from './helpers.js';

const TENNIS = SAMPLE_EVENTS[1] as (typeof SAMPLE_EVENTS)[number];

/** Pushes `perTick` price updates every 10 ms (100 ticks/s) until stopped. */
function produce(app: FastifyInstance, perTick: number): { stop: () => Promise<void>; count: () => number } {
  let n = 0;
  const timer = setInterval(() => {
    const batch: SourceUpdate[] = [];
    for (let i = 0; i < perTick; i++) {
      n++;
      const u =
        n % 2 === 0 ? priceUpdate(n) : { ...priceUpdate(n, TENNIS.marketId), upstreamEventId: TENNIS.bfi };
      batch.push(u);
    }
    app.ingest.push(batch);
  }, 10);
  return {
    count: () => n,
    stop: async () => {
      clearInterval(timer);
      await app.settle();
    },
  };
}

describe('recovery with since', () => {
  test('a client drops while 400+ messages pass (updates at up to 200/s) and resumes: exactly the missed messages, then live, no gap, no duplicate', async () => {
    const { app, url } = await listeningApp();
    await feed(app, sampleUpdates());
    const ref = await TestClient.connect(url);
    const start = (await ref.subscribe('all')).seq as number;
    const prod = produce(app, 2);
    let b: TestClient | null = null;
    try {
      const a = await TestClient.connect(url);
      assert.equal(((await a.subscribe('all')).seq as number) >= start, true);
      await sleep(1000);
      const seen = a.pushes('all');
      const last = seen[seen.length - 1]?.seq as number;
      assert.ok(last > start, 'live messages before the drop');
      a.ws.terminate();
      // Away until 400 messages have passed (about 5 s on a quiet machine), however slow the producer's
      // timer runs on a busy one: the test waits on what happened, never on how fast (bounded at 60 s).
      for (let i = 0; i < 600 && app.broker.lastSeq('all') < last + 400; i++) await sleep(100);
      b = await TestClient.connect(url);
      const sub = await b.subscribe('all', { since: last });
      const rec = await b.next((m) => m.type === 'recovery');
      assert.equal(rec.recovered, true);
      assert.equal(rec.since, last);
      assert.equal(rec.count, (sub.seq as number) - last);
      assert.ok((rec.count as number) >= 400, `400+ messages missed (${String(rec.count)})`);
      await sleep(1000);
      await prod.stop();
      const end = app.broker.lastSeq('all');
      await ref.waitPushes('all', end - start);
      await b.waitPushes('all', end - last);
      const refMsgs = ref.pushes('all');
      assert.deepEqual(seqsOf(refMsgs), range(start + 1, end));
      const resumed = [...seen, ...b.pushes('all')];
      assert.deepEqual(seqsOf(resumed), range(seen[0]?.seq as number, end), 'no gap, no duplicate');
      const bySeq = new Map(refMsgs.map((m) => [m.seq, m]));
      for (const m of resumed) assert.deepEqual(m, bySeq.get(m.seq) as Msg, `message ${m.seq} identical`);
    } finally {
      await prod.stop();
      await ref.close();
      await b?.close();
      await app.close();
    }
  });

  test('since older than the window: recovery {recovered:false} then a snapshot of the room, then live', async () => {
    const { app, url } = await listeningApp({ config: { ws: { recoveryWindowSec: 1 } } });
    await feed(app, sampleUpdates());
    const prod = produce(app, 1);
    let b: TestClient | null = null;
    try {
      const a = await TestClient.connect(url);
      await a.subscribe(`event:${EV.bfi}`);
      const first = await a.next((m) => m.type === 'market_odds');
      const room = first.room as string;
      a.ws.terminate();
      await sleep(1500);
      b = await TestClient.connect(url);
      const sub = await b.subscribe(room, { since: first.seq });
      const rec = await b.next((m) => m.type === 'recovery');
      assert.deepEqual([rec.recovered, rec.room, rec.seq], [false, room, sub.seq]);
      const snap = await b.next((m) => m.snapshot === true && m.type === 'market_odds');
      assert.equal(snap.seq, sub.seq);
      assert.equal(snap.marketId, EV.marketId);
      const state = app.readModel.markets.get(EV.marketId);
      const ev = await b.next((m) => m.snapshot === true && m.type === 'event_update');
      assert.equal(ev.bfi, EV.bfi);
      const live = await b.next((m) => m.snapshot !== true && m.type === 'market_odds');
      assert.equal(live.seq, (sub.seq as number) + 1, 'live continues right after the snapshot position');
      assert.ok(((snap.data as { version: number }).version ?? 0) <= (state?.version ?? 0));
    } finally {
      await prod.stop();
      await b?.close();
      await app.close();
    }
  });

  test('a restarted instance fills its window from the update log: recovery across a restart', async () => {
    const { MemoryStore } = await import('../../src/store/memory-store.js');
    const store = new MemoryStore({ logMaxLen: 10_000 });
    const noClose = Object.assign(Object.create(store) as typeof store, { close: async () => undefined });
    const one = await listeningApp({ store: noClose });
    await feed(one.app, sampleUpdates());
    const c = await TestClient.connect(one.url);
    await c.subscribe('odds');
    await feed(one.app, [priceUpdate(1)]);
    const seen = await c.next((m) => m.type === 'match_odds');
    await c.close();
    await feed(one.app, [priceUpdate(2), priceUpdate(3)]);
    await one.app.ingest.drain();
    const end = one.app.broker.lastSeq('odds');
    await one.app.close();
    const two = await listeningApp({ store: noClose });
    try {
      const d = await TestClient.connect(two.url);
      const sub = await d.subscribe('odds', { since: seen.seq });
      assert.equal(sub.seq, end);
      const rec = await d.next((m) => m.type === 'recovery');
      assert.equal(rec.recovered, true);
      const got = await d.waitPushes('odds', end - (seen.seq as number));
      assert.deepEqual(seqsOf(got), range((seen.seq as number) + 1, end));
      await feed(two.app, [priceUpdate(4)]);
      const next = await d.next((m) => m.seq === end + 1);
      assert.equal(next.type, 'match_odds', 'seqs continue after the restart');
      await d.close();
    } finally {
      await two.app.close();
      await store.close();
    }
  });
});
