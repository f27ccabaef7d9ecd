import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { SourceState, SourceStatus } from '../../model/index.js';
import type { Source, UpdateSink } from '../types.js';
import type { Clock } from '../../core/clock.js';
import { lines, readHistoricalFile } from './historical.js';
import { createBetfairPipeline, type BetfairPipeline } from './pipeline.js';
import { silentLogger, type BetfairLogger } from './types.js';
import { OddsgateError } from '../../core/errors.js';

/** Options of {@link HistoricalSource}. */
export interface HistoricalSourceOptions {
  /** Files played one after the other (plain NDJSON or .bz2). */
  files: readonly string[];
  /** Source name; default "historical". */
  name?: string;
  /** Speed factor: waits are the `pt` gaps divided by it; 0 (default) plays as fast as possible. */
  speed?: number;
  /** Longest single wait in ms when pacing (long pre-race gaps are cut to it); default: no limit. */
  maxGapMs?: number;
  /** Lines between two yields to the event loop; default 500. */
  yieldEvery?: number;
  closedMarketTtlMs?: number;
  logger?: BetfairLogger;
  clock?: Clock;
}

/** Thrown inside the player when stop() interrupts it. */
class Stopped extends OddsgateError<'ERR_STOPPED'> {
  constructor() {
    super('ERR_STOPPED', 'stopped');
  }
}

/**
 * Replays Betfair historical files (or stream recordings) through the same pipeline as the live stream,
 * at a speed factor or as fast as possible, yielding to the event loop as it goes. State is `connected`
 * while playing and `stopped` once every file has been played (or stop() was called).
 */
export class HistoricalSource implements Source {
  readonly name: string;
  private state: SourceState = 'stopped';
  private pipeline: BetfairPipeline | null = null;
  private run: Promise<void> = Promise.resolve();
  private abort: AbortController | null = null;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private currentFile: string | null = null;
  private filesDone = 0;
  private readonly clock: Clock;
  private readonly log: BetfairLogger;

  constructor(private readonly opts: HistoricalSourceOptions) {
    this.name = opts.name ?? 'historical';
    this.clock = opts.clock ?? Date.now;
    this.log = opts.logger ?? silentLogger;
  }

  /** Starts playing in the background; resolves at once (see {@link whenDone}). */
  async start(sink: UpdateSink): Promise<void> {
    if (this.abort) await this.stop();
    this.abort = new AbortController();
    this.pipeline = createBetfairPipeline({
      source: this.name,
      sink,
      logger: this.log,
      clock: this.clock,
      maxLatencyMs: null,
      ...(this.opts.closedMarketTtlMs !== undefined
        ? { closedMarketTtlMs: this.opts.closedMarketTtlMs }
        : {}),
      onMalformed: (r) => this.setError(`${this.currentFile ?? ''}: malformed line skipped: ${r.error}`),
    });
    this.filesDone = 0;
    this.state = 'connected';
    this.run = this.play(this.pipeline, this.abort.signal);
  }

  /** Stops playing and waits for the player to finish. */
  async stop(): Promise<void> {
    this.abort?.abort();
    await this.run;
    this.abort = null;
    this.state = 'stopped';
  }

  /** Resolves when playback ends (every file played, or stopped). */
  whenDone(): Promise<void> {
    return this.run;
  }

  /** The pipeline of the current run (its caches and counters), null before start. */
  get current(): BetfairPipeline | null {
    return this.pipeline;
  }

  /** Status for /status and /admin/health. */
  status(): SourceStatus {
    const p = this.pipeline?.status();
    return {
      source: this.name,
      kind: 'historical',
      state: this.state,
      connected: this.state === 'connected',
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastUpdateAt: p?.lastUpdateAt ?? null,
      frames: p?.frames ?? 0,
      markets: p?.markets ?? 0,
      details: {
        files: [...this.opts.files],
        currentFile: this.currentFile,
        filesDone: this.filesDone,
        speed: this.opts.speed ?? 0,
        clk: p?.clk ?? null,
        lastPt: p?.lastPt ?? null,
        malformed: p?.malformed ?? 0,
        updatesPushed: p?.updatesPushed ?? 0,
      },
    };
  }

  private async play(pipeline: BetfairPipeline, signal: AbortSignal): Promise<void> {
    try {
      for (const path of this.opts.files) {
        if (signal.aborted) break;
        this.currentFile = path;
        await this.playFile(pipeline, path, signal);
        this.filesDone++;
      }
    } catch (err) {
      if (!(err instanceof Stopped)) this.setError(err instanceof Error ? err.message : String(err));
    } finally {
      this.currentFile = null;
      this.state = 'stopped';
    }
  }

  private async playFile(pipeline: BetfairPipeline, path: string, signal: AbortSignal): Promise<void> {
    let file;
    try {
      file = await readHistoricalFile(path);
    } catch (err) {
      this.setError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const pacer = new Pacer(this.opts.speed ?? 0, this.opts.maxGapMs ?? Infinity, this.clock);
    const yieldEvery = Math.max(1, this.opts.yieldEvery ?? 500);
    let n = 0;
    for (const line of lines(file.text)) {
      if (signal.aborted) throw new Stopped();
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch {
        pipeline.handleLine(line); // reported as malformed by the listener
        continue;
      }
      const wait = pacer.waitFor((msg as { pt?: unknown }).pt);
      if (wait > 1) await sleep(wait, undefined, { signal }).catch(() => undefined);
      else if (++n % yieldEvery === 0) await yieldToLoop();
      if (signal.aborted) throw new Stopped();
      pipeline.handleMessage(msg);
    }
  }

  private setError(message: string): void {
    this.lastError = message;
    this.lastErrorAt = this.clock();
    this.log.warn({ source: this.name, error: message }, 'historical replay problem');
  }
}

/** Maps publish times to wall-clock due times: (pt − first pt − skipped gaps) / speed after the start. */
class Pacer {
  private startAt = 0;
  private firstPt: number | null = null;
  private prevPt = 0;
  private skipped = 0;

  constructor(
    private readonly speed: number,
    private readonly maxGapMs: number,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds to wait before a message published at `pt` (0 when not pacing). */
  waitFor(pt: unknown): number {
    if (this.speed <= 0 || typeof pt !== 'number') return 0;
    if (this.firstPt === null) {
      this.firstPt = this.prevPt = pt;
      this.startAt = this.clock();
      return 0;
    }
    const gap = pt - this.prevPt;
    if (gap > this.maxGapMs * this.speed) this.skipped += gap - this.maxGapMs * this.speed;
    if (pt > this.prevPt) this.prevPt = pt;
    const due = this.startAt + (pt - this.firstPt - this.skipped) / this.speed;
    return due - this.clock();
  }
}
