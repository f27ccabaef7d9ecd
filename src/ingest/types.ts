import type { AppLogger as Logger } from '../logger.js';
import type { Change, Event, Market, SourceEventFields } from '../model/index.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import type { CompletionOptions } from './completion.js';

export interface IngestOptions {
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** Closed markets leave the current state this long after closing. */
  closedMarketTtlMs: number;
  /** Called for every market change with the raw upstream frame, when the source gave one. */
  onRaw?: (market: Market, raw: unknown) => void;
  /** Assigns broker positions (Change.rooms) right before each commit; the returned function undoes it. */
  sequencer?: CommitSequencer;
  /** When an event the upstream went quiet about counts as finished (see completion.ts). */
  completion?: Partial<CompletionOptions>;
  /** Cross-source matching: asked for an existing event before a new upstream event gets a fresh id. */
  matcher?: EventMatcher;
  /**
   * Called once when the store refused a write because another instance holds the ingest lease
   * (StoreError STORE_FENCED). Ingest has already paused itself and dropped what it held (the other
   * instance is the writer); the callee stops the sources (IngestLease.fenced).
   */
  onFenced?: () => void;
}

/** Finds the existing event (internal id) a new upstream event is the same match as, or null (src/matching). */
export interface EventMatcher {
  match(
    source: string,
    upstreamId: string,
    fields: SourceEventFields,
    events: Event[],
  ): Promise<number | null>;
}

/** Assigns per-room positions to changes before they are committed (the broker's sequencer). */
export interface CommitSequencer {
  assign(changes: Change[]): () => void;
}

export interface IngestStats {
  updates: number;
  commits: number;
  changes: number;
  failures: number;
  pending: number;
  lastCommitAt: number | null;
  lastError: string | null;
  results: number;
}
