import { performance } from 'node:perf_hooks';
import type { SourceStatus } from '../../src/model/index.js';
import { ExchangeSimulator, type ExchangeSimulatorOptions } from '../../src/sim/exchange.js';
import { createBetfairPipeline, type BetfairPipeline } from '../../src/sources/betfair/pipeline.js';
import type { Source, UpdateSink } from '../../src/sources/types.js';

/** Epoch ms with sub-millisecond precision, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The simulator as the "sim" source (simulator → Betfair pipeline → ingest, as SimSource does), with one
 * difference for latency measurement: each frame's `pt` is the time the frame left the simulator (stamped
 * as it is handed over) instead of the simulator's 50 ms tick boundary, so a market's `publishedAt` says
 * exactly when its upstream frame was sent. Everything downstream is the production code.
 */
export class StampedSimSource implements Source {
  readonly name = 'sim';
  private sim: ExchangeSimulator | null = null;
  private pipeline: BetfairPipeline | null = null;
  private unsubscribe: (() => void) | null = null;
  private frames = 0;
  private sink: UpdateSink | null = null;

  /** With `paused`, nothing happens at start (no market yet) until run() starts the simulator. */
  constructor(
    private readonly opts: Required<Pick<ExchangeSimulatorOptions, 'seed' | 'speed' | 'rate' | 'events'>>,
    private readonly paused = false,
  ) {}

  /** Starts a paused source. */
  run(): void {
    if (this.sink && !this.sim) this.begin(this.sink);
  }

  /** The running simulator (null before start). */
  get simulator(): ExchangeSimulator | null {
    return this.sim;
  }

  /** Starts the simulator on its timer (unless paused) and feeds its frames, stamped, through the pipeline. */
  async start(sink: UpdateSink): Promise<void> {
    this.sink = sink;
    if (!this.paused) this.begin(sink);
  }

  private begin(sink: UpdateSink): void {
    const sim = new ExchangeSimulator(this.opts);
    const pipeline = createBetfairPipeline({ source: this.name, sink, maxLatencyMs: null });
    this.sim = sim;
    this.pipeline = pipeline;
    this.unsubscribe = sim.subscribe((msg) => {
      this.frames++;
      pipeline.handleMessage({ ...msg, pt: nowMs() });
    });
    sim.start();
  }

  /** Stops the simulator. */
  async stop(): Promise<void> {
    this.sim?.stop();
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Connected while the simulator runs. */
  status(): SourceStatus {
    const p = this.pipeline?.status();
    const running = this.sim?.running ?? false;
    return {
      source: this.name,
      kind: 'sim',
      state: running ? 'connected' : 'stopped',
      connected: running,
      lastError: null,
      lastErrorAt: null,
      lastUpdateAt: p?.lastUpdateAt ?? null,
      frames: this.frames,
      markets: p?.markets ?? 0,
      details: { ...this.opts, stamped: true },
    };
  }
}
