/**
 * Every recording in ../shared/data/betfair/historical is read to its end through the pipeline. The
 * expected facts were taken from the raw files independently of this code (bzcat | python json: line
 * counts, last clk, final marketDefinition runners and statuses), not from this code's output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBzip2, lines, readHistoricalFile } from '../../../src/sources/betfair/historical.js';
import type { MalformedReport } from '../../../src/sources/betfair/listener.js';
import { createBetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import { historicalPath } from './data.js';

interface Facts {
  file: string;
  compressed: boolean;
  lines: number;
  marketId: string;
  marketType: string;
  eventId: string;
  eventTypeId: string;
  clk: string;
  runners: number;
  removed: number;
  winners: number[];
  /** BSP of each winner (null: not a BSP market). */
  winnerBsp: (number | null)[];
}

const FILES: Facts[] = [
  {
    file: 'BASIC-1.132153978',
    compressed: false,
    lines: 480,
    marketId: '1.132153978',
    marketType: 'WIN',
    eventId: '28270094',
    eventTypeId: '7',
    clk: '3522512789',
    runners: 14,
    removed: 2,
    winners: [12115648],
    winnerBsp: [4.15],
  },
  {
    file: '1.185781277.bz2',
    compressed: true,
    lines: 7600,
    marketId: '1.185781277',
    marketType: 'WIN',
    eventId: '30738503',
    eventTypeId: '7',
    clk: 'AP7cAgDw5wMA4o4F',
    runners: 17,
    removed: 3,
    winners: [40364042],
    winnerBsp: [4.1],
  },
  {
    file: '1.205822330.bz2',
    compressed: true,
    lines: 5654,
    marketId: '1.205822330',
    marketType: 'PLACE',
    eventId: '31873357',
    eventTypeId: '7',
    clk: '7065823815',
    runners: 17,
    removed: 3,
    winners: [49808334, 49808335, 49808342],
    winnerBsp: [4.2, 3.58, 1.86],
  },
  {
    file: '1.127236622.bz2',
    compressed: true,
    lines: 16096,
    marketId: '1.127236622',
    marketType: 'WIN',
    eventId: '27949694',
    eventTypeId: '7',
    clk: '3166496061',
    runners: 13,
    removed: 0,
    winners: [11129238],
    winnerBsp: [7.69],
  },
  {
    file: '1.197931750',
    compressed: false,
    lines: 166,
    marketId: '1.197931750',
    marketType: 'WIN',
    eventId: '31389771',
    eventTypeId: '4339',
    clk: '5649827878',
    runners: 6,
    removed: 0,
    winners: [37947503],
    winnerBsp: [25],
  },
  {
    file: '1.200806927.bz2',
    compressed: true,
    lines: 18529,
    marketId: '1.200806927',
    marketType: 'MATCH_ODDS',
    eventId: '31573045',
    eventTypeId: '4',
    clk: 'APWQ3QkA9ZvQCgD+0LwK',
    runners: 2,
    removed: 0,
    winners: [228749],
    winnerBsp: [null],
  },
  {
    // Called event-level in the README, but it holds one market (MATCH_ODDS) of event 29788105.
    file: '29788105.bz2',
    compressed: true,
    lines: 11110,
    marketId: '1.170370562',
    marketType: 'MATCH_ODDS',
    eventId: '29788105',
    eventTypeId: '2',
    clk: '1350089445',
    runners: 2,
    removed: 0,
    winners: [9625043],
    winnerBsp: [null],
  },
];

describe('historical files are read to the end', () => {
  for (const f of FILES) {
    test(`${f.file}: ${f.lines} lines, CLOSED, winners ${f.winners.join(',')}`, async () => {
      const file = await readHistoricalFile(historicalPath(f.file));
      assert.equal(file.compressed, f.compressed);
      assert.equal(file.lineCount, f.lines);
      assert.equal(file.unterminated, false);
      const p = createBetfairPipeline({ source: 'historical', sink: () => {}, maxLatencyMs: null });
      for (const line of lines(file.text)) p.handleLine(line);
      const st = p.status();
      assert.equal(st.frames, f.lines);
      assert.equal(st.malformed, 0);
      assert.equal(st.clk, f.clk);
      assert.equal(st.markets, 1);
      const m = p.stream.get(f.marketId)?.snapshot();
      assert.ok(m, 'market held');
      assert.equal(m.status, 'CLOSED');
      assert.equal(m.definition?.marketType, f.marketType);
      assert.equal(m.definition?.eventId, f.eventId);
      assert.equal(m.definition?.eventTypeId, f.eventTypeId);
      assert.equal(m.runners.length, f.runners);
      assert.equal(m.runners.filter((r) => r.status === 'REMOVED').length, f.removed);
      const winners = m.runners.filter((r) => r.status === 'WINNER');
      assert.deepEqual(
        winners.map((r) => r.selectionId).sort((a, b) => a - b),
        f.winners,
      );
      assert.deepEqual(
        [...winners].sort((a, b) => a.selectionId - b.selectionId).map((r) => r.bsp),
        f.winnerBsp,
      );
      for (const r of m.runners) {
        assert.ok(r.spn === null || typeof r.spn === 'number', 'spn parsed to a number');
        assert.ok(r.spf === null || typeof r.spf === 'number', 'spf parsed to a number');
      }
    });
  }

  test('1.185781277.bz2 starts with a SUB_IMAGE carrying id and initialClk', async () => {
    const file = await readHistoricalFile(historicalPath('1.185781277.bz2'));
    const p = createBetfairPipeline({ source: 'historical', sink: () => {}, maxLatencyMs: null });
    for (const line of lines(file.text)) p.handleLine(line);
    assert.equal(p.status().initialClk, 'oBze7/i+Dq4c34iDzA6lHPT518UO');
    assert.equal(p.status().subscriptionId, 1);
  });

  test('1.127236622.bz2 applies its 97 periodic images', async () => {
    const file = await readHistoricalFile(historicalPath('1.127236622.bz2'));
    const p = createBetfairPipeline({ source: 'historical', sink: () => {}, maxLatencyMs: null });
    for (const line of lines(file.text)) p.handleLine(line);
    assert.equal(p.status().images, 97);
  });

  test('compression is detected by the BZh magic, not the file name', () => {
    assert.equal(isBzip2(readFileSync(historicalPath('1.205822330.bz2'))), true);
    assert.equal(isBzip2(readFileSync(historicalPath('1.197931750'))), false);
    assert.equal(isBzip2(Buffer.from('BZ')), false);
  });
});

describe('a truncated last line', () => {
  test('is reported (count and message) while every earlier line is applied', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oddsgate-bf-'));
    try {
      const all = [...lines(readFileSync(historicalPath('BASIC-1.132153978'), 'utf8'))];
      const kept = all.slice(0, 100);
      const cut = (all[100] as string).slice(0, 40);
      const path = join(dir, 'truncated');
      await writeFile(path, `${kept.join('\n')}\n${cut}`);
      const file = await readHistoricalFile(path);
      assert.equal(file.unterminated, true);
      assert.equal(file.lineCount, 101);
      const reports: MalformedReport[] = [];
      const p = createBetfairPipeline({
        source: 'historical',
        sink: () => {},
        maxLatencyMs: null,
        onMalformed: (r) => reports.push(r),
      });
      for (const line of lines(file.text)) p.handleLine(line);
      assert.equal(p.status().malformed, 1);
      assert.equal(reports.length, 1);
      assert.equal(reports[0]?.excerpt, cut);
      assert.ok((reports[0]?.error ?? '').length > 0);
      assert.equal(p.status().frames, 101);
      const lastGood = JSON.parse(kept[99] as string) as { clk: string; pt: number };
      assert.equal(p.status().clk, lastGood.clk);
      assert.equal(p.status().lastPt, lastGood.pt);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
