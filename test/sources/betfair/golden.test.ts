/**
 * Golden replay: BASIC-1.132153978 line by line against BASIC-1.132153978-processed.json, the market book
 * betfairlightweight renders after every line (betcode-org/betfair test resources).
 *
 * Compared: every market and runner field the stream carries. Not compared, because the stream never
 * carries them and bflw always renders null: totalAvailable, isMarketDataDelayed, lastMatchTime; nor
 * streaming_unique_id / streaming_snap (bflw's own bookkeeping).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SourceUpdate } from '../../../src/model/index.js';
import { lines } from '../../../src/sources/betfair/historical.js';
import type { MarketCache } from '../../../src/sources/betfair/market-cache.js';
import { createBetfairPipeline } from '../../../src/sources/betfair/pipeline.js';
import { historicalPath } from './data.js';

interface BflwRunner {
  selectionId: number;
  handicap: number;
  status: string | null;
  lastPriceTraded: number | null;
  totalMatched: number;
  adjustmentFactor: number | null;
  removalDate: string | null;
  sp: {
    nearPrice: number | null;
    farPrice: number | null;
    actualSP: number | null;
    backStakeTaken: unknown[];
    layLiabilityTaken: unknown[];
  };
  ex: { availableToBack: unknown[]; availableToLay: unknown[]; tradedVolume: unknown[] };
}

interface BflwBook {
  marketId: string;
  status: string;
  inplay: boolean;
  totalMatched: number;
  numberOfWinners: number;
  numberOfRunners: number;
  numberOfActiveRunners: number;
  betDelay: number;
  version: number;
  complete: boolean;
  bspReconciled: boolean;
  crossMatching: boolean;
  runnersVoidable: boolean;
  publishTime: number;
  marketDefinition: Record<string, unknown>;
  streaming_update: unknown;
  runners: BflwRunner[];
}

/** Our cache rendered with bflw's field names, for the fields it can produce. */
function render(c: MarketCache): Omit<BflwBook, 'streaming_update'> {
  const m = c.snapshot();
  const d = m.definition ?? {};
  return {
    marketId: m.marketId,
    status: m.status as string,
    inplay: m.inPlay,
    totalMatched: m.totalMatched,
    numberOfWinners: d.numberOfWinners as number,
    numberOfRunners: c.runnerCount,
    numberOfActiveRunners: d.numberOfActiveRunners as number,
    betDelay: d.betDelay as number,
    version: d.version as number,
    complete: d.complete as boolean,
    bspReconciled: d.bspReconciled as boolean,
    crossMatching: d.crossMatching as boolean,
    runnersVoidable: d.runnersVoidable as boolean,
    publishTime: m.publishTime as number,
    marketDefinition: d,
    runners: m.runners.map((r) => ({
      selectionId: r.selectionId,
      handicap: r.handicap,
      status: r.status,
      lastPriceTraded: r.ltp,
      totalMatched: r.tv,
      adjustmentFactor: r.adjustmentFactor,
      removalDate: r.removalDate,
      sp: {
        nearPrice: r.spn,
        farPrice: r.spf,
        actualSP: r.bsp,
        backStakeTaken: [...r.spl],
        layLiabilityTaken: [...r.spb],
      },
      ex: { availableToBack: [...r.back], availableToLay: [...r.lay], tradedVolume: [...r.trd] },
    })),
  };
}

function bflwView(b: BflwBook): Omit<BflwBook, 'streaming_update'> {
  const rest = b;
  return {
    marketId: rest.marketId,
    status: rest.status,
    inplay: rest.inplay,
    totalMatched: rest.totalMatched,
    numberOfWinners: rest.numberOfWinners,
    numberOfRunners: rest.numberOfRunners,
    numberOfActiveRunners: rest.numberOfActiveRunners,
    betDelay: rest.betDelay,
    version: rest.version,
    complete: rest.complete,
    bspReconciled: rest.bspReconciled,
    crossMatching: rest.crossMatching,
    runnersVoidable: rest.runnersVoidable,
    publishTime: rest.publishTime,
    marketDefinition: rest.marketDefinition,
    runners: rest.runners.map((r) => ({
      selectionId: r.selectionId,
      handicap: r.handicap,
      status: r.status,
      lastPriceTraded: r.lastPriceTraded,
      totalMatched: r.totalMatched,
      adjustmentFactor: r.adjustmentFactor,
      removalDate: r.removalDate,
      sp: r.sp,
      ex: r.ex,
    })),
  };
}

const bySelection = <T extends { selectionId: number; handicap: number }>(rs: T[]): T[] =>
  [...rs].sort((a, b) => a.selectionId - b.selectionId || a.handicap - b.handicap);

test('BASIC-1.132153978 equals betfairlightweight’s market book after every one of its 480 lines', () => {
  const golden = JSON.parse(
    readFileSync(historicalPath('BASIC-1.132153978-processed.json'), 'utf8'),
  ) as BflwBook[];
  const text = readFileSync(historicalPath('BASIC-1.132153978'), 'utf8');
  let pushed: SourceUpdate[] = [];
  const p = createBetfairPipeline({ source: 'historical', sink: (u) => (pushed = u), maxLatencyMs: null });
  let n = 0;
  for (const line of lines(text)) {
    pushed = [];
    p.handleLine(line);
    const expected = golden[n];
    assert.ok(expected, `golden book for line ${n + 1}`);
    const cache = p.stream.get(expected.marketId);
    assert.ok(cache, `market in cache after line ${n + 1}`);
    const ours = render(cache);
    const theirs = bflwView(expected);
    // bflw lists runners in arrival order, ours by sortPriority: compare per selection.
    assert.deepEqual(
      { ...ours, runners: bySelection(ours.runners) },
      { ...theirs, runners: bySelection(theirs.runners) },
      `line ${n + 1}`,
    );
    const market = pushed.find((u) => u.kind === 'market');
    assert.ok(market?.kind === 'market', `a market update for line ${n + 1}`);
    assert.deepEqual(market.raw, expected.streaming_update, `raw change of line ${n + 1}`);
    n++;
  }
  assert.equal(n, 480);
  assert.equal(golden.length, 480);
});
