import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CLOSE_REASONS, CloseCode } from './close-codes.js';
import { frameText } from './frame.js';
import type { WriteBatch } from './write-batch.js';

/** WebSocket readyState OPEN. */
const OPEN = 1;
/** Above this many frames a mixed queue is joined into one Buffer rather than handed to writev frame by frame. */
const WRITEV_MAX_FRAMES = 64;

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
 * to the socket once per event-loop turn (see flush). The queue is bounded in bytes (queued plus
 * what the socket still holds) and in messages; a client that falls behind is closed with 4008.
 * Snapshot and replay bursts get an allowance that shrinks as the client reads them, so a reconnecting
 * client is not mistaken for a slow one while it catches up.
 */
export class ClientConnection {
  /** Rooms this connection is subscribed to (canonical names). */
  readonly rooms = new Set<string>();
  /** Cleared by the liveness sweep, set by any pong or inbound frame. */
  alive = true;
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  /** socket.writableLength as read after the last write (see overBytes). */
  private socketBytes = 0;
  /** The room batch every queued frame came from, in order; null when mixed (then the queue is joined here). */
  private batch: WriteBatch | null = null;
  private allowanceBytes = 0;
  private allowanceMessages = 0;
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
    if (this.queue.length === 0) this.batch = batch;
    else if (this.batch !== batch) this.batch = null;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (this.queue.length - this.allowanceMessages > this.limits.maxQueueMessages || this.overBytes()) {
      this.close(CloseCode.SLOW_CONSUMER);
      this.scheduler.closedSlow(this);
      return;
    }
    if (this.queue.length === 1) this.scheduler.markDirty(this);
  }

  /**
   * True when the backlog (queue and socket buffer) is over the byte bound. What the socket holds only
   * shrinks between this connection's writes (apart from ws's own control frames, a few bytes), so the
   * value read after the last write bounds it and the socket is asked again only when that is over.
   */
  private overBytes(): boolean {
    const limit = this.limits.maxQueueBytes + this.allowanceBytes;
    if (this.queuedBytes + this.socketBytes <= limit) return false;
    this.socketBytes = this.socket.writableLength;
    return this.queuedBytes + this.socketBytes > limit;
  }

  /** Serializes, frames and queues a message for this connection only (replies). */
  send(message: unknown): void {
    this.enqueue(frameText(typeof message === 'string' ? message : JSON.stringify(message)));
  }

  /** Queues a burst (replay, snapshot) with a matching allowance against the queue bounds. */
  sendBurst(payloads: readonly string[]): void {
    if (this.closing || payloads.length === 0) return;
    this.batch = null;
    let bytes = 0;
    for (const p of payloads) {
      const frame = frameText(p);
      bytes += frame.length;
      this.queue.push(frame);
    }
    this.queuedBytes += bytes;
    this.allowanceBytes += bytes;
    this.allowanceMessages += payloads.length;
    this.scheduler.markDirty(this);
  }

  /**
   * Writes everything queued, unless the socket is still draining: one write of one Buffer when the
   * queue is a single frame or exactly one room's batch (shared by every such recipient); otherwise the
   * frames are gathered by the kernel (cork, one write each, uncork: a single writev, no copy), or joined
   * first when there are many small ones. Returns the frames written.
   */
  flush(): number {
    if (this.closing || this.queue.length === 0 || this.waitingDrain) return 0;
    if (this.ws.readyState !== OPEN) {
      // The client started the closing handshake: nothing may follow its close frame.
      this.queue = [];
      this.queuedBytes = 0;
      return 0;
    }
    const q = this.queue;
    const bytes = this.queuedBytes;
    this.queue = [];
    this.queuedBytes = 0;
    this.allowanceMessages = 0;
    const socket = this.socket;
    let ok: boolean;
    const shared = this.shared(q);
    if (shared) ok = socket.write(shared);
    else if (q.length > WRITEV_MAX_FRAMES) ok = socket.write(Buffer.concat(q, bytes));
    else {
      socket.cork();
      ok = true;
      for (const frame of q) ok = socket.write(frame);
      socket.uncork();
    }
    this.socketBytes = socket.writableLength;
    this.allowanceBytes = Math.min(this.allowanceBytes, this.socketBytes);
    if (!ok) this.waitingDrain = true;
    return q.length;
  }

  /** The queue as one shared Buffer when it is a single frame or exactly the room batch's frames. */
  private shared(q: Buffer[]): Buffer | null {
    if (q.length === 1) return q[0] as Buffer;
    const b = this.batch;
    return b && b.frames.length === q.length && b.frames[0] === q[0] ? b.buffer() : null;
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
    this.queue = [];
    this.queuedBytes = 0;
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
    this.queue = [];
  }
}
