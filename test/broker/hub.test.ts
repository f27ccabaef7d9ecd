import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { ClientConnection, type FlushScheduler } from '../../src/broker/connection.js';
import { frameText } from '../../src/broker/frame.js';
import { RoomHub } from '../../src/broker/hub.js';

/** A socket that records what is written to it. */
class FakeSocket extends EventEmitter {
  writableLength = 0;
  readonly writes: Buffer[] = [];
  write(b: Buffer): boolean {
    this.writes.push(b);
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
  for (let turn = 0; turn < 3; turn++) {
    for (let i = 0; i < 3; i++) hub.publish('all', frameText(`{"turn":${turn},"i":${i}}`));
    hub.publish('odds', frameText(`{"odds":${turn}}`));
    flushTurn();
  }
  assert.equal(a.socket.writes.length, 3, 'one write per turn');
  for (let turn = 0; turn < 3; turn++) {
    assert.equal(a.socket.writes[turn], b.socket.writes[turn], 'the very same Buffer');
    assert.equal(a.socket.writes[turn]?.length, 3 * (2 + `{"turn":${turn},"i":0}`.length));
  }
  assert.notEqual(c.socket.writes[0], a.socket.writes[0], 'a connection in two rooms gets its own join');
  assert.equal(c.socket.writes[0]?.length, (a.socket.writes[0]?.length ?? 0) + 2 + '{"odds":0}'.length);
});
