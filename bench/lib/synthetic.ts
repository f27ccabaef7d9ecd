import type { PriceLevel, Runner, SourceStatus, SourceUpdate } from '../../src/model/index.js';
import type { Source, UpdateSink } from '../../src/sources/types.js';

/** Events × markets per event × runners × ladder levels of a synthetic book. */
export interface SyntheticShape {
  events: number;
  marketsPerEvent: number;
  runners: number;
  levels: number;
}

function ladder(base: number, levels: number, dir: 1 | -1): PriceLevel[] {
  const out: PriceLevel[] = [];
  for (let i = 0; i < levels; i++)
    out.push({ price: +(base + dir * i * 0.02).toFixed(2), size: 100 + i * 250 });
  return out;
}

function runners(n: number, seed: number, levels: number): Runner[] {
  const out: Runner[] = [];
  for (let r = 0; r < n; r++) {
    const p = 2 + ((seed * 7 + r * 13) % 300) / 10;
    out.push({
      selectionId: 1000 + r,
      handicap: 0,
      name: `Runner ${r + 1}`,
      status: 'ACTIVE',
      sortPriority: r + 1,
      back: ladder(p, levels, -1),
      lay: ladder(p + 0.02, levels, 1),
      ltp: p,
      tv: 5000 + r,
      bsp: null,
      adjustmentFactor: null,
    });
  }
  return out;
}

/** The updates of a synthetic book: one event update and its markets per event, events starting tomorrow. */
export function syntheticUpdates(shape: SyntheticShape, source = 'synthetic'): SourceUpdate[] {
  const start = new Date(Date.now() + 24 * 3600_000).toISOString();
  const out: SourceUpdate[] = [];
  for (let e = 0; e < shape.events; e++) {
    const upstreamEventId = `S${e}`;
    out.push({
      kind: 'event',
      source,
      upstreamEventId,
      event: { sportId: 26, name: `Synthetic ${e}`, startTime: start, status: 'OPEN', inPlay: false },
    });
    for (let m = 0; m < shape.marketsPerEvent; m++) {
      const id = `9.${e * shape.marketsPerEvent + m}`;
      out.push({
        kind: 'market',
        source,
        upstreamEventId,
        market: {
          id,
          source,
          type: m === 0 ? 'WIN' : `OTHER_${m}`,
          name: `Market ${m}`,
          status: 'OPEN',
          inPlay: false,
          minStake: null,
          maxStake: null,
          totalMatched: 10_000 + m,
          numberOfWinners: 1,
          startTime: start,
          runners: runners(shape.runners, e * 31 + m, shape.levels),
          publishedAt: Date.now(),
        },
      });
    }
  }
  return out;
}

/** A source that pushes a synthetic book once, in chunks, at start, then stays connected and quiet. */
export class SyntheticSource implements Source {
  readonly name = 'synthetic';
  private started = false;

  constructor(private readonly shape: SyntheticShape) {}

  async start(sink: UpdateSink): Promise<void> {
    this.started = true;
    const all = syntheticUpdates(this.shape, this.name);
    for (let i = 0; i < all.length; i += 1000) sink(all.slice(i, i + 1000));
  }

  async stop(): Promise<void> {
    this.started = false;
  }

  status(): SourceStatus {
    return {
      source: this.name,
      kind: 'synthetic',
      state: this.started ? 'connected' : 'stopped',
      connected: this.started,
      lastError: null,
      lastErrorAt: null,
      lastUpdateAt: null,
      frames: 0,
      markets: this.shape.events * this.shape.marketsPerEvent,
      details: { ...this.shape },
    };
  }
}

/** Wraps a source so it starts only when open() is called (the app starts every source when ready). */
export class GatedSource implements Source {
  private sink: UpdateSink | null = null;
  private running = false;

  constructor(readonly inner: Source) {}

  get name(): string {
    return this.inner.name;
  }

  async start(sink: UpdateSink): Promise<void> {
    this.sink = sink;
  }

  /** Starts the wrapped source. */
  async open(): Promise<void> {
    if (!this.sink || this.running) return;
    this.running = true;
    await this.inner.start(this.sink);
  }

  async stop(): Promise<void> {
    if (this.running) await this.inner.stop();
    this.running = false;
  }

  status(): SourceStatus {
    return this.inner.status();
  }
}
