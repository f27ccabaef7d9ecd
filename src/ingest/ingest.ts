import type { AppLogger as Logger } from '../logger.js';
import type { Change, Event, Market, SourceUpdate } from '../model/index.js';
import { StoreError, type Store, type StoreSnapshot } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { Backoff, NO_JITTER } from '../core/backoff.js';
import { completionOptions } from './completion.js';
import { resolveIds, upstreamKey, type IdContext } from './ids.js';
import { IngestState } from './state.js';
import type { IngestOptions, IngestStats } from './types.js';

export type { CommitSequencer, EventMatcher, IngestOptions, IngestStats } from './types.js';

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;
const EVICT_EVERY_MS = 30_000;

/**
 * Ingest: turns sources' updates into stored state. Gives every upstream event a stable internal id
 * (ids.ts), merges updates into the current state (state.ts), commits state + update log in one store
 * round trip per batch, and records results when an event's main market closes. While the store is down,
 * changes are kept (coalesced per entity) and committed when it is back.
 */
export class Ingest {
  private readonly store: Store;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly state: IngestState;
  private readonly idContext: IdContext;
  private queue: SourceUpdate[] = [];
  private readonly pushObservers = new Set<(updates: readonly SourceUpdate[]) => void>();
  private running = false;
  private scheduled = false;
  /** Commit retries: 200 ms doubling to 5 s while the store refuses, back to 200 ms after a commit. */
  private readonly retry = new Backoff({ baseMs: RETRY_MIN_MS, maxMs: RETRY_MAX_MS, jitter: NO_JITTER });
  private retryTimer: NodeJS.Timeout | null = null;
  private evictTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private paused = false;
  private idle: (() => void)[] = [];
  readonly stats: IngestStats = {
    updates: 0,
    commits: 0,
    changes: 0,
    failures: 0,
    pending: 0,
    lastCommitAt: null,
    lastError: null,
    results: 0,
  };

  constructor(private readonly opts: IngestOptions) {
    this.store = opts.store;
    this.log = opts.logger;
    this.clock = opts.clock ?? systemClock;
    this.state = new IngestState({
      logger: opts.logger,
      completion: completionOptions(opts.completion),
      onRaw: opts.onRaw,
      onNewResult: () => this.stats.results++,
    });
    this.idContext = {
      store: this.store,
      matcher: opts.matcher,
      clock: this.clock,
      ids: this.state.ids,
      events: this.state.events,
    };
  }

  /**
   * Loads the current state to merge against and starts periodic eviction of closed markets. Called again
   * (an instance that takes over the ingest lease), it first forgets the state it had and resumes.
   */
  init(snapshot: StoreSnapshot): void {
    this.forget();
    this.paused = false;
    this.state.load(snapshot);
    // Every tenth of the TTL (1 s to 30 s), so a closed market stays at most ~10% past it: a fixed 30 s was
    // 3× a 10-s TTL (the memory benchmark compresses the hour).
    const every = Math.min(EVICT_EVERY_MS, Math.max(1000, this.opts.closedMarketTtlMs / 10));
    this.evictTimer = setInterval(() => {
      this.checkCompletion();
      this.evict();
    }, every);
    this.evictTimer.unref();
  }

  /**
   * Tells `observer` of every non-empty batch a source pushes, as it arrives (the metrics registry counts
   * updates per source through this); returns the function that stops it.
   */
  onPush(observer: (updates: readonly SourceUpdate[]) => void): () => void {
    this.pushObservers.add(observer);
    return () => this.pushObservers.delete(observer);
  }

  /** Accepts updates from a source (the UpdateSink). Batched into one commit per event-loop turn. */
  readonly push = (updates: SourceUpdate[]): void => {
    if (updates.length > 0) for (const o of this.pushObservers) o(updates);
    if (this.closed || this.paused || updates.length === 0) return;
    this.stats.updates += updates.length;
    for (const u of updates) this.queue.push(u);
    this.schedule();
  };

  /** Resolves when everything pushed so far is committed (or the store is failing and it was tried). */
  async drain(): Promise<void> {
    if (!this.running && !this.scheduled && this.queue.length === 0 && this.state.pending.size === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Stops timers; pending changes are attempted once more. */
  async close(): Promise<void> {
    if (this.evictTimer) clearInterval(this.evictTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.queue.length > 0 || this.state.pending.size > 0) await this.flush().catch(() => undefined);
    this.closed = true;
    for (const r of this.idle.splice(0)) r();
  }

  /**
   * Stops writing (this instance lost the ingest lease, or never had it): timers stop and queued or
   * uncommitted changes are dropped, since another instance is the writer now; push and notice are
   * ignored until init() is called again.
   */
  pause(): void {
    this.paused = true;
    this.forget();
    for (const r of this.idle.splice(0)) r();
  }

  /** True while paused (not the writer). */
  get isPaused(): boolean {
    return this.paused;
  }

  private forget(): void {
    if (this.evictTimer) clearInterval(this.evictTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.evictTimer = null;
    this.retryTimer = null;
    this.scheduled = false;
    this.queue = [];
    this.state.clear();
  }

  /** Appends a broker-only notice (e.g. matches_updated) to the update log with the next commit. */
  notice(name: string, data: unknown): void {
    if (this.closed || this.paused) return;
    this.state.notice(name, data);
    this.schedule();
  }

  /** Entries of the merge state's maps (events, markets, upstream ids, ...): diagnostics and benchmarks. */
  stateSizes(): Record<string, number> {
    return this.state.sizes();
  }

  /** Current merged view of an event (ingest side; frozen). */
  event(id: number): Event | undefined {
    return this.state.events.get(id);
  }

  /** Current merged view of a market (ingest side; frozen). */
  market(id: string): Market | undefined {
    return this.state.markets.get(id);
  }

  /**
   * Points (source, upstreamId) at event `targetId` (a manual link, or an unlink to a fresh id): persists
   * the mapping, moves that source's markets to the target, adds the upstream id to the target and takes
   * it off the event it leaves (dropped when it has no source left). Resolves once committed.
   */
  async relink(source: string, upstreamId: string, targetId: number): Promise<void> {
    const key = upstreamKey(source, upstreamId);
    const fromId = this.state.ids.get(key) ?? (await this.store.findEventId(source, upstreamId)) ?? undefined;
    await this.store.linkEventId(source, upstreamId, targetId);
    this.state.relink(source, upstreamId, fromId, targetId, this.clock());
    if (fromId === targetId) return;
    // a commit already under way does not take changes made during it: drain until they are in
    for (let i = 0; i < 3 && this.state.pending.size > 0 && !this.closed; i++) {
      this.schedule();
      await this.drain();
    }
  }

  /**
   * Finishes events the upstream went quiet about (see completion.ts and IngestState.checkCompletion).
   * Runs with eviction; returns how many events it finished.
   */
  checkCompletion(): number {
    const n = this.state.checkCompletion(this.clock());
    if (n > 0) this.schedule();
    return n;
  }

  /** Drops markets closed for longer than the TTL, and closed events left without markets. */
  evict(): void {
    if (this.state.evict(this.clock() - this.opts.closedMarketTtlMs) > 0) this.schedule();
  }

  private schedule(delayMs = 0): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.retryTimer = null;
      void this.flush();
    };
    if (delayMs > 0) this.retryTimer = setTimeout(run, delayMs);
    else setImmediate(run);
  }

  private async flush(): Promise<void> {
    if (this.running) return;
    this.running = true;
    let ok = true;
    try {
      ok = await this.processQueue();
      if (ok) ok = await this.commitPending();
    } finally {
      this.running = false;
    }
    if (this.paused) {
      // paused while this flush ran: a failed commit's changes are not this instance's to retry
      this.queue = [];
      this.state.pending = new Map();
      for (const r of this.idle.splice(0)) r();
      return;
    }
    if (!ok && !this.closed) {
      this.schedule(this.retry.next());
      for (const r of this.idle.splice(0)) r();
      return;
    }
    this.retry.reset();
    if (this.queue.length > 0) this.schedule();
    else for (const r of this.idle.splice(0)) r();
  }

  private async processQueue(): Promise<boolean> {
    const batch = this.queue;
    this.queue = [];
    try {
      await resolveIds(this.idContext, batch);
    } catch (err) {
      if (this.refused(err)) return false;
      this.fail(err);
      this.queue = batch.concat(this.queue);
      return false;
    }
    const now = this.clock();
    for (const u of batch) this.state.apply(u, now);
    return true;
  }

  private async commitPending(): Promise<boolean> {
    if (this.state.pending.size === 0) return true;
    const batch = this.state.pending;
    this.state.pending = new Map();
    const changes: Change[] = [...batch.values()];
    const undo = this.opts.sequencer?.assign(changes);
    try {
      await this.store.commit(changes);
      this.stats.commits++;
      this.stats.changes += changes.length;
      this.stats.lastCommitAt = this.clock();
      this.stats.pending = this.state.pending.size;
      return true;
    } catch (err) {
      undo?.();
      if (this.refused(err)) return false;
      this.fail(err);
      for (const [k, v] of this.state.pending) batch.set(k, v);
      this.state.pending = batch;
      this.stats.pending = this.state.pending.size;
      return false;
    }
  }

  /**
   * A write the store refused because another instance holds the ingest lease (a fenced store): nothing
   * was written, and what this instance held is not its to write any more. Stops writing now (pause drops
   * the queue and the state; flush() drops what this batch held) and tells the lease holder. True when so.
   */
  private refused(err: unknown): boolean {
    if (!(err instanceof StoreError) || err.code !== 'STORE_FENCED') return false;
    this.stats.failures++;
    this.stats.lastError = err.message;
    this.stats.pending = 0;
    if (this.paused) return true;
    this.log.warn({ err: err.message }, 'ingest write refused: another instance holds the lease; stopping');
    this.pause();
    this.opts.onFenced?.();
    return true;
  }

  private fail(err: unknown): void {
    this.stats.failures++;
    this.stats.lastError = err instanceof Error ? err.message : String(err);
    if (this.stats.failures === 1 || this.stats.failures % 50 === 0) {
      this.log.warn(
        { err: this.stats.lastError, failures: this.stats.failures },
        'ingest commit failed; retrying',
      );
    }
  }
}
