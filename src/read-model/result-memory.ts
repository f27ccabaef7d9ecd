import type { Result } from '../model/index.js';
import type { ResultQuery } from '../store/types.js';
import type { ReadModelChange } from './read-model.js';
import { LRUCache } from 'lru-cache';

/**
 * Results this instance has seen (from the update log and from store reads), newest kept, bounded. Serves
 * /results and /result/:id while the store is unreachable, so those routes keep answering the last state.
 */
export class ResultMemory {
  /** Least recently seen first (`get` peeks, so serving a result does not keep it). */
  private readonly byEvent: LRUCache<number, Result>;

  constructor(max = 2000) {
    this.byEvent = new LRUCache({ max });
  }

  /** Read-model listener: keeps `result` changes. */
  readonly onChange = ({ entry }: ReadModelChange): void => {
    if (entry.change.type === 'result') this.remember(entry.change.result);
  };

  /** Keeps a result (replacing an older one for the same event). */
  remember(r: Result): void {
    this.byEvent.set(r.eventId, r);
  }

  /** A remembered result by internal event id. */
  get(eventId: number): Result | undefined {
    return this.byEvent.peek(eventId);
  }

  /** Remembered results matching a query, newest completion first. */
  list(q: ResultQuery): Result[] {
    const out = [...this.byEvent.values()].filter(
      (r) =>
        (q.sportId === undefined || r.sportId === q.sportId) &&
        (q.since === undefined || Date.parse(r.completedAt) >= q.since),
    );
    out.sort((a, b) => Date.parse(b.completedAt) - Date.parse(a.completedAt));
    return out.slice(0, q.limit);
  }

  /** Number of remembered results. */
  get size(): number {
    return this.byEvent.size;
  }
}
