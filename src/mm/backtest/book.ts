import type { MarketStatus, RunnerStatus } from '../../model/index.js';
import { fromHundredths, unpackFlags, type Tick } from '../../records/history/tick.js';

/** A market as the backtest replays it: what odds history keeps of it (top of book per runner change). */
export interface ReplayMarket {
  marketId: string;
  name: string;
  type: string;
  /** Winners the market pays (the market definition's; null when the source does not say). */
  numberOfWinners: number | null;
  /** Runners in display order (sort priority, then selection id). */
  runners: ReadonlyArray<{ selectionId: number; name: string; sortPriority: number }>;
  /** Every stored change of every runner, in time order. */
  ticks: readonly Tick[];
}

/** One runner's top of book at a replayed moment. */
export interface RunnerBook {
  status: RunnerStatus;
  /** Best price to back (the exchange's back column) and what is offered there (backer's stake). */
  back: number | null;
  backSize: number;
  /** Best price to lay and what is offered there (backer's stake). */
  lay: number | null;
  laySize: number;
  ltp: number | null;
  /** Traded volume so far (backer's stake). */
  tv: number;
}

/** A market's replayed state after every change with the same publish time. */
export interface MarketStep {
  ts: number;
  status: MarketStatus;
  inPlay: boolean;
  /** By selection id; a runner is absent until its first change. */
  runners: ReadonlyMap<number, RunnerBook>;
  /** Traded volume each runner gained in this step (≥ 0). */
  traded: ReadonlyMap<number, number>;
}

function bookOf(t: Tick): RunnerBook {
  const back = fromHundredths(t.back);
  const lay = fromHundredths(t.lay);
  return {
    status: unpackFlags(t.flags).status,
    back,
    backSize: back === null ? 0 : t.backSize / 100,
    lay,
    laySize: lay === null ? 0 : t.laySize / 100,
    ltp: fromHundredths(t.ltp),
    tv: t.tv / 100,
  };
}

/**
 * The market's states in time order: the ticks with one publish time applied together (a Betfair frame
 * changes several runners at once). Market status and in-play are the latest tick's (every runner gets a
 * tick when they change). Runner maps are rebuilt per step, so a step can be kept after the next one.
 */
export function* stepsOf(ticks: readonly Tick[]): Generator<MarketStep> {
  const books = new Map<number, RunnerBook>();
  let i = 0;
  while (i < ticks.length) {
    const ts = (ticks[i] as Tick).ts;
    const traded = new Map<number, number>();
    let flags = 0;
    for (; i < ticks.length && (ticks[i] as Tick).ts === ts; i++) {
      const t = ticks[i] as Tick;
      const book = bookOf(t);
      const before = books.get(t.selectionId)?.tv ?? book.tv;
      traded.set(t.selectionId, (traded.get(t.selectionId) ?? 0) + Math.max(0, book.tv - before));
      books.set(t.selectionId, book);
      flags = t.flags;
    }
    const f = unpackFlags(flags);
    yield { ts, status: f.marketStatus, inPlay: f.inPlay, runners: new Map(books), traded };
  }
}
