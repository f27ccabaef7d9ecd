import type { Market } from '../../model/index.js';
import { encodeTicks } from './codec.js';
import { candlesOf, INTERVAL_MS } from './candles.js';
import type { Checkpoint, Gap, HistoryBatch, MarketMeta, RunnerUpdate, TickBlock } from './repository.js';
import { hundredths, tickChanged, tickOf, unpackFlags, type Tick } from './tick.js';

const MINUTE_MS = 60_000;

/** The market's row in history_markets. */
export function metaOf(m: Market): MarketMeta {
  return {
    marketId: m.id,
    eventId: m.eventId,
    source: m.source,
    type: m.type,
    name: m.name,
    startTime: m.startTime,
  };
}

/** Each runner's last stored tick, per market: what a new market version is compared with. */
export class RunnerState {
  private readonly markets = new Map<string, Map<number, Tick>>();

  get(marketId: string, selectionId: number): Tick | undefined {
    return this.markets.get(marketId)?.get(selectionId);
  }

  set(marketId: string, tick: Tick): void {
    let m = this.markets.get(marketId);
    if (!m) this.markets.set(marketId, (m = new Map()));
    m.set(tick.selectionId, tick);
  }

  forget(marketId: string): void {
    this.markets.delete(marketId);
  }

  /** Markets tracked. */
  get size(): number {
    return this.markets.size;
  }
}

interface MarketTicks {
  market: Market;
  ticks: Tick[];
}

/**
 * Collects one batch: the ticks of runners whose stored values changed (compared with `state` and the
 * batch's own earlier ticks), then builds the rows of one transaction — tick blocks per market and UTC
 * minute, 1-minute and 1-hour candle rollups, runner lines — and the state to commit once written.
 */
export class BatchBuilder {
  private readonly byMarket = new Map<string, MarketTicks>();
  private readonly staged = new Map<string, Map<number, Tick>>();
  private readonly forgotten = new Set<string>();
  readonly gaps: Gap[] = [];
  ticks = 0;
  entries = 0;

  constructor(private readonly state: RunnerState) {}

  /** A market version at `ts`: a tick for each runner whose values changed. */
  market(m: Market, ts: number): void {
    let mt = this.byMarket.get(m.id);
    for (const r of m.runners) {
      const t = tickOf(m, r, ts);
      const prev =
        this.staged.get(m.id)?.get(r.selectionId) ??
        (this.forgotten.has(m.id) ? undefined : this.state.get(m.id, r.selectionId));
      if (prev && !tickChanged(prev, t)) continue;
      if (!mt) this.byMarket.set(m.id, (mt = { market: m, ticks: [] }));
      mt.ticks.push(t);
      let s = this.staged.get(m.id);
      if (!s) this.staged.set(m.id, (s = new Map()));
      s.set(r.selectionId, t);
      this.ticks++;
    }
    if (mt) mt.market = m;
  }

  /** A market removed: its runners start afresh if it comes back. */
  forget(marketId: string): void {
    this.staged.delete(marketId);
    this.forgotten.add(marketId);
  }

  /** Markets with ticks in this batch. */
  markets(): Market[] {
    return [...this.byMarket.values()].map((x) => x.market);
  }

  /** The rows of the transaction, given the markets' keys. */
  build(keys: ReadonlyMap<string, number>, checkpoint: Checkpoint | null): HistoryBatch {
    const batch: HistoryBatch = {
      blocks: [],
      candles1m: [],
      candles1h: [],
      runners: [],
      checkpoint,
      gaps: this.gaps,
    };
    for (const { market, ticks } of this.byMarket.values()) {
      const key = keys.get(market.id);
      if (key === undefined) throw new Error(`history: no key for market ${market.id}`);
      batch.blocks.push(...blocksOf(key, ticks));
      const prevTv = new Map<number, number>();
      for (const r of market.runners) {
        const p = this.forgotten.has(market.id) ? undefined : this.state.get(market.id, r.selectionId);
        if (p) prevTv.set(r.selectionId, p.tv);
      }
      for (const c of candlesOf(ticks, INTERVAL_MS['1m'], prevTv))
        batch.candles1m.push({ ...c, marketKey: key });
      for (const c of candlesOf(ticks, INTERVAL_MS['1h'], prevTv))
        batch.candles1h.push({ ...c, marketKey: key });
      batch.runners.push(...runnerUpdates(key, market, ticks));
    }
    return batch;
  }

  /** Makes the batch's ticks the state later batches compare with (after it was written). */
  commit(): void {
    for (const id of this.forgotten) this.state.forget(id);
    for (const [id, runners] of this.staged) for (const t of runners.values()) this.state.set(id, t);
  }
}

/** Splits a market's ticks (time order) into packed blocks that never cross a UTC minute. */
export function blocksOf(marketKey: number, ticks: readonly Tick[]): TickBlock[] {
  const out: TickBlock[] = [];
  let start = 0;
  for (let i = 1; i <= ticks.length; i++) {
    const first = ticks[start]!;
    const t = ticks[i];
    if (t && Math.floor(t.ts / MINUTE_MS) === Math.floor(first.ts / MINUTE_MS) && t.ts >= first.ts) continue;
    out.push({ marketKey, t0: first.ts, data: encodeTicks(ticks.slice(start, i)) });
    start = i;
  }
  return out;
}

/**
 * Each runner's name, the batch's last pre-play tick while the market was open (the closing line) and first
 * in-play tick, and its BSP.
 */
export function runnerUpdates(key: number, market: Market, ticks: readonly Tick[]): RunnerUpdate[] {
  const close = new Map<number, Tick>();
  const open = new Map<number, Tick>();
  for (const t of ticks) {
    const f = unpackFlags(t.flags);
    if (f.inPlay) {
      if (!open.has(t.selectionId)) open.set(t.selectionId, t);
    } else if (f.marketStatus === 'OPEN') close.set(t.selectionId, t);
  }
  return market.runners.map((r) => ({
    marketKey: key,
    selectionId: r.selectionId,
    name: r.name,
    sortPriority: r.sortPriority,
    close: close.get(r.selectionId) ?? null,
    open: open.get(r.selectionId) ?? null,
    bsp: hundredths(r.bsp),
  }));
}
