import type { Logger } from 'pino';
import type { Change, Event, LogEntry, Market, Result, Sport } from '../model/index.js';
import { StoreError, type ResultQuery, type Store, type StoreSnapshot } from './types.js';
import { encodeChange, type EncodedChange } from './codec.js';
import { DEFAULT_LOG_MAX_LEN, EVENT_ID_BASE } from './constants.js';
import { isLogId, parseLogId } from './log-id.js';
import { MemoryLog } from './memory-log.js';

/** Options of the in-process store. */
export interface MemoryStoreOptions {
  /** Entries kept in the update log (exact). Default 200,000. */
  logMaxLen?: number;
  /** Where an exception thrown by a tail callback is reported. */
  logger?: Logger;
}

interface StoredResult {
  json: string;
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
 * The embedded store: everything in this process, nothing to install. Same contract as RedisStore:
 * values are kept as JSON strings (readers get fresh objects, what is stored is what Redis would
 * store), the log is trimmed exactly to `logMaxLen`, tails are delivered asynchronously and in order.
 * The latest score of an event is readable as `getDoc('score:<eventId>')`.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly sports = new Map<string, string>();
  private readonly events = new Map<string, string>();
  private readonly markets = new Map<string, string>();
  private readonly marketEvent = new Map<string, string>();
  private readonly eventMarkets = new Map<string, Set<string>>();
  private readonly results = new Map<string, StoredResult>();
  private readonly docs = new Map<string, string>();
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly tails = new Set<MemoryTail>();
  private readonly log: MemoryLog;
  private readonly logger: Logger | undefined;
  private idSeq = 0;
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    this.log = new MemoryLog(opts.logMaxLen ?? DEFAULT_LOG_MAX_LEN);
    this.logger = opts.logger;
  }

  /** No-op: nothing to connect to. */
  async connect(): Promise<void> {
    this.assertOpen();
  }

  /** Stops every tail; later calls fail with STORE_CLOSED. Idempotent. */
  async close(): Promise<void> {
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
    if (id === undefined) {
      id = EVENT_ID_BASE + ++this.idSeq;
      bySource.set(upstreamId, id);
    }
    return id;
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
  }

  /** Applies and logs every change synchronously (atomic for other callers), then wakes the tails. */
  async commit(changes: readonly Change[]): Promise<LogEntry[]> {
    this.assertOpen();
    const encoded = changes.map(encodeChange);
    const entries: LogEntry[] = [];
    for (let i = 0; i < encoded.length; i++) {
      const enc = encoded[i] as EncodedChange;
      this.apply(enc);
      const id = this.log.append(enc, Date.now());
      entries.push({ id, ts: parseLogId(id).ms, change: changes[i] as Change });
    }
    if (entries.length > 0) for (const t of this.tails) this.schedule(t);
    return entries;
  }

  /** See Store.loadSnapshot. */
  async loadSnapshot(): Promise<StoreSnapshot> {
    this.assertOpen();
    return {
      sports: parseAll<Sport>(this.sports),
      events: parseAll<Event>(this.events),
      markets: parseAll<Market>(this.markets),
      logPosition: this.log.lastId(),
    };
  }

  /** See Store.readLog. */
  async readLog(after: string | null, limit: number): Promise<LogEntry[]> {
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
    const r = this.results.get(String(eventId));
    return r ? (JSON.parse(r.json) as Result) : null;
  }

  /** Newest completion first; ties by event id, descending as text (as a Redis sorted set orders them). */
  async listResults(query: ResultQuery): Promise<Result[]> {
    this.assertOpen();
    const since = query.since ?? -Infinity;
    const rows: Array<[string, StoredResult]> = [];
    for (const row of this.results) {
      if (row[1].ms >= since && (query.sportId === undefined || row[1].sportId === query.sportId))
        rows.push(row);
    }
    rows.sort((a, b) => b[1].ms - a[1].ms || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
    return rows.slice(0, Math.max(0, query.limit)).map(([, r]) => JSON.parse(r.json) as Result);
  }

  /** See Store.countResults. */
  async countResults(): Promise<number> {
    this.assertOpen();
    return this.results.size;
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
  private apply(c: EncodedChange): void {
    switch (c.type) {
      case 'sport':
        this.sports.set(c.key, c.data);
        break;
      case 'event':
        this.events.set(c.key, c.data);
        break;
      case 'market':
        this.unindexMarket(c.key);
        this.markets.set(c.key, c.data);
        this.marketEvent.set(c.key, c.aux1);
        this.marketSet(c.aux1).add(c.key);
        break;
      case 'marketRemoved':
        this.unindexMarket(c.key);
        this.eventMarkets.get(c.data)?.delete(c.key);
        this.markets.delete(c.key);
        break;
      case 'eventRemoved':
        this.removeEvent(c.key);
        break;
      case 'result':
        this.results.set(c.key, { json: c.data, ms: Number(c.aux1), sportId: Number(c.aux2) });
        break;
      case 'score':
        this.docs.set(`score:${c.key}`, c.data);
        break;
    }
  }

  private removeEvent(eventId: string): void {
    for (const marketId of this.eventMarkets.get(eventId) ?? []) {
      this.markets.delete(marketId);
      this.marketEvent.delete(marketId);
    }
    this.eventMarkets.delete(eventId);
    this.events.delete(eventId);
    this.docs.delete(`score:${eventId}`);
  }

  private unindexMarket(marketId: string): void {
    const eventId = this.marketEvent.get(marketId);
    if (eventId === undefined) return;
    this.marketEvent.delete(marketId);
    const set = this.eventMarkets.get(eventId);
    set?.delete(marketId);
    if (set?.size === 0) this.eventMarkets.delete(eventId);
  }

  private marketSet(eventId: string): Set<string> {
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
    try {
      tail.onEntries(entries);
    } catch (err) {
      if (this.logger) this.logger.error({ err }, 'update-log tail callback threw');
      else process.emitWarning(`update-log tail callback threw: ${String(err)}`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'store is closed');
  }
}

function parseAll<T>(map: Map<string, string>): T[] {
  const out: T[] = [];
  for (const json of map.values()) out.push(JSON.parse(json) as T);
  return out;
}

function checkPosition(after: string | null): void {
  if (after !== null && !isLogId(after)) throw new TypeError(`not a log position: ${JSON.stringify(after)}`);
}
