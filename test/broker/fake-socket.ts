import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { ClientConnection, type FlushScheduler, type QueueLimits } from '../../src/broker/connection.js';

/** A socket that records what each write, or each writev (cork … uncork), carried. */
export class FakeSocket extends EventEmitter {
  writableLength = 0;
  readonly writes: Buffer[][] = [];
  private corked: Buffer[] | null = null;
  cork(): void {
    this.corked = [];
  }
  uncork(): void {
    if (this.corked) this.writes.push(this.corked);
    this.corked = null;
  }
  write(b: Buffer): boolean {
    if (this.corked) this.corked.push(b);
    else this.writes.push([b]);
    return true;
  }
  /** Every byte written so far, in order. */
  bytes(): Buffer {
    return Buffer.concat(this.writes.flat());
  }
}

/** A ClientConnection writing to a FakeSocket (bounds: 1 MiB, 1000 messages, unless given). */
export function fakeConnection(
  id: string,
  sched: FlushScheduler,
  bounds: Partial<QueueLimits> = {},
): { conn: ClientConnection; socket: FakeSocket } {
  const socket = new FakeSocket();
  const ws = { readyState: 1, close: () => undefined, terminate: () => undefined } as unknown as WebSocket;
  const limits = { maxQueueBytes: 1 << 20, maxQueueMessages: 1000, closeGraceMs: 100, ...bounds };
  return { conn: new ClientConnection(id, ws, socket as unknown as Socket, limits, sched), socket };
}
