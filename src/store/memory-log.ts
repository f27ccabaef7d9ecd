import type { Change, LogEntry } from '../model/index.js';
import { compareLogIds, formatLogId, nextLogId, type LogIdParts } from './log-id.js';

/** How much the in-process update log keeps: the first bound reached trims the oldest entries. */
export interface MemoryLogBounds {
  /** Entries (exact). */
  maxLen: number;
  /** Entries older than this, measured from the newest entry's time (ms). Infinity: no age bound. */
  maxAgeMs: number;
  /** Estimated heap bytes of the changes kept (see changeBytes). Infinity: no byte bound. */
  maxBytes: number;
}

/**
 * The in-process update log: frozen entries, shared with whoever reads them (the stored changes are
 * deep-frozen, see frozen.ts), ids strictly increasing. Trimmed to its bounds, except entries after
 * `floor` (what a tail has not been given yet) are never trimmed. A head offset makes trimming O(1)
 * amortized.
 */
export class MemoryLog {
  /** Slots before `head` are trimmed (cleared, so what they held can be collected). */
  private entries: (LogEntry | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private last: LogIdParts | null = null;

  constructor(private readonly bounds: MemoryLogBounds) {
    const { maxLen, maxAgeMs, maxBytes } = bounds;
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new RangeError(`logMaxLen must be a positive integer`);
    if (!(maxAgeMs > 0)) throw new RangeError(`logMaxAgeMs must be positive`);
    if (!(maxBytes > 0)) throw new RangeError(`logMaxBytes must be positive`);
  }

  /** Appends one (frozen) change at `nowMs`, counted as `bytes`; returns its frozen entry. Does not trim. */
  append(change: Change, nowMs: number, bytes: number): LogEntry {
    this.last = nextLogId(this.last, nowMs);
    const entry: LogEntry = Object.freeze({ id: formatLogId(this.last), ts: this.last.ms, change });
    this.entries.push(entry);
    this.sizes.push(bytes);
    this.bytes += bytes;
    return entry;
  }

  /** Id of the newest entry, or null when nothing was ever appended. */
  lastId(): string | null {
    return this.last && formatLogId(this.last);
  }

  /** Id of the oldest entry kept, or null when empty. */
  oldestId(): string | null {
    return this.entries[this.head]?.id ?? null;
  }

  /** Entries kept and their estimated bytes. */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.length - this.head, bytes: this.bytes };
  }

  /** Entries strictly after `after` (null: from the oldest kept), at most `limit`. */
  read(after: string | null, limit: number): LogEntry[] {
    const start = this.firstAfter(after);
    return this.entries.slice(start, Math.min(this.entries.length, start + limit)) as LogEntry[];
  }

  /**
   * Drops the oldest entries beyond the bounds, but none after `floor` (undefined: no floor; null: keep
   * everything, a reader has been given nothing yet).
   */
  trim(floor?: string | null): void {
    if (floor === null) return;
    const limit = floor === undefined ? this.entries.length : this.firstAfter(floor);
    const { maxLen, maxAgeMs, maxBytes } = this.bounds;
    const minTs = this.last ? this.last.ms - maxAgeMs : -Infinity;
    while (this.head < limit) {
      const e = this.entries[this.head] as LogEntry;
      if (this.entries.length - this.head <= maxLen && this.bytes <= maxBytes && e.ts >= minTs) break;
      this.bytes -= this.sizes[this.head] as number;
      this.entries[this.head++] = undefined;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  /** Index of the first kept entry whose id is greater than `after` (binary search). */
  private firstAfter(after: string | null): number {
    if (after === null) return this.head;
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareLogIds((this.entries[mid] as LogEntry).id, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
