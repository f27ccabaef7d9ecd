import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CLOSE_REASONS, CloseCode } from './close-codes.js';
import { frameText } from './frame.js';

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

  /** Queues a frame shared with other recipients. Closes the connection (4008) when over its bounds. */
  enqueue(frame: Buffer): void {
    if (this.closing) return;
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

  /** Writes everything queued in one socket write, unless the socket is still draining. */
  flush(): void {
    if (this.closing || this.queue.length === 0 || this.waitingDrain) return;
    const chunk =
      this.queue.length === 1 ? (this.queue[0] as Buffer) : Buffer.concat(this.queue, this.queuedBytes);
    this.queue = [];
    this.queuedBytes = 0;
    this.allowanceMessages = 0;
    const ok = this.socket.write(chunk);
    this.allowanceBytes = Math.min(this.allowanceBytes, this.socket.writableLength);
    if (!ok) this.waitingDrain = true;
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
