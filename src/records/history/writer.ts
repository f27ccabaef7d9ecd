import type { Logger } from 'pino';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;
import type { LogEntry } from '../../model/index.js';
import { compareLogIds } from '../../store/log-id.js';
import type { Store } from '../../store/types.js';
import { BatchBuilder, metaOf, RunnerState } from './batch.js';
import type { Gap, HistoryRepository, MarketMeta } from './repository.js';

/** Options of the history writer. */
export interface HistoryWriterOptions {
  store: Pick<Store, 'readLog' | 'oldestLogId' | 'kind'>;
  repo: HistoryRepository;
  logger?: Log | undefined;
  /** The newest update-log entry this process knows of (the read model's position), for lag. */
  head?: () => { id: string | null; ts: number | null };
  /** False while another instance writes history (the ingest lease is elsewhere): the writer waits. */
  active?: () => boolean;
  /** Pause between batches once caught up (default 1000 ms: one transaction a second). */
  flushMs?: number;
  /** Update-log entries read into one batch at most (default 20,000): the writer's whole buffer. */
  batchEntries?: number;
  /** Longest wait between retries while the database fails (default 10 s). */
  maxBackoffMs?: number;
  /** How often closed minutes are compacted (one block per market-minute); 0: never (default 60 s). */
  compactEveryMs?: number;
  /** Called after each written batch (metrics). */
  onBatch?: (ms: number, ticks: number) => void;
}

/** What /admin/health and the metrics show of the writer. */
export interface HistoryWriterStats {
  running: boolean;
  /** The last update-log entry written (the checkpoint), and its time. */
  position: string | null;
  positionTs: number | null;
  ticksWritten: number;
  blocksWritten: number;
  batches: number;
  lastBatchMs: number | null;
  gaps: number;
  /** True while the database refuses writes (history pauses; odds keep flowing). */
  paused: boolean;
  failures: number;
  lastError: string | null;
}

/**
 * The odds-history writer: reads the update log after its checkpoint (like the read model tails it),
 * turns market changes into ticks of the runners whose best prices, LTP, volume or status changed, and
 * writes them with their candle rollups, runner lines and the new checkpoint in one transaction about
 * once a second. The log is its buffer: it reads at most `batchEntries` at a time, so ingest never waits
 * for it. When the log no longer holds what follows the checkpoint (fell behind, or a crash with a log
 * that does not survive restarts) it records a gap row and counts it. While the database fails it
 * pauses and retries from the same checkpoint.
 */
export class HistoryWriter {
  readonly stats: HistoryWriterStats = {
    running: false,
    position: null,
    positionTs: null,
    ticksWritten: 0,
    blocksWritten: 0,
    batches: 0,
    lastBatchMs: null,
    gaps: 0,
    paused: false,
    failures: 0,
    lastError: null,
  };
  private readonly state = new RunnerState();
  private readonly keys = new Map<string, { key: number; meta: string }>();
  private readonly flushMs: number;
  private readonly batchEntries: number;
  private readonly maxBackoffMs: number;
  private readonly logger: Log | undefined;
  private stopped = false;
  private started = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private backoffMs = 0;
  private readonly compactEveryMs: number;
  private lastCompact = 0;
  /** Minutes before this (epoch ms) are compacted already (this process's work). */
  private compactedTo: number | null = null;
  /** A gap found at start whose end is the first entry read. */
  private openGap: Omit<Gap, 'toLogId' | 'toAt'> | null = null;

  constructor(private readonly opts: HistoryWriterOptions) {
    this.flushMs = opts.flushMs ?? 1000;
    this.batchEntries = opts.batchEntries ?? 20_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.compactEveryMs = opts.compactEveryMs ?? 60_000;
    this.logger = opts.logger;
  }

  /** Starts the loop (resuming from the checkpoint). */
  start(): void {
    if (this.loop) return;
    this.stats.running = true;
    this.loop = this.run().finally(() => (this.stats.running = false));
  }

  /** Writes what the log holds now, then stops; the checkpoint is marked clean when nothing was left. */
  async close(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    if (!this.started || this.stats.paused) return;
    try {
      const deadline = Date.now() + 3000;
      let read = this.batchEntries;
      while (read === this.batchEntries && Date.now() < deadline) read = await this.step();
      if (read < this.batchEntries) await this.opts.repo.markClean(true);
    } catch (err) {
      this.logger?.warn({ err: errorText(err) }, 'history: last batch not written at shutdown');
    }
  }

  /** Entries the writer has yet to write, counted up to `cap` (reads the log). */
  async lagEntries(cap = 1000): Promise<number> {
    if (!this.started) return 0;
    return (await this.opts.store.readLog(this.stats.position, cap)).length;
  }

  /** Seconds between the newest entry known and the last one written. */
  lagSeconds(): number {
    const head = this.opts.head?.();
    if (!head || head.id === null || head.ts === null) return 0;
    if (this.stats.position !== null && compareLogIds(head.id, this.stats.position) <= 0) return 0;
    return Math.max(0, (head.ts - (this.stats.positionTs ?? head.ts)) / 1000);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let read = 0;
      try {
        if (this.opts.active && !this.opts.active()) {
          await this.sleep(this.flushMs);
          continue;
        }
        if (!this.started) await this.resume();
        read = await this.step();
        if (read < this.batchEntries) await this.maybeCompact();
        if (this.stats.paused)
          this.logger?.info({ position: this.stats.position }, 'history: database reachable again; resumed');
        this.stats.paused = false;
        this.backoffMs = 0;
      } catch (err) {
        this.failed(err);
        await this.sleep(this.backoffMs);
        continue;
      }
      if (read < this.batchEntries) await this.sleep(this.flushMs);
    }
  }

  /** Loads the checkpoint and decides whether the stretch since it is lost (a gap). */
  private async resume(): Promise<void> {
    const cp = await this.opts.repo.checkpoint();
    if (cp) {
      this.stats.position = cp.logId;
      this.stats.positionTs = cp.logTs;
      const oldest = await this.opts.store.oldestLogId();
      const trimmed = oldest !== null && compareLogIds(oldest, cp.logId) > 0;
      const logLost = oldest === null && this.opts.store.kind === 'memory';
      if (!cp.clean && (trimmed || logLost))
        this.openGap = {
          fromLogId: cp.logId,
          fromAt: cp.logTs,
          reason: trimmed
            ? 'the update log no longer held the entries after the checkpoint'
            : 'restart after an unclean stop: the in-memory update log did not survive',
        };
      else if (trimmed && this.opts.store.kind !== 'memory')
        this.openGap = {
          fromLogId: cp.logId,
          fromAt: cp.logTs,
          reason: 'the update log no longer held the entries after the checkpoint',
        };
    }
    this.started = true;
    this.logger?.info({ position: this.stats.position }, 'history writer started');
  }

  /** Reads one batch of entries after the checkpoint and writes it; returns the entries read. */
  private async step(): Promise<number> {
    const position = this.stats.position;
    const entries = await this.opts.store.readLog(position, this.batchEntries);
    if (entries.length === 0) return 0;
    const builder = new BatchBuilder(this.state);
    const first = entries[0]!;
    if (this.openGap) builder.gaps.push({ ...this.openGap, toLogId: first.id, toAt: first.ts });
    else if (position !== null) {
      // Trimming removes the oldest entries first: if the oldest now is past our position, what lay
      // between it and the first entry read may be gone.
      const oldest = await this.opts.store.oldestLogId();
      if (oldest !== null && compareLogIds(oldest, position) > 0 && compareLogIds(first.id, position) > 0)
        builder.gaps.push({
          fromLogId: position,
          toLogId: first.id,
          fromAt: this.stats.positionTs,
          toAt: first.ts,
          reason: 'the history writer fell behind the update log (entries trimmed before it read them)',
        });
    }
    for (const e of entries) this.apply(builder, e);
    const last = entries[entries.length - 1]!;
    const t0 = performance.now();
    const keys = await this.marketKeys(builder.markets().map(metaOf));
    await this.opts.repo.write(builder.build(keys, { logId: last.id, logTs: last.ts, clean: false }));
    builder.commit();
    const ms = performance.now() - t0;
    for (const g of builder.gaps)
      this.logger?.warn({ gap: g }, 'history gap recorded: odds history misses this stretch');
    this.openGap = null;
    this.stats.gaps += builder.gaps.length;
    this.stats.position = last.id;
    this.stats.positionTs = last.ts;
    this.stats.ticksWritten += builder.ticks;
    this.stats.batches++;
    this.stats.lastBatchMs = ms;
    this.opts.onBatch?.(ms, builder.ticks);
    return entries.length;
  }

  /**
   * Merges the one-a-second blocks of minutes closed for two minutes into one block per market-minute
   * (compact storage), at most every compactEveryMs, from where the last run stopped (an hour back at first).
   */
  private async maybeCompact(): Promise<void> {
    const now = Date.now();
    if (this.compactEveryMs === 0 || now - this.lastCompact < this.compactEveryMs) return;
    this.lastCompact = now;
    const before = Math.floor((now - 120_000) / 60_000) * 60_000;
    const since = this.compactedTo ?? before - 3_600_000;
    try {
      const { merged, more } = await this.opts.repo.compact(since, before);
      if (!more) this.compactedTo = before;
      if (merged > 0) this.logger?.info({ merged }, 'history: blocks compacted');
    } catch (err) {
      this.logger?.warn({ err: errorText(err) }, 'history: compaction failed; retried later');
    }
  }

  private apply(builder: BatchBuilder, e: LogEntry): void {
    const c = e.change;
    if (c.type === 'market') builder.market(c.market, e.ts);
    else if (c.type === 'marketRemoved') builder.forget(c.marketId);
  }

  /** Keys of the batch's markets: cached, and upserted when new or when their names or event changed. */
  private async marketKeys(metas: MarketMeta[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: MarketMeta[] = [];
    for (const m of metas) {
      const have = this.keys.get(m.marketId);
      if (have && have.meta === JSON.stringify(m)) out.set(m.marketId, have.key);
      else missing.push(m);
    }
    if (missing.length > 0) {
      const got = await this.opts.repo.marketKeys(missing);
      for (const m of missing) {
        const key = got.get(m.marketId);
        if (key === undefined) continue;
        out.set(m.marketId, key);
        this.keys.set(m.marketId, { key, meta: JSON.stringify(m) });
      }
    }
    return out;
  }

  private failed(err: unknown): void {
    this.stats.failures++;
    this.stats.lastError = errorText(err);
    if (!this.stats.paused)
      this.logger?.error(
        { err: this.stats.lastError, position: this.stats.position },
        'history: database write failed; history paused, resumes from its checkpoint (odds keep flowing)',
      );
    this.stats.paused = true;
    this.backoffMs = Math.min(this.maxBackoffMs, Math.max(250, this.backoffMs * 2));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
