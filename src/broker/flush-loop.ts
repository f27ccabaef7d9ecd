import { performance } from 'node:perf_hooks';
import type { ClientConnection } from './connection.js';
import type { RoomHub } from './hub.js';

/** Fewer frames per socket write than this on average makes a flush pass "thin" (see markDirty). */
const THIN_FRAMES_PER_WRITE = 4;

/**
 * Coalesces writes: a connection that got frames asks to be flushed, and every such connection is
 * flushed once, after the current turn's publishes, in one socket write each.
 */
export class FlushLoop {
  private dirty: ClientConnection[] = [];
  private scheduled = false;
  private lastEnd = 0;
  private lastMs = 0;
  private lastThin = false;

  constructor(private readonly hub: RoomHub) {}

  /** Flushes `conn` with the next pass. */
  markDirty(conn: ClientConnection): void {
    this.dirty.push(conn);
    if (this.scheduled) return;
    this.scheduled = true;
    // After a thin pass (a frame or two per write), the next waits as long as that pass took, so when
    // writes are expensive (many sockets, a busy machine) more frames go out per write. Thick passes
    // (bursts) are followed at once.
    const wait = this.lastThin ? this.lastEnd + this.lastMs - performance.now() : 0;
    if (wait < 1) setImmediate(this.flushAll);
    else setTimeout(this.flushAll, wait);
  }

  /** Writes every dirty connection's queue (one socket write each) and starts the rooms' next batches. */
  private readonly flushAll = (): void => {
    const start = performance.now();
    this.scheduled = false;
    const list = this.dirty;
    this.dirty = [];
    this.hub.endTurn();
    let frames = 0;
    for (const c of list) frames += c.flush();
    this.lastEnd = performance.now();
    this.lastMs = this.lastEnd - start;
    this.lastThin = frames < THIN_FRAMES_PER_WRITE * list.length;
  };
}
