import type { SourceStatus, SourceUpdate } from '../model/index.js';

/** Where a source delivers its normalized updates (ingest batches them into store commits). */
export type UpdateSink = (updates: SourceUpdate[]) => void;

/**
 * An upstream source: a transport plus a normalizer. It runs until stopped, pushes model updates to the
 * sink and reports its own status.
 */
export interface Source {
  /** Unique source name ("sim", "betfair", "historical", "imatchodds", ...); also the key in upstreamIds. */
  readonly name: string;
  start(sink: UpdateSink): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
}
