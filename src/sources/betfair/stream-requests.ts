/**
 * Requests in flight on a stream connection: each gets an id, and the `status` message carrying that id
 * answers it. A request fails on its timeout, or as soon as its connection closes.
 */
import type { StatusMessage } from './protocol.js';
import { BetfairStreamError } from './stream-errors.js';
import type { StreamConnection } from './stream-connection.js';

interface Pending {
  conn: StreamConnection;
  resolve: (s: StatusMessage) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** The requests awaiting their `status` answer. */
export class StreamRequests {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly timeoutMs: number) {}

  /** Sends `msg` with a new id on `conn`; resolves with its answer. */
  send(conn: StreamConnection, msg: Record<string, unknown>): Promise<StatusMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new BetfairStreamError(
            'REQUEST_TIMEOUT',
            `no answer to ${String(msg.op)} within ${this.timeoutMs} ms`,
          ),
        );
      }, this.timeoutMs);
      this.pending.set(id, { conn, resolve, reject, timer });
      conn.send({ ...msg, id });
    });
  }

  /** Settles the request `msg` answers; false when it answers none (an error outside a request). */
  answer(msg: StatusMessage): boolean {
    const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p || typeof msg.id !== 'number') return false;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    p.resolve(msg);
    return true;
  }

  /** Fails the requests in flight (on `conn` only, when given). */
  failAll(err: Error, conn?: StreamConnection): void {
    for (const [id, p] of this.pending) {
      if (conn && p.conn !== conn) continue;
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}
