import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceUpdate } from '../../../src/model/index.js';
import { HistoricalSource } from '../../../src/sources/betfair/historical-source.js';
import { historicalPath } from './data.js';

/** A small recording with publish-time gaps (ms after the first line). */
function recording(gaps: number[]): string {
  const t0 = 1_700_000_000_000;
  const def = {
    status: 'OPEN',
    eventId: '9',
    eventTypeId: '1',
    marketType: 'MATCH_ODDS',
    runners: [{ id: 1, sortPriority: 1 }],
  };
  return gaps
    .map((g, i) =>
      JSON.stringify({
        op: 'mcm',
        clk: `c${i}`,
        pt: t0 + g,
        mc: [{ id: '1.1', ...(i === 0 ? { marketDefinition: def } : {}), rc: [{ id: 1, ltp: 2 + i / 100 }] }],
      }),
    )
    .join('\n');
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'oddsgate-hist-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('HistoricalSource', () => {
  test('plays several files as fast as possible, reporting connected while playing and stopped at the end', async () => {
    const updates: SourceUpdate[] = [];
    const src = new HistoricalSource({
      files: [historicalPath('BASIC-1.132153978'), historicalPath('1.197931750')],
    });
    assert.equal(src.name, 'historical');
    await src.start((u) => updates.push(...u));
    assert.equal(src.status().state, 'connected');
    assert.equal(src.status().connected, true);
    await src.whenDone();
    const st = src.status();
    assert.equal(st.state, 'stopped');
    assert.equal(st.connected, false);
    assert.equal(st.kind, 'historical');
    assert.equal(st.frames, 480 + 166);
    // BASIC's market closed in 2017: by 1.197931750's publish times (2022) it is past the closed-market TTL.
    assert.equal(st.markets, 1);
    assert.equal(st.lastError, null);
    assert.equal(st.details.filesDone, 2);
    assert.equal(st.details.clk, '5649827878', 'clock of the last file');
    assert.equal(updates.filter((u) => u.kind === 'market').length, 480 + 166);
    assert.ok(updates.every((u) => u.source === 'historical'));
  });

  test('yields to the event loop while replaying a large file', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const src = new HistoricalSource({ files: [historicalPath('1.127236622.bz2')], name: 'replay' });
      await src.start(() => {});
      const before = ticks;
      await src.whenDone();
      assert.equal(src.status().frames, 16096);
      assert.ok(ticks > before, 'timers ran during the replay');
    } finally {
      clearInterval(timer);
    }
  });

  test('a missing file is reported as lastError and the next file still plays', async () => {
    const src = new HistoricalSource({ files: ['/nonexistent/file.bz2', historicalPath('1.197931750')] });
    await src.start(() => {});
    await src.whenDone();
    const st = src.status();
    assert.match(st.lastError ?? '', /nonexistent/);
    assert.equal(typeof st.lastErrorAt, 'number');
    assert.equal(st.frames, 166);
  });

  test('speed paces by publish-time gaps divided by the speed', async () => {
    await withTemp(async (dir) => {
      const path = join(dir, 'paced');
      await writeFile(path, recording([0, 300, 600]));
      const src = new HistoricalSource({ files: [path], speed: 10 });
      const t = performance.now();
      await src.start(() => {});
      await src.whenDone();
      const elapsed = performance.now() - t;
      assert.equal(src.status().frames, 3);
      assert.ok(elapsed >= 50, `600 ms of publish time at speed 10 took ${elapsed.toFixed(0)} ms`);
      assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
    });
  });

  test('maxGapMs cuts long gaps; stop() ends a paced replay promptly', async () => {
    await withTemp(async (dir) => {
      const path = join(dir, 'gappy');
      await writeFile(path, recording([0, 3_600_000, 3_600_010]));
      const capped = new HistoricalSource({ files: [path], speed: 1, maxGapMs: 20 });
      await capped.start(() => {});
      await capped.whenDone();
      assert.equal(capped.status().frames, 3);

      const slow = new HistoricalSource({ files: [path], speed: 1 });
      await slow.start(() => {});
      for (let i = 0; i < 200 && slow.status().frames < 1; i++) await new Promise((r) => setTimeout(r, 5));
      const t = performance.now();
      await slow.stop();
      assert.ok(performance.now() - t < 1000, 'stopped without waiting out the hour');
      assert.equal(slow.status().state, 'stopped');
      assert.equal(slow.status().frames, 1);
    });
  });

  test('a truncated last line is reported in the status, earlier lines applied', async () => {
    await withTemp(async (dir) => {
      const path = join(dir, 'cut');
      await writeFile(path, `${recording([0, 1, 2])}\n{"op":"mcm","clk":"c3","pt":17`);
      const src = new HistoricalSource({ files: [path] });
      await src.start(() => {});
      await src.whenDone();
      const st = src.status();
      assert.equal(st.frames, 4);
      assert.equal(st.details.malformed, 1);
      assert.match(st.lastError ?? '', /malformed line/);
      assert.equal(st.details.clk, 'c2');
    });
  });
});
