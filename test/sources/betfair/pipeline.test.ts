import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SourceUpdate } from '../../../src/model/index.js';
import { lines } from '../../../src/sources/betfair/historical.js';
import { createBetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import type { BetfairLogger } from '../../../src/sources/betfair/types.js';
import { historicalPath, streamLine } from './data.js';

function recordingLogger() {
  const warnings: string[] = [];
  const logger: BetfairLogger = { info() {}, warn: (_o, msg) => warnings.push(msg ?? ''), error() {} };
  return { logger, warnings };
}

const def = (status: string, inPlay = false) => ({
  status,
  inPlay,
  eventId: '77',
  eventTypeId: '1',
  marketType: 'MATCH_ODDS',
  runners: [
    { id: 1, sortPriority: 1, status: status === 'CLOSED' ? 'WINNER' : 'ACTIVE' },
    { id: 2, sortPriority: 2, status: status === 'CLOSED' ? 'LOSER' : 'ACTIVE' },
  ],
});

describe('createBetfairPipeline', () => {
  test('BASIC replay: one market update per line, an event update only with a definition', () => {
    const all: SourceUpdate[] = [];
    let calls = 0;
    const p = createBetfairPipeline({
      source: 'historical',
      sink: (u) => {
        calls++;
        all.push(...u);
      },
      maxLatencyMs: null,
    });
    for (const line of lines(readFileSync(historicalPath('BASIC-1.132153978'), 'utf8'))) p.handleLine(line);
    // 480 lines, 13 of them carry a marketDefinition (counted with a separate script on the raw file).
    assert.equal(calls, 480);
    assert.equal(all.filter((u) => u.kind === 'market').length, 480);
    assert.equal(all.filter((u) => u.kind === 'event').length, 13);
    const st = p.status();
    assert.equal(st.frames, 480);
    assert.equal(st.markets, 1);
    assert.equal(st.clk, '3522512789');
    assert.equal(st.initialClk, null);
    assert.equal(st.lastPt, 1497466782073);
    assert.equal(st.degraded, false);
    assert.equal(st.malformed, 0);
    assert.equal(st.updatesPushed, 493);
  });

  test('runners that did not change are the same objects in consecutive market updates', () => {
    const markets: SourceUpdate[] = [];
    const p = createBetfairPipeline({
      source: 's',
      sink: (u) => markets.push(...u.filter((x) => x.kind === 'market')),
    });
    p.handleMessage({
      op: 'mcm',
      pt: 1,
      clk: 'a',
      mc: [
        {
          id: '1.5',
          marketDefinition: def('OPEN'),
          rc: [
            { id: 1, atb: [[2, 5]] },
            { id: 2, atb: [[3, 5]] },
          ],
        },
      ],
    });
    p.handleMessage({ op: 'mcm', pt: 2, clk: 'b', mc: [{ id: '1.5', rc: [{ id: 1, atb: [[2, 7]] }] }] });
    const [a, b] = markets;
    assert.ok(a?.kind === 'market' && b?.kind === 'market');
    assert.notEqual(b.market.runners[0], a.market.runners[0]);
    assert.deepEqual(b.market.runners[0]?.back, [{ price: 2, size: 7 }]);
    assert.deepEqual(a.market.runners[0]?.back, [{ price: 2, size: 5 }], 'earlier update unchanged');
    assert.equal(b.market.runners[1], a.market.runners[1]);
  });

  test('cache snapshots taken between messages agree with the market updates (the normalizer skips them)', () => {
    // The pipeline converts from the caches without snapshots; a reader taking snapshots in between (the
    // live source, inspect) must still see the runners in the same order with the same prices.
    for (const file of ['BASIC-1.132153978', '1.197931750']) {
      let checked = 0;
      const p = createBetfairPipeline({
        source: 's',
        maxLatencyMs: null,
        sink: (batch) => {
          for (const u of batch) {
            if (u.kind !== 'market') continue;
            const snap = p.stream.get(u.market.id)?.snapshot();
            assert.ok(snap);
            assert.deepEqual(
              snap.runners.map((r) => [r.selectionId, r.handicap, r.back, r.lay, r.ltp, r.tv]),
              u.market.runners.map((r) => [r.selectionId, r.handicap, r.back, r.lay, r.ltp, r.tv]),
            );
            checked++;
          }
        },
      });
      for (const line of lines(readFileSync(historicalPath(file), 'utf8'))) p.handleLine(line);
      assert.ok(checked > 150, file);
    }
  });

  test('a failing sink is counted and logged; the pipeline keeps going', () => {
    const { logger } = recordingLogger();
    let n = 0;
    const p = createBetfairPipeline({
      source: 's',
      logger,
      sink: () => {
        n++;
        throw new Error('boom');
      },
    });
    p.handleLine(streamLine('bflw_streaming_mcm_SUB_IMAGE.json'));
    p.handleLine(streamLine('bflw_streaming_mcm_update.json'));
    assert.equal(n, 2);
    assert.equal(p.status().sinkErrors, 2);
    assert.equal(p.status().malformed, 0);
  });

  test('markets CLOSED for longer than closedMarketTtlMs (publish time) are evicted from the cache', () => {
    const p = createBetfairPipeline({ source: 's', sink: () => {}, closedMarketTtlMs: 30_000 });
    const t0 = 1_700_000_000_000;
    const open = ['1.1', '1.2', '1.3'].map((id) => ({ id, marketDefinition: def('OPEN') }));
    p.handleMessage({ op: 'mcm', pt: t0, clk: 'a', mc: open });
    p.handleMessage({
      op: 'mcm',
      pt: t0 + 1000,
      clk: 'b',
      mc: [{ id: '1.1', marketDefinition: def('CLOSED', true) }],
    });
    p.handleMessage({
      op: 'mcm',
      pt: t0 + 50_000,
      clk: 'c',
      mc: [{ id: '1.2', marketDefinition: def('CLOSED', true) }],
    });
    // Sweeps run every tenth of the TTL of publish time (3 s here; and on images).
    p.handleMessage({ op: 'mcm', pt: t0 + 61_000, clk: 'd', mc: [{ id: '1.3', rc: [{ id: 1, ltp: 2.1 }] }] });
    assert.equal(p.stream.get('1.1'), undefined, 'closed 60 s before: evicted');
    assert.ok(p.stream.get('1.2'), 'closed 11 s before: kept');
    assert.ok(p.stream.get('1.3'), 'open market kept');
    assert.equal(p.status().evicted, 1);
    assert.equal(p.status().markets, 2);
  });

  test('with a short TTL, closed markets are swept within a tenth of it (not once a minute of publish time)', () => {
    const p = createBetfairPipeline({ source: 's', sink: () => {}, closedMarketTtlMs: 10_000 });
    const t0 = 1_700_000_000_000;
    p.handleMessage({ op: 'mcm', pt: t0, clk: 'a', mc: [{ id: '1.1', marketDefinition: def('OPEN') }] });
    p.handleMessage({
      op: 'mcm',
      pt: t0 + 1000,
      clk: 'b',
      mc: [{ id: '1.1', marketDefinition: def('CLOSED', true) }],
    });
    p.handleMessage({
      op: 'mcm',
      pt: t0 + 10_500,
      clk: 'c',
      mc: [{ id: '1.2', marketDefinition: def('OPEN') }],
    });
    assert.ok(p.stream.get('1.1'), 'closed 9.5 s before: kept');
    p.handleMessage({ op: 'mcm', pt: t0 + 12_000, clk: 'd', mc: [{ id: '1.2', rc: [{ id: 1, ltp: 2.1 }] }] });
    assert.equal(
      p.stream.get('1.1'),
      undefined,
      'closed 11 s before, TTL 10 s: evicted by a sweep 1.5 s later',
    );
    assert.equal(p.status().evicted, 1);
  });

  test('an event whose markets were all evicted leaves the pipeline (nothing kept per event ever seen)', () => {
    const p = createBetfairPipeline({ source: 's', sink: () => {}, closedMarketTtlMs: 10_000 });
    const t0 = 1_700_000_000_000;
    const onEvent = (eventId: string, status: string) => ({ ...def(status, false), eventId });
    p.handleMessage({
      op: 'mcm',
      pt: t0,
      clk: 'a',
      mc: [
        { id: '1.1', marketDefinition: onEvent('77', 'OPEN') },
        { id: '1.2', marketDefinition: onEvent('77', 'OPEN') },
        { id: '1.3', marketDefinition: onEvent('88', 'OPEN') },
      ],
    });
    assert.equal(p.status().events, 2);
    p.handleMessage({
      op: 'mcm',
      pt: t0 + 1000,
      clk: 'b',
      mc: [
        { id: '1.1', marketDefinition: onEvent('77', 'CLOSED') },
        { id: '1.2', marketDefinition: onEvent('77', 'CLOSED') },
      ],
    });
    p.handleMessage({ op: 'mcm', pt: t0 + 61_000, clk: 'c', mc: [{ id: '1.3', rc: [{ id: 1, ltp: 2.1 }] }] });
    assert.equal(p.stream.get('1.1'), undefined);
    assert.equal(p.stream.get('1.2'), undefined);
    assert.equal(p.status().evicted, 2);
    assert.equal(p.status().events, 1, 'event 77 is gone with its markets; 88 stays');
    // a new image forgets every market, and every event with them
    p.handleMessage({ op: 'mcm', pt: t0 + 62_000, clk: 'd', ct: 'SUB_IMAGE', mc: [] });
    assert.equal(p.status().events, 0);
  });

  test('latency (clock − pt) above maxLatencyMs is warned about and reported', () => {
    const { logger, warnings } = recordingLogger();
    const pt = 1_700_000_000_000;
    const p = createBetfairPipeline({
      source: 's',
      sink: () => {},
      logger,
      clock: () => pt + 5000,
      maxLatencyMs: 1000,
    });
    p.handleMessage({ op: 'mcm', pt, clk: 'a', mc: [{ id: '1.1', marketDefinition: def('OPEN') }] });
    assert.equal(p.status().latencyMs, 5000);
    assert.ok(warnings.some((w) => /latency/.test(w)));
  });

  test('the event status combines the event’s markets: CLOSED only when all are closed', () => {
    const events: string[] = [];
    const p = createBetfairPipeline({
      source: 's',
      sink: (u) => {
        for (const x of u) if (x.kind === 'event') events.push(x.event.status ?? '?');
      },
    });
    p.handleMessage({ op: 'mcm', pt: 1, clk: 'a', mc: [{ id: '1.1', marketDefinition: def('OPEN', true) }] });
    p.handleMessage({ op: 'mcm', pt: 2, clk: 'b', mc: [{ id: '1.2', marketDefinition: def('OPEN', true) }] });
    p.handleMessage({
      op: 'mcm',
      pt: 3,
      clk: 'c',
      mc: [{ id: '1.1', marketDefinition: def('CLOSED', true) }],
    });
    p.handleMessage({
      op: 'mcm',
      pt: 4,
      clk: 'd',
      mc: [{ id: '1.2', marketDefinition: def('CLOSED', true) }],
    });
    assert.deepEqual(events, ['IN_PLAY', 'IN_PLAY', 'IN_PLAY', 'CLOSED']);
  });
});
