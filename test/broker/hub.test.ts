import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientConnection, FlushScheduler } from '../../src/broker/connection.js';
import { frameText } from '../../src/broker/frame.js';
import { RoomHub } from '../../src/broker/hub.js';
import { fakeConnection as connection } from './fake-socket.js';

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
    // A connection in two rooms gets its frames, in publish order, in one writev (no copy of its own):
    // the room's shared Buffer, then the other room's frame itself.
    assert.equal(cw?.length, 2);
    assert.equal(cw?.[0], aw?.[0], 'the shared Buffer of the `all` batch');
    assert.equal(cw?.[1], published[turn]?.[3], 'the `odds` frame itself');
  }
});
