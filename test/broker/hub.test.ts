import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { ClientConnection, type FlushScheduler } from '../../src/broker/connection.js';
import { frameText } from '../../src/broker/frame.js';
import { RoomHub } from '../../src/broker/hub.js';

/** A socket that records what each write, or each writev (cork … uncork), carried. */
class FakeSocket extends EventEmitter {
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
}

function connection(id: string, sched: FlushScheduler): { conn: ClientConnection; socket: FakeSocket } {
  const socket = new FakeSocket();
  const ws = { readyState: 1, close: () => undefined, terminate: () => undefined } as unknown as WebSocket;
  const limits = { maxQueueBytes: 1 << 20, maxQueueMessages: 1000, closeGraceMs: 100 };
  return { conn: new ClientConnection(id, ws, socket as unknown as Socket, limits, sched), socket };
}

test('a turn of a room is written as the same Buffer to every subscriber, one write each; turns do not accumulate', () => {
  const dirty: ClientConnection[] = [];
  const sched: FlushScheduler = { markDirty: (c) => dirty.push(c), closedSlow: () => undefined };
  const hub = new RoomHub();
  const a = connection('a', sched);
  const b = connection('b', sched);
  const c = connection('c', sched);
  hub.add('all', a.conn);
  hub.add('all', b.conn);
  hub.add('all', c.conn);
  hub.add('odds', c.conn);
  const flushTurn = () => {
    hub.endTurn();
    for (const x of dirty.splice(0)) x.flush();
  };
  const published: Buffer[][] = [];
  for (let turn = 0; turn < 3; turn++) {
    const frames: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      frames.push(frameText(`{"turn":${turn},"i":${i}}`));
      hub.publish('all', frames[i] as Buffer);
    }
    frames.push(frameText(`{"odds":${turn}}`));
    hub.publish('odds', frames[3] as Buffer);
    published.push(frames);
    flushTurn();
  }
  for (const x of [a, b, c]) assert.equal(x.socket.writes.length, 3, 'one write per turn');
  for (let turn = 0; turn < 3; turn++) {
    const [aw, bw, cw] = [a, b, c].map((x) => x.socket.writes[turn] ?? []);
    assert.equal(aw?.length, 1, 'one Buffer');
    assert.equal(aw?.[0], bw?.[0], 'the very same Buffer for every subscriber of the room');
    assert.deepEqual(aw?.[0], Buffer.concat((published[turn] ?? []).slice(0, 3)));
    // A connection in two rooms gets its frames, in publish order, in one writev (no copy of its own).
    assert.equal(cw?.length, 4);
    (cw ?? []).forEach((f, i) => assert.equal(f, published[turn]?.[i], `frame ${i} itself`));
  }
});
