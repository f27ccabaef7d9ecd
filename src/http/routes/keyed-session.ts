import type { WebSocket } from 'ws';

/** Connections per key id, across the sessions of this instance. */
export class KeyConnections {
  private readonly counts = new Map<string, number>();
  /** Takes a slot for `keyId`; false when it already has `max`. */
  take(keyId: string, max: number): boolean {
    const n = this.counts.get(keyId) ?? 0;
    if (n >= max) return false;
    this.counts.set(keyId, n + 1);
    return true;
  }
  release(keyId: string): void {
    const n = (this.counts.get(keyId) ?? 1) - 1;
    if (n <= 0) this.counts.delete(keyId);
    else this.counts.set(keyId, n);
  }
}

/** What every keyed session shares: the per-key slots, its output bound and the close code past it. */
export interface KeyedSessionBase {
  connections: KeyConnections;
  /** Frames written but not yet flushed before the client counts as slow. */
  outputQueue: number;
  /** The close code for a client that does not read (its output queue full). */
  slowConsumerCode: number;
}

/**
 * The socket side of a session whose client logs in with an API key (/abp/ws, /mm/ws/subscribe): a bounded
 * output queue (closing a slow consumer), close once, and on close or error the timers, the channel
 * subscription and the key's connection slot released. The protocol lives in the subclass.
 */
export abstract class KeyedSocketSession {
  /** The logged-in key (null until then); its slot in `connections` is released at close. */
  protected keyId: string | null = null;
  protected closed = false;
  protected unsubscribe: (() => void) | null = null;
  protected readonly timers: NodeJS.Timeout[] = [];
  private inFlight = 0;

  protected constructor(
    protected readonly socket: WebSocket,
    private readonly base: KeyedSessionBase,
  ) {
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  /** Drops what the subclass keeps per session (unacknowledged or last messages). */
  protected abstract released(): void;

  protected send(text: string): void {
    if (this.closed) return;
    if (this.inFlight >= this.base.outputQueue)
      return this.close(this.base.slowConsumerCode, 'Output queue full');
    this.inFlight++;
    this.socket.send(text, () => {
      this.inFlight--;
    });
  }

  protected close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.close(code, reason);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.unsubscribe?.();
    if (this.keyId !== null) this.base.connections.release(this.keyId);
    this.released();
  }
}
