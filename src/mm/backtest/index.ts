import { decideQuotes } from '../quoter.js';
import type { ReplayMarket } from './book.js';
import { backtestMarket, type BacktestParams, type Decide, type MarketReport } from './engine.js';
import { reportOf, type BacktestReport } from './report.js';

export type { ReplayMarket, MarketStep, RunnerBook } from './book.js';
export { backtestMarket, type BacktestParams, type Decide, type MarketReport } from './engine.js';
export { renderReport, reportOf, type BacktestReport, type BacktestTotals } from './report.js';
export { historyMarkets, NotARecordingError, recordingMarkets } from './sources.js';

/**
 * Backtests markets one after another (each on its own: no cap spans markets) and sums them up. Markets are
 * taken one at a time from the iterable, so only one market's ticks are held at once.
 */
export async function backtest(
  markets: Iterable<ReplayMarket> | AsyncIterable<ReplayMarket>,
  params: BacktestParams,
  decide: Decide = decideQuotes,
): Promise<BacktestReport> {
  const reports: MarketReport[] = [];
  for await (const m of markets) reports.push(backtestMarket(m, params, decide));
  return reportOf(params, reports);
}
