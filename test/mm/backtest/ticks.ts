/** Hand-made odds history ticks for the backtest's unit tests (prices in decimal odds, sizes in stake). */
import type { MarketStatus, RunnerStatus } from '../../../src/model/index.js';
import { hundredths, packFlags, type Tick } from '../../../src/records/history/tick.js';
import type { ReplayMarket, RunnerBook } from '../../../src/mm/backtest/index.js';

export interface TickSpec {
  back?: number | null;
  backSize?: number;
  lay?: number | null;
  laySize?: number;
  ltp?: number | null;
  tv?: number;
  status?: RunnerStatus;
  market?: MarketStatus;
  inPlay?: boolean;
}

/** A tick of runner `sel` at `ts` (defaults: back 2.0@100, lay 2.02@100, no trade, open and pre-play). */
export function tick(ts: number, sel: number, s: TickSpec = {}): Tick {
  return {
    ts,
    selectionId: sel,
    flags: packFlags(s.status ?? 'ACTIVE', s.market ?? 'OPEN', s.inPlay ?? false),
    back: hundredths(s.back === undefined ? 2.0 : s.back),
    backSize: hundredths(s.backSize ?? 100),
    lay: hundredths(s.lay === undefined ? 2.02 : s.lay),
    laySize: hundredths(s.laySize ?? 100),
    ltp: hundredths(s.ltp ?? null),
    tv: hundredths(s.tv ?? 0),
  };
}

/** A two-runner, one-winner market (selections 1 and 2) over the given ticks. */
export function market(ticks: Tick[]): ReplayMarket {
  return {
    marketId: '1.1',
    name: 'Match Odds',
    type: 'MATCH_ODDS',
    numberOfWinners: 1,
    runners: [
      { selectionId: 1, name: 'A', sortPriority: 1 },
      { selectionId: 2, name: 'B', sortPriority: 2 },
    ],
    ticks,
  };
}

/** A runner's book (defaults as `tick`). */
export function book(s: Partial<RunnerBook> = {}): RunnerBook {
  return { status: 'ACTIVE', back: 2.0, backSize: 100, lay: 2.02, laySize: 100, ltp: null, tv: 0, ...s };
}
