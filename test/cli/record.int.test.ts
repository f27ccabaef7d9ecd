/**
 * `oddsgate record` against the simulated exchange over TLS: the NDJSON it writes replays through
 * `inspect` (and the pipeline) to the same final state as the recorder's live cache, across a reconnect.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFile, type InspectMarket } from '../../src/cli/inspect.js';
import { recordCommand, startRecording } from '../../src/cli/record.js';
import { decodeClk } from '../../src/sim/esa/market-feed.js';
import { lines, readHistoricalFile } from '../../src/sources/betfair/historical.js';
import type { MarketSnapshot } from '../../src/sources/betfair/market-cache.js';
import { createBetfairPipeline } from '../../src/sources/betfair/pipeline.js';
import { esaHarness, marketView, sourceOptions } from '../sources/betfair/esa-harness.js';

/** What inspect reports as the final state of a market, computed from a cache snapshot. */
function finalOf(
  m: MarketSnapshot,
): Pick<InspectMarket, 'marketId' | 'status' | 'inPlay' | 'winners' | 'final'> {
  return {
    marketId: m.marketId,
    status: m.status,
    inPlay: m.inPlay,
    winners: m.runners.filter((r) => r.status === 'WINNER').map((r) => r.selectionId),
    final: {
      pt: m.publishTime,
      status: m.status,
      runners: m.runners.map((r) => ({
        selectionId: r.selectionId,
        name: r.name,
        status: r.status,
        bsp: r.bsp,
        ltp: r.ltp,
      })),
    },
  };
}

describe('oddsgate record', () => {
  test('a recording replays through inspect to the live cache’s final state, across a reconnect', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oddsgate-record-'));
    const file = join(dir, 'betfair.ndjson');
    const h = await esaHarness();
    const rec = await startRecording({ ...sourceOptions(h.bf, 'token'), name: 'recorder' }, file);
    try {
      const caughtUp = () => {
        const clk = rec.source.current?.status().clk;
        return rec.source.stream?.state === 'subscribed' && decodeClk(clk ?? '')?.clk === h.bf.hub.clk;
      };
      await h.until(caughtUp, 'the recorder to subscribe');
      await h.run(1500);
      h.bf.esa.inject({ fault: 'drop' });
      await h.run(1500);
      await h.until(caughtUp, 'the recorder to catch up after the reconnect');
      assert.ok(rec.source.stream!.stats.resumed >= 1, 'the recording contains a RESUB_DELTA');
      const live = [...rec.source.current!.stream.markets()].map((c) => c.snapshot());
      const written = await rec.stop();
      assert.ok(written > 10);

      const report = await inspectFile(file);
      assert.equal(report.malformed, 0);
      assert.deepEqual(
        report.markets.map((m) => ({
          marketId: m.marketId,
          status: m.status,
          inPlay: m.inPlay,
          winners: m.winners,
          final: m.final,
        })),
        live.map(finalOf),
      );

      const replay = createBetfairPipeline({
        source: 'replay',
        sink: () => {},
        maxLatencyMs: null,
        closedMarketTtlMs: Infinity,
      });
      for (const line of lines((await readHistoricalFile(file)).text)) replay.handleLine(line);
      for (const m of live)
        assert.deepEqual(marketView(replay.stream.get(m.marketId)!.snapshot()), marketView(m), m.marketId);
      assert.ok(
        live.some((m) => m.runners.some((r) => r.name && !r.name.startsWith('Selection'))),
        'names are in the file',
      );
    } finally {
      await rec.stop().catch(() => undefined);
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the command records with BETFAIR_* configuration for --seconds and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oddsgate-record-'));
    const file = join(dir, 'cli.ndjson');
    const h = await esaHarness();
    try {
      const r = h.bf.ready;
      const env = {
        BETFAIR_APP_KEY: r.esa.appKey,
        BETFAIR_USERNAME: r.identity.username,
        BETFAIR_PASSWORD: r.identity.password,
        BETFAIR_STREAM_HOST: r.esa.host,
        BETFAIR_STREAM_PORT: String(r.esa.port),
        BETFAIR_CA_FILE: r.esa.caFile,
        BETFAIR_API_URL: r.api.url,
        BETFAIR_IDENTITY_URL: r.identity.url,
        BETFAIR_EVENT_TYPES: '1,7',
        LOG_LEVEL: 'silent',
      };
      const done = recordCommand(['--out', file, '--seconds', '2.5'], env);
      // Subscribed, not only connected: a market's publish time in the file is that of the last message that
      // carried it, and an image taken after the clock moved would stamp a quiet market later than the
      // reference run did.
      const subscribed = () =>
        (h.bf.esa.state().connections as { subscribedMarkets: number | null }[]).filter(
          (c) => c.subscribedMarkets !== null,
        ).length;
      await h.until(() => subscribed() >= 2, 'the recorder to subscribe');
      await h.run(1000);
      assert.equal(await done, 0);
      const report = await inspectFile(file);
      assert.ok(report.markets.length >= 2, 'markets recorded');
      for (const m of report.markets) {
        const ref = h.reference.stream.get(m.marketId)!.snapshot();
        assert.deepEqual(m.final, finalOf(ref).final, `${m.marketId} ends as in the reference run`);
      }
    } finally {
      await h.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
