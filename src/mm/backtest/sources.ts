import type { SourceMarket } from '../../model/index.js';
import type { Records } from '../../records/index.js';
import { tickChanged, tickOf, type Tick } from '../../records/history/tick.js';
import { lines, readHistoricalFile } from '../../sources/betfair/historical.js';
import { createBetfairPipeline } from '../../sources/betfair/pipeline.js';
import type { ReplayMarket } from './book.js';

/** Past any tick history holds (a date PostgreSQL takes). */
const END_OF_TIME = Date.UTC(9999, 11, 31);

/** A file that is not a Betfair stream recording (nothing in it could be replayed). */
export class NotARecordingError extends Error {
  readonly code = 'NOT_A_RECORDING';
}

const byDisplay = (a: { sortPriority: number; selectionId: number }, b: typeof a) =>
  a.sortPriority - b.sortPriority || a.selectionId - b.selectionId;

interface Building {
  last: SourceMarket;
  prev: Map<number, Tick>;
  ticks: Tick[];
}

/** Adds the runners of a market version whose stored values changed, as odds history would store them. */
function addVersion(b: Building, m: SourceMarket): void {
  const ts = m.publishedAt ?? 0;
  const market = { ...m, eventId: 0, updatedAt: ts, version: 0 };
  for (const r of m.runners) {
    const t = tickOf(market, r, ts);
    const p = b.prev.get(r.selectionId);
    if (p && !tickChanged(p, t)) continue;
    b.prev.set(r.selectionId, t);
    b.ticks.push(t);
  }
  b.last = m;
}

/**
 * The markets of a Betfair recording (historical file, plain or .bz2, or `oddsgate record` output) as the
 * backtest replays them: through the same stream pipeline and the same change filter as `oddsgate history
 * import`, so a recording backtests to the same numbers before and after it is imported. Markets in order
 * of first appearance.
 */
export async function recordingMarkets(path: string): Promise<ReplayMarket[]> {
  const file = await readHistoricalFile(path);
  const markets = new Map<string, Building>();
  const pipeline = createBetfairPipeline({
    source: 'historical',
    maxLatencyMs: null,
    closedMarketTtlMs: Infinity,
    clock: () => 0,
    sink: (updates) => {
      for (const u of updates) {
        if (u.kind !== 'market') continue;
        let b = markets.get(u.market.id);
        if (!b) markets.set(u.market.id, (b = { last: u.market, prev: new Map(), ticks: [] }));
        addVersion(b, u.market);
      }
    },
  });
  for (const line of lines(file.text)) pipeline.handleLine(line);
  const st = pipeline.status();
  if (markets.size === 0 && st.malformed >= file.lineCount)
    throw new NotARecordingError(
      `${path}: not a Betfair stream recording (${file.lineCount === 0 ? 'empty' : (st.lastMalformed?.error ?? 'no stream message')})`,
    );
  return [...markets.values()].map(({ last, ticks }) => ({
    marketId: last.id,
    name: last.name,
    type: last.type,
    numberOfWinners: last.numberOfWinners,
    runners: last.runners
      .map((r) => ({ selectionId: r.selectionId, name: r.name, sortPriority: r.sortPriority }))
      .sort(byDisplay),
    ticks: [...ticks].sort((a, b) => a.ts - b.ts),
  }));
}

/**
 * The markets odds history holds with ticks in [from, to), each with all its ticks (the earlier ones build
 * the book, the later ones carry the result), read one market at a time. History keeps no number of
 * winners: null.
 */
export async function* historyMarkets(
  records: Records,
  from: number,
  to: number,
): AsyncGenerator<ReplayMarket> {
  const repo = records.history;
  for (const m of await repo.marketsWithTicksBetween(from, to)) {
    const runners = await repo.runners([m.key]);
    yield {
      marketId: m.marketId,
      name: m.name,
      type: m.type,
      numberOfWinners: null,
      runners: runners
        .map((r) => ({ selectionId: r.selectionId, name: r.name, sortPriority: r.sortPriority }))
        .sort(byDisplay),
      ticks: await repo.ticks(m.key, 0, END_OF_TIME),
    };
  }
}
