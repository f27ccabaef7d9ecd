import type { Logger } from 'pino';
import type { Result } from '../model/index.js';
import type { RecordsDb } from './db.js';
import type { IdMapping, IdRepository } from './ids.js';
import type { ResultRepository } from './results.js';
import { Backoff, NO_JITTER } from '../core/backoff.js';

/** Options of the write-behind queue. */
export interface RecordsWriterOptions {
  /** Flush interval (default 200 ms). */
  flushMs?: number;
  /** Rows written per transaction at most (default 2,000). */
  batchMax?: number;
  /** Distinct rows waiting at most; beyond it the oldest are dropped and counted (default 100,000). */
  maxPending?: number;
  /** Longest wait between retries while the database is down (default 5 s). */
  maxBackoffMs?: number;
  logger?: Logger | undefined;
}

/** What /admin/health shows of the writer. */
export interface RecordsWriterStats {
  pending: number;
  written: number;
  dropped: number;
  failures: number;
  lastError: string | null;
}

/**
 * Write-behind of id mappings and results: callers enqueue and never wait; a timer writes batches in one
 * transaction each. Pending rows are keyed (an event's newer result, a key's newer mapping replace the
 * queued one) and bounded. While the database fails, rows stay queued and the write is retried with
 * backoff; the outage is logged once, and once more when it ends.
 */
export class RecordsWriter {
  private readonly ids = new Map<string, IdMapping>();
  private readonly results = new Map<number, Result>();
  private readonly flushMs: number;
  private readonly batchMax: number;
  private readonly maxPending: number;
  private readonly logger: Logger | undefined;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** Retries while the database is down: flushMs doubling to maxBackoffMs, reset once a write succeeds. */
  private readonly backoff: Backoff;
  private down = false;
  private stopped = false;
  readonly stats: RecordsWriterStats = { pending: 0, written: 0, dropped: 0, failures: 0, lastError: null };

  constructor(
    private readonly records: RecordsDb,
    private readonly idRepo: IdRepository,
    private readonly resultRepo: ResultRepository,
    opts: RecordsWriterOptions = {},
  ) {
    this.flushMs = opts.flushMs ?? 200;
    this.batchMax = opts.batchMax ?? 2000;
    this.maxPending = opts.maxPending ?? 100_000;
    this.backoff = new Backoff({ baseMs: this.flushMs, maxMs: opts.maxBackoffMs ?? 5000, jitter: NO_JITTER });
    this.logger = opts.logger;
  }

  /** Queues a mapping. */
  idLinked(m: IdMapping): void {
    const key = `${m.source}\u0000${m.upstreamId}`;
    this.ids.delete(key);
    this.ids.set(key, m);
    this.queued();
  }

  /** Queues a result. */
  resultStored(r: Result): void {
    this.results.delete(r.eventId);
    this.results.set(r.eventId, r);
    this.queued();
  }

  /** Rows waiting to be written. */
  get pending(): number {
    return this.ids.size + this.results.size;
  }

  /** Writes everything queued now (tests, shutdown); rejects when the database refuses. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    while (this.pending > 0) await this.writeBatch();
  }

  /** Stops the timer and makes a last attempt to write what is queued (errors are logged, not thrown). */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.flush();
    } catch (err) {
      this.logger?.error(
        { err: String(err), pending: this.pending },
        'records: rows not written at shutdown',
      );
    }
  }

  private queued(): void {
    while (this.pending > this.maxPending) {
      const victim = this.ids.size > 0 ? this.ids : this.results;
      const first = victim.keys().next();
      if (first.done) break;
      (victim as Map<unknown, unknown>).delete(first.value);
      this.stats.dropped++;
    }
    this.stats.pending = this.pending;
    this.arm(this.flushMs);
  }

  private arm(ms: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick().finally(() => (this.running = null));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      while (this.pending > 0 && !this.stopped) await this.writeBatch();
      if (this.down)
        this.logger?.info({ location: this.records.location }, 'records database reachable again');
      this.down = false;
      this.backoff.reset();
    } catch (err) {
      this.stats.failures++;
      this.stats.lastError = err instanceof Error ? err.message : String(err);
      if (!this.down)
        this.logger?.error(
          { err: this.stats.lastError, pending: this.pending },
          'records database unreachable: ids and results queued (bounded) and retried; odds keep flowing',
        );
      this.down = true;
      this.arm(this.backoff.next());
    }
  }

  /** Takes up to batchMax rows and writes them in one transaction; on failure puts them back. */
  private async writeBatch(): Promise<void> {
    const ids = take(this.ids, this.batchMax);
    const results = take(this.results, this.batchMax - ids.length);
    try {
      await this.resultRepo.prepare(results.map(([, r]) => r));
      await this.records.db.transaction().execute(async (trx) => {
        await this.idRepo.save(
          trx,
          ids.map(([, m]) => m),
        );
        await this.resultRepo.save(
          trx,
          results.map(([, r]) => r),
        );
      });
      this.stats.written += ids.length + results.length;
    } catch (err) {
      // Put back what no newer value replaced meanwhile, ahead of the newer rows.
      restore(this.ids, ids);
      restore(this.results, results);
      throw err;
    } finally {
      this.stats.pending = this.pending;
    }
  }
}

function take<K, V>(map: Map<K, V>, n: number): Array<[K, V]> {
  const out: Array<[K, V]> = [];
  for (const entry of map) {
    if (out.length >= n) break;
    out.push(entry);
  }
  for (const [k] of out) map.delete(k);
  return out;
}

function restore<K, V>(map: Map<K, V>, taken: Array<[K, V]>): void {
  const newer = [...map];
  map.clear();
  for (const [k, v] of taken) map.set(k, v);
  for (const [k, v] of newer) map.set(k, v);
}
