/**
 * Recent messages of every room, so a client that reconnects with `since` gets exactly what it missed.
 * Each room keeps a contiguous run of seqs covering at least `windowMs` (bounded by `maxPerRoom`); the
 * body string of a message is shared by every room it went to, so a change costs one body in memory.
 */

/** One kept message of a room. */
export interface HistoryEntry {
  seq: number;
  ts: number;
  type: string;
  body: string;
}

interface Ring {
  entries: HistoryEntry[];
  head: number;
}

/** Options of RoomHistory. */
export interface RoomHistoryOptions {
  /** Messages younger than this are always kept (unless over maxPerRoom). */
  windowMs: number;
  /** Hard cap of kept messages per room. */
  maxPerRoom: number;
}

/** Per-room rings of recent messages and the last seq of every room. */
export class RoomHistory {
  private readonly rings = new Map<string, Ring>();
  private readonly last = new Map<string, number>();

  constructor(private readonly opts: RoomHistoryOptions) {}

  /**
   * Appends a message. A seq at or below the room's last is ignored (already kept); one that skips ahead
   * restarts the room's run from it (recovery then only reaches back to it).
   */
  push(room: string, entry: HistoryEntry): void {
    if (entry.seq <= this.lastSeq(room) && this.rings.has(room)) return;
    let ring = this.rings.get(room);
    if (!ring) this.rings.set(room, (ring = { entries: [], head: 0 }));
    const prev = ring.entries[ring.entries.length - 1];
    if (prev && ring.entries.length > ring.head && entry.seq !== prev.seq + 1) {
      ring.entries = [];
      ring.head = 0;
    }
    ring.entries.push(entry);
    if (entry.seq > (this.last.get(room) ?? 0)) this.last.set(room, entry.seq);
    this.trimRing(ring, entry.ts);
  }

  /** Raises a room's last seq (seqs loaded at boot for rooms with nothing in the window). */
  noteSeq(room: string, seq: number): void {
    if (seq > (this.last.get(room) ?? 0)) this.last.set(room, seq);
  }

  /** The last seq published to a room (0 when none is known). */
  lastSeq(room: string): number {
    return this.last.get(room) ?? 0;
  }

  /**
   * The messages after `since`, in order, or null when they are not all kept (since older than the
   * window, or ahead of the last seq).
   */
  since(room: string, since: number): HistoryEntry[] | null {
    const last = this.lastSeq(room);
    if (since === last) return [];
    if (since > last) return null;
    const ring = this.rings.get(room);
    const first = ring?.entries[ring.head];
    if (!ring || !first || since < first.seq - 1) return null;
    return ring.entries.slice(ring.head + (since + 1 - first.seq));
  }

  /** Drops messages older than the window from every room; forgets empty rings. */
  trim(now: number): void {
    for (const [room, ring] of this.rings) {
      this.trimRing(ring, now);
      if (ring.head >= ring.entries.length) this.rings.delete(room);
    }
  }

  /** Forgets a room entirely (its market or event is gone). */
  forget(room: string): void {
    this.rings.delete(room);
    this.last.delete(room);
  }

  /** Number of rooms with kept messages and total kept messages. */
  size(): { rooms: number; messages: number } {
    let messages = 0;
    for (const r of this.rings.values()) messages += r.entries.length - r.head;
    return { rooms: this.rings.size, messages };
  }

  private trimRing(ring: Ring, now: number): void {
    const cutoff = now - this.opts.windowMs;
    const max = this.opts.maxPerRoom;
    while (ring.head < ring.entries.length) {
      const e = ring.entries[ring.head] as HistoryEntry;
      if (e.ts >= cutoff && ring.entries.length - ring.head <= max) break;
      ring.head++;
    }
    // Compact once the dropped entries outnumber the kept ones (amortised O(1)); a fixed threshold let
    // quiet rooms (a market's, a few messages a second) hold minutes of dropped bodies past the window.
    if (ring.head >= 16 && ring.head * 2 > ring.entries.length) {
      ring.entries = ring.entries.slice(ring.head);
      ring.head = 0;
    }
  }
}
