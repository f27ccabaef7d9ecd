import type { Tick } from './tick.js';

/** Open, high, low, close of one price series in a bucket (hundredths), or null when it had none. */
export interface Ohlc {
  o: number;
  h: number;
  l: number;
  c: number;
}

/** A candle of one runner: OHLC of best back, best lay and LTP, and the volume traded in the bucket. */
export interface Candle {
  selectionId: number;
  /** Bucket start, epoch ms. */
  bucket: number;
  back: Ohlc | null;
  lay: Ohlc | null;
  ltp: Ohlc | null;
  /** Traded volume (hundredths) before the bucket's first tick; volume = tvClose - tvPrev. */
  tvPrev: number;
  tvClose: number;
  ticks: number;
}

export const INTERVAL_MS = { '1s': 1000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000 } as const;
export type CandleInterval = keyof typeof INTERVAL_MS;

function extend(s: Ohlc | null, v: number): Ohlc | null {
  if (v === 0) return s;
  if (!s) return { o: v, h: v, l: v, c: v };
  s.h = Math.max(s.h, v);
  s.l = Math.min(s.l, v);
  s.c = v;
  return s;
}

function mergeOhlc(a: Ohlc | null, b: Ohlc | null): Ohlc | null {
  if (!a) return b && { ...b };
  if (!b) return { ...a };
  return { o: a.o, h: Math.max(a.h, b.h), l: Math.min(a.l, b.l), c: b.c };
}

/**
 * Candles of `intervalMs` from ticks in time order. `prevTv` gives each runner's traded volume before the
 * first tick (missing: the first tick's own volume), so a candle's volume counts what traded in it.
 */
export function candlesOf(
  ticks: Iterable<Tick>,
  intervalMs: number,
  prevTv: ReadonlyMap<number, number> = new Map(),
): Candle[] {
  const out = new Map<string, Candle>();
  const lastTv = new Map(prevTv);
  for (const t of ticks) {
    const bucket = Math.floor(t.ts / intervalMs) * intervalMs;
    const key = `${t.selectionId}:${bucket}`;
    let c = out.get(key);
    if (!c) {
      c = {
        selectionId: t.selectionId,
        bucket,
        back: null,
        lay: null,
        ltp: null,
        tvPrev: lastTv.get(t.selectionId) ?? t.tv,
        tvClose: t.tv,
        ticks: 0,
      };
      out.set(key, c);
    }
    c.back = extend(c.back, t.back);
    c.lay = extend(c.lay, t.lay);
    c.ltp = extend(c.ltp, t.ltp);
    c.tvClose = t.tv;
    c.ticks++;
    lastTv.set(t.selectionId, t.tv);
  }
  return [...out.values()];
}

/** Merges candles (sorted by bucket per runner) into coarser buckets of `intervalMs`. */
export function rollUp(candles: Iterable<Candle>, intervalMs: number): Candle[] {
  const out = new Map<string, Candle>();
  for (const c of candles) {
    const bucket = Math.floor(c.bucket / intervalMs) * intervalMs;
    const key = `${c.selectionId}:${bucket}`;
    const have = out.get(key);
    out.set(key, have ? mergeCandles(have, c) : { ...c, bucket });
  }
  return [...out.values()];
}

/** `a` then `b` (b later) as one candle at a's bucket. */
export function mergeCandles(a: Candle, b: Candle): Candle {
  return {
    selectionId: a.selectionId,
    bucket: a.bucket,
    back: mergeOhlc(a.back, b.back),
    lay: mergeOhlc(a.lay, b.lay),
    ltp: mergeOhlc(a.ltp, b.ltp),
    tvPrev: a.tvPrev,
    tvClose: b.tvClose,
    ticks: a.ticks + b.ticks,
  };
}
