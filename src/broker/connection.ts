import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CLOSE_REASONS, CloseCode } from './close-codes.js';
import { frameText } from './frame.js';
import { BatchRun, type WriteBatch } from './write-batch.js';

/** WebSocket readyState OPEN. */
const OPEN = 1;
/** Above this many parts a mixed queue is joined into one Buffer rather than handed to writev part by part. */
const WRITEV_MAX_PARTS = 64;

/** A queued part: a frame of this connection's own, or a run of a room batch's frames (shared bytes). */
type Part = Buffer | BatchRun;

function bytesOf(part: Part): Buffer {
  return part instanceof BatchRun ? part.buffer() : part;
}

/** Bounds of one connection's outgoing queue. */
export interface QueueLimits {
  maxQueueBytes: number;
  maxQueueMessages: number;
  /** After a close frame is queued, the socket is destroyed if the client has not closed within this. */
  closeGraceMs: number;
}

/** Coalesces flushes (connections ask to be flushed once per event-loop turn) and counts slow closes. */
export interface FlushScheduler {
  markDirty(conn: ClientConnection): void;
  closedSlow(conn: ClientConnection): void;
}

/**
 * One client connection's writer. Frames (already built once for all recipients) are queued and written
 * to the socket once per flush pass (see flush). Consecutive frames of one room batch are queued as one
 * run (a counter, not a per-frame entry) and written as the batch's Buffer, shared with every other
 * connection holding the same run. The queue is bounded in bytes (queued plus
 * what the socket still holds) and in messages, and every frame counts: pushes, replies and snapshot or
 * replay bursts alike, so a client that does not read is closed with 4008 whatever it asks for.
 * A burst of a room stays "in flight" until its last byte has left this process (see burstInFlight).
 */
export class ClientConnection {
  /** Rooms this connection is subscribed to (canonical names). */
  readonly rooms = new Set<string>();
  /** Cleared by the liveness sweep, set by any pong or inbound frame. */
  alive = true;
  private parts: Part[] = [];
  /** Frames queued (in `parts`). */
  private queuedFrames = 0;
  private queuedBytes = 0;
  /** socket.writableLength as read after the last write (see overBytes). */
  private socketBytes = 0;
  /** Bytes handed to the socket since the connection opened (positions of bursts, see burstInFlight). */
  private writtenBytes = 0;
  /** Rooms whose last burst was queued, and the stream position of that burst's last byte. */
  private bursts: Map<string, number> | null = null;
  private waitingDrain = false;
  private closing = false;
  private graceTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    private readonly socket: Socket,
    private readonly limits: QueueLimits,
    private readonly scheduler: FlushScheduler,
  ) {
    socket.on('drain', () => {
      this.waitingDrain = false;
      this.socketBytes = socket.writableLength;
      this.flush();
    });
  }

  /** True once closing started (nothing more is written). */
  get isClosing(): boolean {
    return this.closing;
  }

  /** Bytes waiting: in this queue and in the socket's buffer. */
  get backlogBytes(): number {
    return this.queuedBytes + this.socket.writableLength;
  }

  /**
   * Queues a frame shared with other recipients (from `batch`, the room's frames of this turn, when it
   * was published to a room). Closes the connection (4008) when over its bounds.
   */
  enqueue(frame: Buffer, batch: WriteBatch | null = null): void {
    if (this.closing) return;
    const parts = this.parts;
    const last = parts[parts.length - 1];
    if (batch === null || batch.frames[batch.frames.length - 1] !== frame) parts.push(frame);
    else if (last instanceof BatchRun && last.batch === batch && last.count === batch.frames.length - 1)
      last.count++;
    else if (batch.frames.length === 1) parts.push(new BatchRun(batch));
    else parts.push(frame);
    this.queuedFrames++;
    this.queuedBytes += frame.length;
    if (this.queuedFrames > this.limits.maxQueueMessages || this.overBytes()) return this.closeSlow();
    if (this.queuedFrames === 1) this.scheduler.markDirty(this);
  }

  private closeSlow(): void {
    this.close(CloseCode.SLOW_CONSUMER);
    this.scheduler.closedSlow(this);
  }

  /**
   * True when the backlog (queue and socket buffer) is over the byte bound. What the socket holds only
   * shrinks between this connection's writes (apart from ws's own control frames, a few bytes), so the
   * value read after the last write bounds it and the socket is asked again only when that is over.
   */
  private overBytes(): boolean {
    const limit = this.limits.maxQueueBytes;
    if (this.queuedBytes + this.socketBytes <= limit) return false;
    this.socketBytes = this.socket.writableLength;
    return this.queuedBytes + this.socketBytes > limit;
  }

  /** Serializes, frames and queues a message for this connection only (replies). */
  send(message: unknown): void {
    this.enqueue(frameText(typeof message === 'string' ? message : JSON.stringify(message)));
  }

  /**
   * Queues a burst of frames (replay, snapshot) of `room`. The burst counts against the queue bounds like
   * any frame: over them, the connection is closed with 4008. Until its last byte has left this process,
   * burstInFlight(room) is true.
   */
  sendFrames(frames: readonly Buffer[], room?: string): void {
    if (this.closing || frames.length === 0) return;
    let bytes = 0;
    for (const frame of frames) {
      bytes += frame.length;
      this.parts.push(frame);
    }
    const wasEmpty = this.queuedFrames === 0;
    this.queuedFrames += frames.length;
    this.queuedBytes += bytes;
    if (this.queuedFrames > this.limits.maxQueueMessages || this.overBytes()) return this.closeSlow();
    if (room !== undefined) this.noteBurst(room);
    if (wasEmpty) this.scheduler.markDirty(this);
  }

  /** True when `frames` more frames of `bytes` in all would stay within the queue bounds. */
  fits(frames: number, bytes: number): boolean {
    return (
      this.queuedFrames + frames <= this.limits.maxQueueMessages &&
      this.queuedBytes + this.socket.writableLength + bytes <= this.limits.maxQueueBytes
    );
  }

  /**
   * True while the last burst queued for `room` has bytes in this process (in this queue or the socket's
   * buffer): the broker sends one burst per room per connection at a time.
   */
  burstInFlight(room: string): boolean {
    const end = this.bursts?.get(room);
    if (end === undefined) return false;
    if (this.deliveredBytes() >= end) {
      this.bursts?.delete(room);
      return false;
    }
    return true;
  }

  /** Bytes that left this process: handed to the socket and no longer in its buffer. */
  private deliveredBytes(): number {
    return this.writtenBytes - this.socket.writableLength;
  }

  /** Records the position of a burst just queued; forgets bursts already delivered (bounds the map). */
  private noteBurst(room: string): void {
    const bursts = (this.bursts ??= new Map());
    const delivered = this.deliveredBytes();
    for (const [r, end] of bursts) if (end <= delivered) bursts.delete(r);
    bursts.set(room, this.writtenBytes + this.queuedBytes);
  }

  /**
   * Writes everything queued, unless the socket is still draining: one write of one Buffer when the
   * queue is a single part (a frame, or a run of one room batch, shared by every such recipient);
   * otherwise the parts are gathered by the kernel (cork, one write each, uncork: a single writev, no
   * copy), or joined first when there are many. Returns the frames written.
   */
  flush(): number {
    if (this.closing || this.queuedFrames === 0 || this.waitingDrain) return 0;
    if (this.ws.readyState !== OPEN) {
      // The client started the closing handshake: nothing may follow its close frame.
      this.clearQueue();
      return 0;
    }
    const parts = this.parts;
    const frames = this.queuedFrames;
    const bytes = this.queuedBytes;
    this.clearQueue();
    this.writtenBytes += bytes;
    const socket = this.socket;
    let ok: boolean;
    if (parts.length === 1) ok = socket.write(bytesOf(parts[0] as Part));
    else if (parts.length > WRITEV_MAX_PARTS) ok = socket.write(Buffer.concat(parts.map(bytesOf), bytes));
    else {
      socket.cork();
      ok = true;
      for (const part of parts) ok = socket.write(bytesOf(part));
      socket.uncork();
    }
    this.socketBytes = socket.writableLength;
    if (!ok) this.waitingDrain = true;
    return frames;
  }

  private clearQueue(): void {
    this.parts = [];
    this.queuedFrames = 0;
    this.queuedBytes = 0;
  }

  /**
   * Closes with a documented code: a slow consumer's queue is dropped, otherwise what is queued (e.g. the
   * error replies that led to the close) is written first; then the close frame, and the socket is
   * destroyed if the client does not complete the close within the grace period.
   */
  close(code: CloseCode, reason: string = CLOSE_REASONS[code]): void {
    if (this.closing) return;
    if (code !== CloseCode.SLOW_CONSUMER) this.flush();
    this.closing = true;
    this.clearQueue();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    this.graceTimer = setTimeout(() => this.ws.terminate(), this.limits.closeGraceMs);
    this.graceTimer.unref();
  }

  /** Destroys the connection without a close frame (dead peers). */
  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }

  /** Called when the socket closed: stops timers. */
  dispose(): void {
    this.closing = true;
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.clearQueue();
  }
}
