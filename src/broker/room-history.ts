import { BodyArena, bodyText, NO_CHUNK, type BodyBytes } from './body-arena.js';

/**
 * Recent messages of every room, so a client that reconnects with `since` gets exactly what it missed.
 * Each room keeps a contiguous run of seqs covering at least `windowMs` (bounded by `maxPerRoom`); the
 * body of a message is stored once as UTF-8 bytes (store()) and referenced by every room it went to, so a
 * change costs one body in memory, outside the JavaScript heap (body-arena.ts).
 */

/** One kept message of a room. */
export interface HistoryEntry {
  seq: number;
  ts: number;
  type: string;
  body: string;
}

/** One kept message of a room with its body as stored (bytes). */
export interface StoredEntry {
  seq: number;
  ts: number;
  type: string;
  body: BodyBytes;
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
  /** Body bytes of entry i: chunks[i][offs[i], offs[i] + lens[i]); dropped slots hold NO_CHUNK. */
  chunks: Buffer[];
  offs: number[];
  lens: number[];
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
  private readonly arena = new BodyArena();

  constructor(private readonly opts: RoomHistoryOptions) {}

  /** Stores a body's bytes once, to append() to every room the message goes to. */
  store(body: string): BodyBytes {
    return this.arena.store(body);
  }

  /**
   * Appends a message. A seq at or below the room's last is ignored (already kept); one that skips ahead
   * restarts the room's run from it (recovery then only reaches back to it).
   */
  push(room: string, entry: HistoryEntry): void {
    this.append(room, entry.seq, entry.ts, entry.type, this.store(entry.body));
  }

  /** push() without an entry object, with a body already stored (the publisher's path). */
  append(room: string, seq: number, ts: number, type: string, body: BodyBytes): void {
    let ring = this.rings.get(room);
    if (ring && seq <= this.lastSeq(room)) return;
    if (!ring) this.rings.set(room, (ring = emptyRing(seq)));
    const length = ring.lens.length;
    if (seq !== ring.firstSeq + length) {
      // Not contiguous (or nothing kept yet): the run restarts here.
      if (length > 0) Object.assign(ring, emptyRing(seq));
      ring.firstSeq = seq;
    }
    ring.ts.push(ts);
    ring.types.push(type);
    ring.chunks.push(body.chunk);
    ring.offs.push(body.off);
    ring.lens.push(body.len);
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
        body: bodyText(e.body.chunk, e.body.off, e.body.len),
      })) ?? null
    );
  }

  /** since() with the bodies as stored (bytes), to frame without decoding them. */
  storedSince(room: string, since: number): StoredEntry[] | null {
    const last = this.lastSeq(room);
    if (since === last) return [];
    if (since > last) return null;
    const ring = this.rings.get(room);
    if (!ring || ring.head >= ring.lens.length) return null;
    const first = ring.firstSeq + ring.head;
    if (since < first - 1) return null;
    const out: StoredEntry[] = [];
    for (let i = since + 1 - ring.firstSeq; i < ring.lens.length; i++) {
      out.push({
        seq: ring.firstSeq + i,
        ts: ring.ts[i] as number,
        type: ring.types[i] as string,
        body: { chunk: ring.chunks[i] as Buffer, off: ring.offs[i] as number, len: ring.lens[i] as number },
      });
    }
    return out;
  }

  /** Drops messages older than the window from every room; forgets empty rings. */
  trim(now: number): void {
    for (const [room, ring] of this.rings) {
      this.trimRing(ring, now);
      if (ring.head >= ring.lens.length) this.rings.delete(room);
    }
  }

  /** Forgets a room entirely (its market or event is gone). */
  forget(room: string): void {
    this.rings.delete(room);
    this.last.delete(room);
  }

  /** Number of rooms with kept messages, total kept messages, and body chunks allocated since start. */
  size(): { rooms: number; messages: number; body_chunks_allocated: number } {
    let messages = 0;
    for (const r of this.rings.values()) messages += r.lens.length - r.head;
    return { rooms: this.rings.size, messages, body_chunks_allocated: this.arena.chunksAllocated };
  }

  private trimRing(ring: Ring, now: number): void {
    const cutoff = now - this.opts.windowMs;
    const max = this.opts.maxPerRoom;
    const length = ring.lens.length;
    let head = ring.head;
    while (head < length && ((ring.ts[head] as number) < cutoff || length - head > max)) {
      // A dropped slot lets go of its chunk now, not at the next compaction.
      ring.chunks[head] = NO_CHUNK;
      head++;
    }
    ring.head = head;
    // Compact once the dropped entries outnumber the kept ones (amortised O(1)); a fixed threshold let
    // quiet rooms (a market's, a few messages a second) hold minutes of dropped bodies past the window.
    if (head >= 16 && head * 2 > length) {
      ring.ts = ring.ts.slice(head);
      ring.types = ring.types.slice(head);
      ring.chunks = ring.chunks.slice(head);
      ring.offs = ring.offs.slice(head);
      ring.lens = ring.lens.slice(head);
      ring.firstSeq += head;
      ring.head = 0;
    }
  }
}

function emptyRing(firstSeq: number): Ring {
  return { firstSeq, ts: [], types: [], chunks: [], offs: [], lens: [], head: 0 };
}
