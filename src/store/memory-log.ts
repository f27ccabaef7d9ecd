import type { LogEntry } from '../model/index.js';
import type { EncodedChange } from './codec.js';
import { decodeEntry } from './codec.js';
import { compareLogIds, formatLogId, nextLogId, type LogIdParts } from './log-id.js';

interface StoredEntry {
  id: string;
  change: EncodedChange;
}

/**
 * The in-process update log: entries kept serialized (as on Redis, so readers get fresh objects), ids
 * strictly increasing, trimmed exactly to `maxLen`. A head offset makes trimming O(1) amortized.
 */
export class MemoryLog {
  private entries: StoredEntry[] = [];
  private head = 0;
  private last: LogIdParts | null = null;

  constructor(private readonly maxLen: number) {
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`logMaxLen must be a positive integer`);
  }

  /** Appends one change at `nowMs`; returns its id. */
  append(change: EncodedChange, nowMs: number): string {
    this.last = nextLogId(this.last, nowMs);
    const id = formatLogId(this.last);
    this.entries.push({ id, change });
    this.trim();
    return id;
  }

  /** Id of the newest entry, or null when nothing was ever appended. */
  lastId(): string | null {
    return this.last && formatLogId(this.last);
  }

  /** Id of the oldest entry kept, or null when empty. */
  oldestId(): string | null {
    return this.entries[this.head]?.id ?? null;
  }

  /** Decoded entries strictly after `after` (null: from the oldest kept), at most `limit`. */
  read(after: string | null, limit: number): LogEntry[] {
    const out: LogEntry[] = [];
    const end = this.entries.length;
    for (let i = this.firstAfter(after); i < end && out.length < limit; i++) {
      const e = this.entries[i] as StoredEntry;
      out.push(decodeEntry(e.id, e.change.type, e.change.key, e.change.data, e.change.rooms));
    }
    return out;
  }

  /** Index of the first kept entry whose id is greater than `after` (binary search). */
  private firstAfter(after: string | null): number {
    if (after === null) return this.head;
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareLogIds((this.entries[mid] as StoredEntry).id, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private trim(): void {
    const excess = this.entries.length - this.head - this.maxLen;
    if (excess > 0) this.head += excess;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}
