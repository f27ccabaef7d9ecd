import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CLOSE_REASONS, CloseCode } from './close-codes.js';
import { frameText } from './frame.js';
import type { WriteBatch } from './write-batch.js';

/** WebSocket readyState OPEN. */
const OPEN = 1;

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
 * to the socket once per event-loop turn in a single write. The queue is bounded in bytes (queued plus
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
    if (
      this.queue.length - this.allowanceMessages > this.limits.maxQueueMessages ||
      this.backlogBytes - this.allowanceBytes > this.limits.maxQueueBytes
    ) {
      this.close(CloseCode.SLOW_CONSUMER);
      this.scheduler.closedSlow(this);
      return;
    }
    if (this.queue.length === 1) this.scheduler.markDirty(this);
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

  /** Writes everything queued in one socket write, unless the socket is still draining; returns the frames written. */
  flush(): number {
    if (this.closing || this.queue.length === 0 || this.waitingDrain) return 0;
    if (this.ws.readyState !== OPEN) {
      // The client started the closing handshake: nothing may follow its close frame.
      this.queue = [];
      this.queuedBytes = 0;
      return 0;
    }
    const frames = this.queue.length;
    const chunk = this.joined();
    this.queue = [];
    this.queuedBytes = 0;
    this.allowanceMessages = 0;
    const ok = this.socket.write(chunk);
    this.allowanceBytes = Math.min(this.allowanceBytes, this.socket.writableLength);
    if (!ok) this.waitingDrain = true;
    return frames;
  }

  /** The queue as one Buffer: the room batch's shared one when the queue is exactly that batch. */
  private joined(): Buffer {
    const q = this.queue;
    if (q.length === 1) return q[0] as Buffer;
    const b = this.batch;
    if (b && b.frames.length === q.length && b.frames[0] === q[0]) return b.buffer();
    return Buffer.concat(q, this.queuedBytes);
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
