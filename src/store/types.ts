import type { Change, Event, LogEntry, Market, Result, Sport } from '../model/index.js';
import { OddsgateError } from '../core/errors.js';
import type { StoreObserver } from './observers.js';

/** Current state as loaded at boot. */
export interface StoreSnapshot {
  sports: Sport[];
  events: Event[];
  markets: Market[];
  /** Log position the snapshot is consistent with: tail the log from here. null when the log is empty. */
  logPosition: string | null;
}

export interface ResultQuery {
  sportId?: number;
  /** Only results completed at or after this epoch ms. */
  since?: number;
  limit: number;
}

/**
 * The store: current state, upstream-id → internal-id maps, the bounded update log, results and small
 * JSON documents. One interface, two implementations (MemoryStore, RedisStore); one contract test suite.
 */
export interface Store {
  readonly kind: 'memory' | 'redis';
  /** Connects (Redis) and makes sure the schema is ready. */
  connect(): Promise<void>;
  /** Closes connections and stops every tail. */
  close(): Promise<void>;
  /** True when the backing store answers now. */
  ping(): Promise<boolean>;

  /** The internal id for (source, upstream id), allocating the next one when new. Stable across restarts. */
  resolveEventId(source: string, upstreamId: string): Promise<number>;
  /** The internal id for (source, upstream id) or null; never allocates. */
  findEventId(source: string, upstreamId: string): Promise<number | null>;
  /** Points (source, upstream id) at an existing internal id (cross-source linking). */
  linkEventId(source: string, upstreamId: string, eventId: number): Promise<void>;

  /**
   * Applies changes to the current state and appends them to the update log, in one round trip.
   * Returns the log entries in order.
   */
  commit(changes: readonly Change[]): Promise<LogEntry[]>;
  /** Current sports, events and markets, with the log position they correspond to. */
  loadSnapshot(): Promise<StoreSnapshot>;

  /** Log entries strictly after `after` (null: from the oldest kept), at most `limit`. */
  readLog(after: string | null, limit: number): Promise<LogEntry[]>;
  /**
   * Tells `observer` how long each commit and log read took and whether it failed (the metrics registry
   * times the store through this); returns the function that stops it.
   */
  observe?(observer: StoreObserver): () => void;
  /** Id of the oldest entry still kept, or null when the log is empty. */
  oldestLogId(): Promise<string | null>;
  /**
   * Calls `onEntries` with every entry appended after `after` (null: from now on), in order, until the
   * returned function is called. Entries committed by any process sharing the store are delivered.
   */
  tailLog(after: string | null, onEntries: (entries: LogEntry[]) => void): () => void;

  getResult(eventId: number): Promise<Result | null>;
  /** Results, newest completion first. */
  listResults(query: ResultQuery): Promise<Result[]>;
  countResults(): Promise<number>;

  /**
   * Makes every later commit and linkEventId conditional on `fence`: each is refused, atomically and
   * within its own round trip, unless the ingest lease holds this writer's token (StoreError
   * STORE_FENCED when another instance holds it, STORE_UNAVAILABLE while it is free). null: unfenced.
   * Only stores shared by several processes have it (RedisStore); MemoryStore has a single writer.
   */
  fence?(fence: LeaseFence | null): void;

  /**
   * The update log's epoch: an id made when the log was created, the same for every process sharing the
   * store, new when the log is reset (Redis flushed or its prefix emptied) or the store replaced (a new
   * MemoryStore, e.g. a restart). Room seqs are only comparable within one epoch.
   */
  logEpoch(): Promise<string>;

  /** Small JSON documents (domain pool state, manual links, ...). */
  getDoc<T>(key: string): Promise<T | null>;
  setDoc(key: string, value: unknown): Promise<void>;
}

/** The ingest lease a writer's commits are conditional on (see Store.fence). */
export interface LeaseFence {
  /** Redis key of the lease (same Redis, and on a cluster the same hash tag, as the store's keys). */
  key: string;
  /** The value the lease holds while this writer owns it. */
  token: string;
}

/** Codes of StoreError. */
export type StoreErrorCode = 'STORE_UNAVAILABLE' | 'STORE_CORRUPT' | 'STORE_CLOSED' | 'STORE_FENCED';

/**
 * Raised by stores; `code` is stable for callers to switch on. STORE_FENCED: a fenced write refused
 * because another instance holds the ingest lease (nothing was written; this writer must stop).
 */
export class StoreError extends OddsgateError<StoreErrorCode> {
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}
