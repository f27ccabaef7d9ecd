import { performance } from 'node:perf_hooks';
import type { ClientConnection } from './connection.js';
import type { RoomHub } from './hub.js';

/** Fewer frames per socket write than this on average makes a flush pass "thin" (see markDirty). */
const THIN_FRAMES_PER_WRITE = 4;
/**
 * A flush pass yields to the event loop after this long (ms): writing a turn's frames to a thousand
 * sockets takes tens of ms, and timers, requests and ingest must not wait for all of it.
 */
export const FLUSH_SLICE_MS = 4;

/** How the loop yields, waits and reads the time (the real event loop; unit tests step a manual one). */
export interface FlushTimers {
  now(): number;
  /** Runs `fn` after the event loop's pending I/O and timers (setImmediate). */
  immediate(fn: () => void): void;
  /** Runs `fn` after `ms` (setTimeout). */
  after(ms: number, fn: () => void): void;
}

/** The real event loop. */
export const eventLoopTimers: FlushTimers = {
  now: () => performance.now(),
  immediate: (fn) => {
    setImmediate(fn);
  },
  after: (ms, fn) => {
    setTimeout(fn, ms);
  },
};

/**
 * Coalesces writes: a connection that got frames asks to be flushed, and every such connection is
 * flushed once, after the current turn's publishes, in one socket write each. A pass over many
 * connections runs in slices of FLUSH_SLICE_MS, yielding (setImmediate) in between; frames published
 * meanwhile join the queues of the connections not yet reached (written with this pass, after what they
 * already held, so each connection's frames stay in order) or, for those already written, the next pass.
 */
export class FlushLoop {
  private dirty: ClientConnection[] = [];
  /** The pass in progress (null when none) and the index of its next connection. */
  private pass: ClientConnection[] | null = null;
  private next = 0;
  private scheduled = false;
  private passBusyMs = 0;
  private passFrames = 0;
  private lastEnd = 0;
  private lastMs = 0;
  private lastThin = false;

  constructor(
    private readonly hub: RoomHub,
    private readonly sliceMs = FLUSH_SLICE_MS,
    private readonly timers: FlushTimers = eventLoopTimers,
  ) {}

  /** Flushes `conn` with the next pass. */
  markDirty(conn: ClientConnection): void {
    this.dirty.push(conn);
    if (!this.scheduled && this.pass === null) this.schedule();
  }

  private schedule(): void {
    this.scheduled = true;
    // After a thin pass (a frame or two per write), the next waits as long as that pass was busy, so when
    // writes are expensive (many sockets, a busy machine) more frames go out per write. Thick passes
    // (bursts) are followed at once.
    const wait = this.lastThin ? this.lastEnd + this.lastMs - this.timers.now() : 0;
    if (wait < 1) this.timers.immediate(this.startPass);
    else this.timers.after(wait, this.startPass);
  }

  private readonly startPass = (): void => {
    this.scheduled = false;
    this.pass = this.dirty;
    this.dirty = [];
    this.next = 0;
    this.passBusyMs = 0;
    this.passFrames = 0;
    this.slice();
  };

  /**
   * Writes the pass's connections until the slice's time is up. Every slice starts the rooms' next
   * batches, so frames published while the loop was yielded are shared by every connection that got them.
   */
  private readonly slice = (): void => {
    const pass = this.pass as ClientConnection[];
    const start = this.timers.now();
    let i = this.next;
    let frames = 0;
    try {
      this.hub.endTurn();
      while (i < pass.length) {
        frames += (pass[i++] as ClientConnection).flush();
        if ((i & 7) === 0 && this.timers.now() - start >= this.sliceMs) break;
      }
    } finally {
      // Even if a write threw, the pass goes on (or ends) and later passes are scheduled.
      this.next = i;
      this.passFrames += frames;
      const end = this.timers.now();
      this.passBusyMs += end - start;
      if (i < pass.length) this.timers.immediate(this.slice);
      else {
        this.pass = null;
        this.lastEnd = end;
        this.lastMs = this.passBusyMs;
        this.lastThin = this.passFrames < THIN_FRAMES_PER_WRITE * pass.length;
        if (this.dirty.length > 0) this.schedule();
      }
    }
  };
}
