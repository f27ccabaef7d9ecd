import type { Ingest } from '../ingest/ingest.js';
import type { ReadModel } from '../read-model/read-model.js';
import { renderEventSummary } from '../contracts/porqpine/events.js';

/** The full match list carried by `matches_updated`: every event not closed, as /events lists it. */
export function matchList(readModel: ReadModel): ReturnType<typeof renderEventSummary>[] {
  const out: ReturnType<typeof renderEventSummary>[] = [];
  for (const e of readModel.events.values()) if (e.status !== 'CLOSED') out.push(renderEventSummary(e));
  return out;
}

/** Options of startMatchesNotices. */
export interface MatchesNoticeOptions {
  ingest: Ingest;
  readModel: ReadModel;
  intervalMs: number;
  /** True when this process runs sources (it is an ingest writer even when upstreams are quiet). */
  hasSources: boolean;
}

/**
 * Emits the `matches_updated` notice (the full match list) through ingest every `intervalMs`, so it is
 * sequenced and logged like any change and recoverable on every instance. Only the writer emits: a
 * process with sources, or one whose ingest received updates since the previous tick. Returns the stop
 * function.
 */
export function startMatchesNotices(opts: MatchesNoticeOptions): () => void {
  let seenUpdates = opts.ingest.stats.updates;
  const timer = setInterval(() => {
    const updates = opts.ingest.stats.updates;
    const active = opts.hasSources || updates !== seenUpdates;
    seenUpdates = updates;
    if (active) opts.ingest.notice('matches_updated', matchList(opts.readModel));
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
