import { bodyText, type Body } from './messages.js';

/**
 * Recent messages of every room, so a client that reconnects with `since` gets exactly what it missed.
 * Each room keeps a contiguous run of seqs covering at least `windowMs` (bounded by `maxPerRoom`); the
 * body of a message (messages.ts Body: its market data as bytes outside the JavaScript heap, shared with
 * the render cache) is referenced by every room it went to, so a change costs one body in memory.
 */

/** One kept message of a room. */
export interface HistoryEntry {
  seq: number;
  ts: number;
  type: string;
  body: string;
}

/** One kept message of a room with its body as stored (in parts). */
export interface StoredEntry {
  seq: number;
  ts: number;
  type: string;
  body: Body;
}

/**
 * A room's kept run of messages, as parallel arrays (no object per message: at ~500 changes/s into five
 * rooms each, a 180 s window is ~450,000 messages, which as objects were tens of MB of old-generation
 * objects for the garbage collector to trace and promote). Entry i has seq `firstSeq + i`; slots before
 * `head` are dropped.
 */
interface Ring {
  firstSeq: number;
  /** Times (ms): all numbers, so V8 keeps them unboxed in one double array. */
  ts: number[];
  types: string[];
  /** Body of entry i (dropped slots hold EMPTY). */
  bodies: Body[];
  head: number;
}

const EMPTY: Body = Object.freeze({ text: '', data: null });

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
    this.append(room, entry.seq, entry.ts, entry.type, { text: entry.body, data: null });
  }

  /** push() without an entry object, with the body in parts (the publisher's path). */
  append(room: string, seq: number, ts: number, type: string, body: Body): void {
    let ring = this.rings.get(room);
    if (ring && seq <= this.lastSeq(room)) return;
    if (!ring) this.rings.set(room, (ring = emptyRing(seq)));
    const length = ring.bodies.length;
    if (seq !== ring.firstSeq + length) {
      // Not contiguous (or nothing kept yet): the run restarts here.
      if (length > 0) Object.assign(ring, emptyRing(seq));
      ring.firstSeq = seq;
    }
    ring.ts.push(ts);
    ring.types.push(type);
    ring.bodies.push(body);
    if (seq > (this.last.get(room) ?? 0)) this.last.set(room, seq);
    this.trimRing(ring, ts);
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
    return (
      this.storedSince(room, since)?.map((e) => ({
        seq: e.seq,
        ts: e.ts,
        type: e.type,
        body: bodyText(e.body),
      })) ?? null
    );
  }

  /** since() with the bodies as stored (in parts), to frame without decoding them. */
  storedSince(room: string, since: number): StoredEntry[] | null {
    const last = this.lastSeq(room);
    if (since === last) return [];
    if (since > last) return null;
    const ring = this.rings.get(room);
    if (!ring || ring.head >= ring.bodies.length) return null;
    const first = ring.firstSeq + ring.head;
    if (since < first - 1) return null;
    const out: StoredEntry[] = [];
    for (let i = since + 1 - ring.firstSeq; i < ring.bodies.length; i++) {
      out.push({
        seq: ring.firstSeq + i,
        ts: ring.ts[i] as number,
        type: ring.types[i] as string,
        body: ring.bodies[i] as Body,
      });
    }
    return out;
  }

  /** Drops messages older than the window from every room; forgets empty rings. */
  trim(now: number): void {
    for (const [room, ring] of this.rings) {
      this.trimRing(ring, now);
      if (ring.head >= ring.bodies.length) this.rings.delete(room);
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
    for (const r of this.rings.values()) messages += r.bodies.length - r.head;
    return { rooms: this.rings.size, messages };
  }

  private trimRing(ring: Ring, now: number): void {
    const cutoff = now - this.opts.windowMs;
    const max = this.opts.maxPerRoom;
    const length = ring.bodies.length;
    let head = ring.head;
    while (head < length && ((ring.ts[head] as number) < cutoff || length - head > max)) {
      // A dropped slot lets go of its body now, not at the next compaction.
      ring.bodies[head] = EMPTY;
      head++;
    }
    ring.head = head;
    // Compact once the dropped entries outnumber the kept ones (amortised O(1)); a fixed threshold let
    // quiet rooms (a market's, a few messages a second) hold minutes of dropped bodies past the window.
    if (head >= 16 && head * 2 > length) {
      ring.ts = ring.ts.slice(head);
      ring.types = ring.types.slice(head);
      ring.bodies = ring.bodies.slice(head);
      ring.firstSeq += head;
      ring.head = 0;
    }
  }
}

function emptyRing(firstSeq: number): Ring {
  return { firstSeq, ts: [], types: [], bodies: [], head: 0 };
}
