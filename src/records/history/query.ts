import { OddsgateError } from '../../core/errors.js';
import { candlesOf, INTERVAL_MS, rollUp, type Candle, type CandleInterval, type Ohlc } from './candles.js';
import type { Gap, HistoryRepository, RunnerLines, StoredMarket } from './repository.js';
import { fromHundredths, unpackFlags, type Tick } from './tick.js';

export type HistoryInterval = 'raw' | CandleInterval;
export const HISTORY_INTERVALS: readonly HistoryInterval[] = ['raw', '1s', '1m', '5m', '1h'];

const H = 3_600_000;
const D = 24 * H;
/** The longest range one request may ask for, per interval. */
export const MAX_RANGE_MS: Readonly<Record<HistoryInterval, number>> = {
  raw: D,
  '1s': 6 * H,
  '1m': 7 * D,
  '5m': 31 * D,
  '1h': 366 * D,
};
/** The range when `from` is not given (ending at `to`). */
export const DEFAULT_RANGE_MS: Readonly<Record<HistoryInterval, number>> = {
  raw: H,
  '1s': 10 * 60_000,
  '1m': D,
  '5m': 7 * D,
  '1h': 30 * D,
};
/** Points (ticks or candles, all runners together) one response may hold. */
export const MAX_POINTS = 20_000;

/** Raised for a request history cannot answer as asked (400). */
export class HistoryQueryError extends OddsgateError<'ERR_HISTORY_QUERY'> {
  constructor(message: string) {
    super('ERR_HISTORY_QUERY', message);
    this.name = 'HistoryQueryError';
  }
}

export interface HistoryRequest {
  eventId: number;
  /** One market id (default: every market of the event history holds). */
  marketId?: string | undefined;
  selectionId?: number | undefined;
  /** Epoch ms; defaults from DEFAULT_RANGE_MS. */
  from?: number | undefined;
  /** Epoch ms (exclusive); default: now, or just after the event's last tick when that is earlier. */
  to?: number | undefined;
  interval: HistoryInterval;
}

/** A tick as the API shows it: decimal prices, null for none. */
export interface TickPoint {
  ts: number;
  back: number | null;
  back_size: number | null;
  lay: number | null;
  lay_size: number | null;
  ltp: number | null;
  tv: number | null;
  status: string;
  market_status: string;
  in_play: boolean;
}

export interface OhlcPoint {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A candle as the API shows it. */
export interface CandlePoint {
  ts: number;
  back: OhlcPoint | null;
  lay: OhlcPoint | null;
  ltp: OhlcPoint | null;
  /** Traded in the bucket. */
  volume: number;
  ticks: number;
}

export interface HistoryRunner {
  selection_id: number;
  name: string;
  points: Array<TickPoint | CandlePoint>;
}

export interface HistoryMarket {
  market_id: string;
  market_name: string;
  market_type: string;
  source: string;
  runners: HistoryRunner[];
}

export interface HistoryAnswer {
  event_id: number;
  interval: HistoryInterval;
  from: string;
  to: string;
  points: number;
  markets: HistoryMarket[];
  /** Gaps history recorded that overlap the range. */
  gaps: Array<{ from: string | null; to: string | null; reason: string }>;
}

export function tickPoint(t: Tick): TickPoint {
  const f = unpackFlags(t.flags);
  return {
    ts: t.ts,
    back: fromHundredths(t.back),
    back_size: fromHundredths(t.backSize),
    lay: fromHundredths(t.lay),
    lay_size: fromHundredths(t.laySize),
    ltp: fromHundredths(t.ltp),
    tv: fromHundredths(t.tv),
    status: f.status,
    market_status: f.marketStatus,
    in_play: f.inPlay,
  };
}

const ohlc = (s: Ohlc | null): OhlcPoint | null =>
  s && { open: s.o / 100, high: s.h / 100, low: s.l / 100, close: s.c / 100 };

export function candlePoint(c: Candle): CandlePoint {
  return {
    ts: c.bucket,
    back: ohlc(c.back),
    lay: ohlc(c.lay),
    ltp: ohlc(c.ltp),
    volume: Math.max(0, c.tvClose - c.tvPrev) / 100,
    ticks: c.ticks,
  };
}

/** The markets of `eventId` history holds, narrowed to `marketId`; empty when none. */
async function marketsOf(
  repo: HistoryRepository,
  eventId: number,
  marketId?: string,
): Promise<StoredMarket[]> {
  const all = await repo.marketsOfEvent(eventId);
  return marketId === undefined ? all : all.filter((m) => m.marketId === marketId);
}

/** Resolves the range of a request, checking it against the interval's limit. */
async function rangeOf(
  repo: HistoryRepository,
  markets: readonly StoredMarket[],
  req: HistoryRequest,
  now: number,
): Promise<{ from: number; to: number }> {
  let to = req.to;
  if (to === undefined) {
    const last = req.from === undefined ? await repo.lastTickAt(markets.map((m) => m.key)) : null;
    to = last !== null && last < now ? last + 1 : now;
    if (req.from !== undefined) to = Math.min(now, req.from + DEFAULT_RANGE_MS[req.interval]);
  }
  const from = req.from ?? to - DEFAULT_RANGE_MS[req.interval];
  if (from >= to) throw new HistoryQueryError('Invalid range: from must be before to');
  const max = MAX_RANGE_MS[req.interval];
  if (to - from > max)
    throw new HistoryQueryError(
      `Range too long for interval ${req.interval}: at most ${max / H} hours (asked ${Math.ceil((to - from) / H)})`,
    );
  return { from, to };
}

/** Candles or ticks of one market in [from, to). */
async function seriesOf(
  repo: HistoryRepository,
  key: number,
  interval: HistoryInterval,
  from: number,
  to: number,
): Promise<Array<{ selectionId: number; point: TickPoint | CandlePoint }>> {
  if (interval === 'raw')
    return (await repo.ticks(key, from, to)).map((t) => ({
      selectionId: t.selectionId,
      point: tickPoint(t),
    }));
  let candles: Candle[];
  if (interval === '1s') {
    // A minute before `from` gives each runner's volume before its first candle.
    const ticks = await repo.ticks(key, from - 60_000, to);
    candles = candlesOf(ticks, INTERVAL_MS['1s']).filter((c) => c.bucket >= Math.floor(from / 1000) * 1000);
  } else if (interval === '1h') {
    candles = await repo.candles('history_candles_1h', key, Math.floor(from / H) * H, to);
  } else {
    const step = INTERVAL_MS[interval];
    const minutes = await repo.candles('history_candles_1m', key, Math.floor(from / step) * step, to);
    candles = interval === '5m' ? rollUp(minutes, step) : minutes;
  }
  return candles.map((c) => ({ selectionId: c.selectionId, point: candlePoint(c) }));
}

/**
 * Odds history of an event: every (or one) market, every (or one) runner, as raw ticks or candles. Throws
 * HistoryQueryError for a range or size it will not serve.
 */
export async function queryHistory(
  repo: HistoryRepository,
  req: HistoryRequest,
  now = Date.now(),
): Promise<HistoryAnswer> {
  const markets = await marketsOf(repo, req.eventId, req.marketId);
  const { from, to } = await rangeOf(repo, markets, req, now);
  const names = new Map<string, RunnerLines>();
  for (const r of await repo.runners(markets.map((m) => m.key)))
    names.set(`${r.marketKey}:${r.selectionId}`, r);
  let points = 0;
  const out: HistoryMarket[] = [];
  for (const m of markets) {
    const byRunner = new Map<number, HistoryRunner>();
    for (const { selectionId, point } of await seriesOf(repo, m.key, req.interval, from, to)) {
      if (req.selectionId !== undefined && selectionId !== req.selectionId) continue;
      let r = byRunner.get(selectionId);
      if (!r) {
        const line = names.get(`${m.key}:${selectionId}`);
        byRunner.set(
          selectionId,
          (r = { selection_id: selectionId, name: line?.name ?? String(selectionId), points: [] }),
        );
      }
      r.points.push(point);
      if (++points > MAX_POINTS)
        throw new HistoryQueryError(
          `Too many points: more than ${MAX_POINTS}; narrow from/to, pick a market and runner, or a coarser interval`,
        );
    }
    const order = (sel: number) => names.get(`${m.key}:${sel}`)?.sortPriority ?? sel;
    const runners = [...byRunner.values()].sort((a, b) => order(a.selection_id) - order(b.selection_id));
    for (const r of runners) r.points.sort((a, b) => a.ts - b.ts);
    out.push({ market_id: m.marketId, market_name: m.name, market_type: m.type, source: m.source, runners });
  }
  const gaps = (await repo.gaps(100)).filter(
    (g: Gap) => (g.toAt === null || g.toAt >= from) && (g.fromAt === null || g.fromAt < to),
  );
  return {
    event_id: req.eventId,
    interval: req.interval,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    points,
    markets: out,
    gaps: gaps.map((g) => ({
      from: g.fromAt === null ? null : new Date(g.fromAt).toISOString(),
      to: g.toAt === null ? null : new Date(g.toAt).toISOString(),
      reason: g.reason,
    })),
  };
}

/** One side of a line: best prices, LTP and volume at a moment. */
export interface LinePoint {
  at: string;
  back: number | null;
  back_size: number | null;
  lay: number | null;
  lay_size: number | null;
  ltp: number | null;
  tv: number | null;
}

export interface ClosingRunner {
  selection_id: number;
  name: string;
  /** The last pre-play prices. */
  closing: LinePoint | null;
  /** The first in-play prices. */
  opening_in_play: LinePoint | null;
  bsp: number | null;
}

export interface ClosingAnswer {
  event_id: number;
  markets: Array<{ market_id: string; market_name: string; market_type: string; runners: ClosingRunner[] }>;
}

function linePoint(t: Tick | null): LinePoint | null {
  return (
    t && {
      at: new Date(t.ts).toISOString(),
      back: fromHundredths(t.back),
      back_size: fromHundredths(t.backSize),
      lay: fromHundredths(t.lay),
      lay_size: fromHundredths(t.laySize),
      ltp: fromHundredths(t.ltp),
      tv: fromHundredths(t.tv),
    }
  );
}

/** Closing lines (last pre-play), opening in-play lines and BSP of every runner of an event's markets. */
export async function queryClosing(
  repo: HistoryRepository,
  eventId: number,
  marketId?: string,
): Promise<ClosingAnswer> {
  const markets = await marketsOf(repo, eventId, marketId);
  const lines = await repo.runners(markets.map((m) => m.key));
  return {
    event_id: eventId,
    markets: markets.map((m) => ({
      market_id: m.marketId,
      market_name: m.name,
      market_type: m.type,
      runners: lines
        .filter((r) => r.marketKey === m.key)
        .map((r) => ({
          selection_id: r.selectionId,
          name: r.name,
          closing: linePoint(r.close),
          opening_in_play: linePoint(r.open),
          bsp: fromHundredths(r.bsp),
        })),
    })),
  };
}
