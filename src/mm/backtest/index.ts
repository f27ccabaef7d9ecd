import { decideQuotes } from '../quoter.js';
import type { ReplayMarket } from './book.js';
import { backtestMarket, type BacktestParams, type Decide } from './engine.js';
import { reportOf, type BacktestReport } from './report.js';

export type { ReplayMarket, MarketStep, RunnerBook } from './book.js';
export { backtestMarket, type BacktestParams, type Decide, type MarketReport } from './engine.js';
export { renderReport, reportOf, type BacktestReport, type BacktestTotals } from './report.js';
export { historyMarkets, NotARecordingError, recordingMarkets } from './sources.js';

/** Backtests markets one after another (each on its own: no cap spans markets) and sums them up. */
export function backtest(
  markets: readonly ReplayMarket[],
  params: BacktestParams,
  decide: Decide = decideQuotes,
): BacktestReport {
  return reportOf(
    params,
    markets.map((m) => backtestMarket(m, params, decide)),
  );
}
