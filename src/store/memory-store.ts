import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Change, Event, LogEntry, Market, Result, Sport } from '../model/index.js';
import { StoreError, type ResultQuery, type Store, type StoreSnapshot } from './types.js';
import { resultTimeMs } from './codec.js';
import {
  DEFAULT_LOG_MAX_AGE_MS,
  DEFAULT_LOG_MAX_LEN,
  DEFAULT_MEMORY_LOG_MAX_BYTES,
  EVENT_ID_BASE,
} from './constants.js';
import { changeBytes, frozenChange } from './frozen.js';
import { compareLogIds, isLogId } from './log-id.js';
import { MemoryLog } from './memory-log.js';
import { StoreObservers, type StoreObserver } from './observers.js';

/** Options of the in-process store. */
export interface MemoryStoreOptions {
  /** Entries kept in the update log (exact). Default 200,000. */
  logMaxLen?: number;
  /** Update-log entries older than this (from the newest entry's time) are dropped. Default 10 min. */
  logMaxAgeMs?: number;
  /** Estimated heap bytes of the changes the update log keeps (see changeBytes). Default 32 MB. */
  logMaxBytes?: number;
  /** Where an exception thrown by a tail callback is reported. */
  logger?: Logger;
  /** Keeps ids and results across restarts (the records database); unset: nothing survives the process. */
  durable?: DurableBacking;
}

/**
 * What makes the MemoryStore's ids and results durable: loaded at connect, then written behind (the store
 * never waits on it, except to reserve the next block of ids, ahead of need).
 */
export interface DurableBacking {
  /** Every mapping, recent results, and the highest id that may have been issued. */
  load(): Promise<{
    mappings: Array<{ source: string; upstreamId: string; eventId: number }>;
    results: Result[];
    highWater: number;
  }>;
  /** Persists that ids up to `upTo` may be issued; resolves with the mark stored. */
  reserveIds(upTo: number): Promise<number>;
  /** Queues a mapping to be written (never waits). */
  idLinked(source: string, upstreamId: string, eventId: number): void;
  /** Queues a result to be written (never waits). */
  resultStored(result: Result): void;
  /** A result no longer held in memory (older than what load returned). */
  getResult(eventId: number): Promise<Result | null>;
  /** Writes what is queued (at close). */
  flush(): Promise<void>;
}

/** Ids reserved ahead in the durable backing at a time; the next block is reserved at half use. */
export const ID_BLOCK = 1000;

interface StoredResult {
  result: Result;
  ms: number;
  sportId: number;
}

interface MemoryTail {
  position: string | null;
  onEntries: (entries: LogEntry[]) => void;
  scheduled: boolean;
  stopped: boolean;
}

/**
 * The embedded store: everything in this process, nothing to install. Same contract as RedisStore, but
 * values are not encoded: state and update log keep deep-frozen objects (see frozen.ts), shared with the
 * committer when it passes deep-frozen values (ingest does) and handed out as they are, so one market
 * object serves ingest, the store and the read model and nobody can change it. Values that are not
 * deep-frozen are copied through JSON (what Redis would store) and frozen. The log is trimmed exactly to
 * its bounds (entries, age, estimated bytes), never past what a tail has not been given yet; tails are
 * delivered asynchronously and in order. The latest score of an event is readable as
 * `getDoc('score:<eventId>')`.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly observers = new StoreObservers();
  private readonly sports = new Map<number, Sport>();
  private readonly events = new Map<number, Event>();
  private readonly markets = new Map<string, Market>();
  private readonly eventMarkets = new Map<number, Set<string>>();
  private readonly results = new Map<number, StoredResult>();
  private readonly docs = new Map<string, string>();
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly tails = new Set<MemoryTail>();
  private readonly log: MemoryLog;
  private readonly logger: Logger | undefined;
  private idSeq = 0;
  private closed = false;
  private readonly durable: DurableBacking | undefined;
  /** Highest id the durable backing knows may be issued. */
  private idReserved = Infinity;
  private reserving: Promise<void> | null = null;
  private reserveFailing = false;
  private readonly epoch = randomBytes(6).toString('base64url');

  constructor(opts: MemoryStoreOptions = {}) {
    this.log = new MemoryLog({
      maxLen: opts.logMaxLen ?? DEFAULT_LOG_MAX_LEN,
      maxAgeMs: opts.logMaxAgeMs ?? DEFAULT_LOG_MAX_AGE_MS,
      maxBytes: opts.logMaxBytes ?? DEFAULT_MEMORY_LOG_MAX_BYTES,
    });
    this.logger = opts.logger;
    this.durable = opts.durable;
  }

  /** Entries the update log keeps now and their estimated bytes (diagnostics, benchmarks). */
  logSize(): { entries: number; bytes: number } {
    return this.log.size();
  }

  /** Loads ids and results from the durable backing, if any, and reserves the first block of ids. */
  async connect(): Promise<void> {
    this.assertOpen();
    if (!this.durable || this.idReserved !== Infinity) return;
    const { mappings, results, highWater } = await this.durable.load();
    for (const m of mappings) this.sourceIds(m.source).set(m.upstreamId, m.eventId);
    for (const r of results) this.apply(frozenChange({ type: 'result', result: r }), false);
    this.idSeq = Math.max(this.idSeq, highWater - EVENT_ID_BASE);
    this.idReserved = await this.durable.reserveIds(EVENT_ID_BASE + this.idSeq + ID_BLOCK);
  }

  /** Stops every tail and writes what the durable backing has queued; later calls fail with STORE_CLOSED. */
  async close(): Promise<void> {
    if (!this.closed) await this.durable?.flush();
    this.closed = true;
    for (const t of this.tails) t.stopped = true;
    this.tails.clear();
  }

  /** True until closed. */
  async ping(): Promise<boolean> {
    return !this.closed;
  }

  /** See Store.resolveEventId; ids start at EVENT_ID_BASE + 1. */
  async resolveEventId(source: string, upstreamId: string): Promise<number> {
    this.assertOpen();
    const bySource = this.sourceIds(source);
    let id = bySource.get(upstreamId);
    if (id !== undefined) return id;
    id = EVENT_ID_BASE + ++this.idSeq;
    if (this.durable) {
      // Never hand out an id a crash could make us issue again: it must be under the stored mark.
      if (id > this.idReserved - ID_BLOCK / 2) void this.reserveAhead();
      while (id > this.idReserved) await this.reserveAhead();
      const raced = bySource.get(upstreamId);
      if (raced !== undefined) return raced;
      this.durable.idLinked(source, upstreamId, id);
    }
    bySource.set(upstreamId, id);
    return id;
  }

  /** Reserves the next block of ids in the durable backing (one reservation at a time). */
  private reserveAhead(): Promise<void> {
    const durable = this.durable;
    if (!durable) return Promise.resolve();
    this.reserving ??= durable
      .reserveIds(EVENT_ID_BASE + this.idSeq + ID_BLOCK)
      .then(
        (mark) => {
          this.idReserved = Math.max(this.idReserved, mark);
          this.reserveFailing = false;
        },
        (err: unknown) => {
          // Logged once per outage; new events wait for ids only once the reserved block is used up.
          if (!this.reserveFailing)
            this.logger?.error({ err: String(err) }, 'records: id reservation failed; retrying');
          this.reserveFailing = true;
          return new Promise<void>((r) => setTimeout(r, 500).unref());
        },
      )
      .finally(() => (this.reserving = null));
    return this.reserving;
  }

  /** See Store.findEventId. */
  async findEventId(source: string, upstreamId: string): Promise<number | null> {
    this.assertOpen();
    return this.ids.get(source)?.get(upstreamId) ?? null;
  }

  /** See Store.linkEventId. */
  async linkEventId(source: string, upstreamId: string, eventId: number): Promise<void> {
    this.assertOpen();
    this.sourceIds(source).set(upstreamId, eventId);
    this.durable?.idLinked(source, upstreamId, eventId);
  }

  /** Applies and logs every change synchronously (atomic for other callers), then wakes the tails. */
  commit(changes: readonly Change[]): Promise<LogEntry[]> {
    return this.observers.time('commit', () => this.commitNow(changes));
  }

  /** See Store.observe. */
  observe(observer: StoreObserver): () => void {
    return this.observers.add(observer);
  }

  private async commitNow(changes: readonly Change[]): Promise<LogEntry[]> {
    this.assertOpen();
    const stored = changes.map(frozenChange);
    const entries: LogEntry[] = [];
    const now = Date.now();
    for (const change of stored) {
      this.apply(change);
      entries.push(this.log.append(change, now, changeBytes(change)));
    }
    if (entries.length > 0) {
      for (const t of this.tails) this.schedule(t);
      this.trimLog();
    }
    return entries;
  }

  /** See Store.loadSnapshot. */
  async loadSnapshot(): Promise<StoreSnapshot> {
    this.assertOpen();
    return {
      sports: [...this.sports.values()],
      events: [...this.events.values()],
      markets: [...this.markets.values()],
      logPosition: this.log.lastId(),
    };
  }

  /** See Store.readLog. */
  readLog(after: string | null, limit: number): Promise<LogEntry[]> {
    return this.observers.time('readLog', () => this.readLogNow(after, limit));
  }

  private async readLogNow(after: string | null, limit: number): Promise<LogEntry[]> {
    this.assertOpen();
    checkPosition(after);
    return limit > 0 ? this.log.read(after, limit) : [];
  }

  /** See Store.oldestLogId. */
  async oldestLogId(): Promise<string | null> {
    this.assertOpen();
    return this.log.oldestId();
  }

  /** See Store.tailLog. Delivery happens in a microtask after each commit, one batch per wake-up. */
  tailLog(after: string | null, onEntries: (entries: LogEntry[]) => void): () => void {
    this.assertOpen();
    checkPosition(after);
    const tail: MemoryTail = {
      position: after ?? this.log.lastId(),
      onEntries,
      scheduled: false,
      stopped: false,
    };
    this.tails.add(tail);
    if (after !== null) this.schedule(tail);
    return () => {
      tail.stopped = true;
      this.tails.delete(tail);
    };
  }

  /** See Store.getResult. */
  async getResult(eventId: number): Promise<Result | null> {
    this.assertOpen();
    const held = this.results.get(eventId)?.result;
    if (held || !this.durable) return held ?? null;
    return this.durable.getResult(eventId);
  }

  /** Newest completion first; ties by event id, descending as text (as a Redis sorted set orders them). */
  async listResults(query: ResultQuery): Promise<Result[]> {
    this.assertOpen();
    const since = query.since ?? -Infinity;
    const rows: Array<[string, StoredResult]> = [];
    for (const [eventId, r] of this.results) {
      if (r.ms >= since && (query.sportId === undefined || r.sportId === query.sportId))
        rows.push([String(eventId), r]);
    }
    rows.sort((a, b) => b[1].ms - a[1].ms || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
    return rows.slice(0, Math.max(0, query.limit)).map(([, r]) => r.result);
  }

  /** See Store.countResults. */
  async countResults(): Promise<number> {
    this.assertOpen();
    return this.results.size;
  }

  /** See Store.logEpoch: made when this store was created (its log lives and dies with it). */
  async logEpoch(): Promise<string> {
    return this.epoch;
  }

  /** See Store.getDoc. */
  async getDoc<T>(key: string): Promise<T | null> {
    this.assertOpen();
    const json = this.docs.get(key);
    return json === undefined ? null : (JSON.parse(json) as T);
  }

  /** See Store.setDoc. */
  async setDoc(key: string, value: unknown): Promise<void> {
    this.assertOpen();
    this.docs.set(key, JSON.stringify(value) ?? 'null');
  }

  /** Applies one change to the state maps; mirrors the Redis commit script. */
  private apply(c: Change, record = true): void {
    switch (c.type) {
      case 'sport':
        this.sports.set(c.sport.id, c.sport);
        break;
      case 'event':
        this.events.set(c.event.id, c.event);
        break;
      case 'market': {
        const m = c.market;
        const prev = this.markets.get(m.id);
        if (prev && prev.eventId !== m.eventId) this.unindexMarket(m.id, prev.eventId);
        this.markets.set(m.id, m);
        this.marketSet(m.eventId).add(m.id);
        break;
      }
      case 'marketRemoved': {
        const prev = this.markets.get(c.marketId);
        if (prev) this.unindexMarket(c.marketId, prev.eventId);
        this.eventMarkets.get(c.eventId)?.delete(c.marketId);
        this.markets.delete(c.marketId);
        break;
      }
      case 'eventRemoved':
        this.removeEvent(c.eventId);
        break;
      case 'result': {
        const r = c.result;
        this.results.set(r.eventId, { result: r, ms: resultTimeMs(r), sportId: r.sportId });
        if (record) this.durable?.resultStored(r);
        break;
      }
      case 'score':
        this.docs.set(`score:${c.eventId}`, JSON.stringify(c.score));
        break;
    }
  }

  private removeEvent(eventId: number): void {
    for (const marketId of this.eventMarkets.get(eventId) ?? []) this.markets.delete(marketId);
    this.eventMarkets.delete(eventId);
    this.events.delete(eventId);
    this.docs.delete(`score:${eventId}`);
  }

  private unindexMarket(marketId: string, eventId: number): void {
    const set = this.eventMarkets.get(eventId);
    set?.delete(marketId);
    if (set?.size === 0) this.eventMarkets.delete(eventId);
  }

  private marketSet(eventId: number): Set<string> {
    let set = this.eventMarkets.get(eventId);
    if (!set) this.eventMarkets.set(eventId, (set = new Set()));
    return set;
  }

  private sourceIds(source: string): Map<string, number> {
    let m = this.ids.get(source);
    if (!m) this.ids.set(source, (m = new Map()));
    return m;
  }

  private schedule(tail: MemoryTail): void {
    if (tail.scheduled || tail.stopped) return;
    tail.scheduled = true;
    queueMicrotask(() => this.flush(tail));
  }

  private flush(tail: MemoryTail): void {
    tail.scheduled = false;
    if (tail.stopped) return;
    const entries = this.log.read(tail.position, Infinity);
    const last = entries[entries.length - 1];
    if (!last) return;
    tail.position = last.id;
    this.trimLog();
    try {
      tail.onEntries(entries);
    } catch (err) {
      if (this.logger) this.logger.error({ err }, 'update-log tail callback threw');
      else process.emitWarning(`update-log tail callback threw: ${String(err)}`);
    }
  }

  /** Trims the log to its bounds, keeping what a tail has not been given yet. */
  private trimLog(): void {
    let floor: string | undefined;
    for (const t of this.tails) {
      if (t.position === null) return;
      if (floor === undefined || compareLogIds(t.position, floor) < 0) floor = t.position;
    }
    this.log.trim(floor);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'store is closed');
  }
}

function checkPosition(after: string | null): void {
  if (after !== null && !isLogId(after)) throw new TypeError(`not a log position: ${JSON.stringify(after)}`);
}
