/**
 * The live Betfair source against the simulated Exchange Stream API over real TLS on 127.0.0.1: every
 * injected fault is recovered, and the cache ends equal to an uninterrupted reference run of the same
 * simulated markets (same simulator, same driven clock): no lost, stale or duplicated state.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as setImmediateP, setTimeout as sleep } from 'node:timers/promises';
import { decodeClk } from '../../../src/sim/esa/market-feed.js';
import { esaHarness, type Harness, type HarnessOptions } from './esa-harness.js';

async function withHarness(opts: HarnessOptions, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await esaHarness(opts);
  try {
    await h.until(() => h.source.stream?.state === 'subscribed', 'the first subscription');
    await h.run(500);
    await h.caughtUp();
    await body(h);
  } finally {
    await h.close();
  }
}

describe('Betfair stream over TLS against the simulated exchange', () => {
  test('image then deltas: the cache equals the reference run, names come from the catalogue', async () => {
    await withHarness({}, async (h) => {
      await h.run(3000);
      await h.caughtUp();
      h.assertEqualToReference();
      const st = h.source.status();
      assert.equal(st.state, 'connected');
      assert.ok(st.markets >= 3, `several markets streamed (${st.markets})`);
      const market = h.updates.find((u) => u.kind === 'market');
      assert.ok(market?.kind === 'market');
      assert.ok(
        market.market.runners.every((r) => !r.name.startsWith('Selection ')),
        'runner names from the catalogue',
      );
      const event = h.updates.find((u) => u.kind === 'event' && u.event.sportId === 1);
      assert.ok(
        event?.kind === 'event' && event.event.competition?.name,
        'football events carry their competition',
      );
    });
  });

  test('dropped connection: reconnects with initialClk/clk and the RESUB_DELTA restores the state', async () => {
    await withHarness({}, async (h) => {
      const client = h.source.stream!;
      h.bf.esa.inject({ fault: 'drop' });
      await h.run(1500); // the market moves while the client reconnects
      await h.caughtUp();
      h.assertEqualToReference();
      assert.ok(client.stats.connects >= 2, 'reconnected');
      assert.ok(client.stats.resumed >= 1, 'resumed with clocks (RESUB_DELTA), not a new image');
    });
  });

  test('stalled stream (no heartbeats): the watchdog reconnects after 2 × heartbeatMs', async () => {
    // The silence is measured from the last line the source received, not from the injection: on a loaded
    // machine the last heartbeat or delta may already be a while old when the stall is injected.
    // Lines of the connection opened after the watchdog fired are not counted.
    let lastLineAt = Date.now();
    let watchdogFired = () => false;
    const onRecord = () => {
      if (!watchdogFired()) lastLineAt = Date.now();
    };
    await withHarness({ source: { onRecord } }, async (h) => {
      const client = h.source.stream!;
      watchdogFired = () => client.stats.heartbeatTimeouts >= 1;
      h.bf.esa.inject({ fault: 'stall' });
      await h.until(watchdogFired, 'the heartbeat watchdog');
      const silentMs = Date.now() - lastLineAt;
      assert.ok(silentMs >= 900, `not before 2 × 500 ms of silence (${silentMs} ms)`);
      await h.run(500);
      await h.caughtUp();
      h.assertEqualToReference();
    });
  });

  test('stopped while still connecting: stop() returns at once and leaves no connection open', async () => {
    const h = await esaHarness();
    try {
      // The window between the catalogue settling and the TLS session is short: catch it turn by turn.
      const deadline = Date.now() + 15_000;
      while (h.source.stream?.state !== 'connecting' && Date.now() < deadline) await setImmediateP();
      assert.equal(h.source.stream?.state, 'connecting');
      const stopped = await Promise.race([h.source.stop().then(() => true), sleep(5000).then(() => false)]);
      assert.ok(stopped, 'stop() returned within 5 s');
      await h.until(() => h.bf.esa.connectionCount === 0, 'the server to see no connection');
      await sleep(300);
      assert.equal(h.bf.esa.connectionCount, 0, 'no connection was opened after stop()');
    } finally {
      await h.close();
    }
  });

  test('status 503: shown as degraded without disconnecting, then the held changes arrive', async () => {
    await withHarness({}, async (h) => {
      const client = h.source.stream!;
      h.bf.esa.inject({ fault: 'degraded', on: true });
      await h.run(500);
      await h.until(() => h.source.status().state === 'degraded', 'degraded state');
      assert.equal(h.source.status().connected, true);
      const held = decodeClk(h.source.current!.status().clk ?? '');
      assert.ok(held && held.clk < h.bf.hub.clk, 'changes are held back while degraded');
      h.bf.esa.inject({ fault: 'degraded', on: false });
      await h.run(300);
      await h.caughtUp();
      assert.equal(h.source.status().state, 'connected');
      assert.equal(client.stats.disconnects, 0, 'the connection was kept');
      h.assertEqualToReference();
    });
  });

  test('INVALID_CLOCK on resubscription: a fresh subscription (SUB_IMAGE) replaces the cache', async () => {
    await withHarness({}, async (h) => {
      const client = h.source.stream!;
      h.bf.esa.inject({ fault: 'invalidClock', times: 1 });
      h.bf.esa.inject({ fault: 'drop' });
      await h.run(1000);
      await h.until(() => client.stats.invalidClocks >= 1, 'INVALID_CLOCK');
      await h.caughtUp();
      h.assertEqualToReference();
      assert.equal(client.stats.lastErrorCode, 'INVALID_CLOCK');
    });
  });

  test('lines split across TCP writes, then merged: framing keeps every message', async () => {
    await withHarness({}, async (h) => {
      h.bf.esa.inject({ fault: 'writeMode', mode: 'split' });
      await h.run(1000);
      await h.caughtUp();
      h.assertEqualToReference();
      h.bf.esa.inject({ fault: 'writeMode', mode: 'merge' });
      h.bf.esa.inject({ fault: 'drop' }); // the image after reconnecting is merged too
      await h.run(1000);
      await h.caughtUp();
      h.assertEqualToReference();
      assert.equal(h.source.current!.status().malformed, 0);
    });
  });

  test('authentication refused while reconnecting: listMarketBook polling keeps prices, then the stream resumes', async () => {
    await withHarness({}, async (h) => {
      h.bf.esa.inject({ fault: 'refuseAuth', code: 'TIMEOUT', times: 6 });
      h.bf.esa.inject({ fault: 'drop' });
      await h.run(200);
      await h.until(() => (h.source.status().details.poller as { books: number }).books > 0, 'a polled book');
      assert.equal(h.source.status().state, 'degraded');
      await h.run(1000);
      await h.caughtUp();
      h.assertEqualToReference();
    });
  });

  test('segmented images and conflated updates', async () => {
    await withHarness({ sim: { maxSegmentBytes: 1500 }, source: { conflateMs: 150 } }, async (h) => {
      await h.run(2000);
      await h.caughtUp();
      h.assertEqualToReference();
      const p = h.source.current!;
      assert.ok(p.listener.market.segmented >= 1, 'the image came in segments');
      assert.ok(p.status().conflated > 0, 'conflated market changes counted');
      assert.ok(
        [...p.stream.markets()].some((m) => m.conflated > 0),
        'per market too',
      );
      assert.equal(p.listener.market.conflateMs, 150);
    });
  });

  test('best offers (EX_BEST_OFFERS, 3 levels) match the reference ladders’ top levels across a reconnect', async () => {
    const fields = ['EX_BEST_OFFERS', 'EX_TRADED_VOL', 'EX_LTP', 'EX_MARKET_DEF'];
    await withHarness({ source: { fields, ladderLevels: 3 } }, async (h) => {
      h.bf.esa.inject({ fault: 'drop' });
      await h.run(1500);
      await h.caughtUp();
      const p = h.source.current!;
      let runners = 0;
      for (const live of p.stream.markets()) {
        const ref = h.reference.stream.get(live.marketId)!.snapshot();
        const levels = (l: readonly { price: number; size: number }[]) =>
          l.slice(0, 3).map((x) => [x.price, x.size]);
        for (const r of live.snapshot().runners) {
          const rr = ref.runners.find((x) => x.selectionId === r.selectionId)!;
          assert.deepEqual(
            [levels(r.back), levels(r.lay), r.ltp, r.tv],
            [levels(rr.atb), levels(rr.atl), rr.ltp, rr.tv],
          );
          runners++;
        }
      }
      assert.ok(runners > 5);
    });
  });
});
