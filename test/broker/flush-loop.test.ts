import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlushScheduler } from '../../src/broker/connection.js';
import { FlushLoop } from '../../src/broker/flush-loop.js';
import { frameText } from '../../src/broker/frame.js';
import { RoomHub } from '../../src/broker/hub.js';
import { fakeConnection } from './fake-socket.js';

const immediate = () => new Promise<void>((r) => setImmediate(r));

test('a flush pass over many connections yields between slices; frames published meanwhile keep each connection in order and stay shared', async () => {
  const hub = new RoomHub();
  // A zero time budget: the pass yields after every 8 connections.
  const loop = new FlushLoop(hub, 0);
  const sched: FlushScheduler = { markDirty: (c) => loop.markDirty(c), closedSlow: () => undefined };
  const members = Array.from({ length: 40 }, (_, i) => fakeConnection(`c${i}`, sched));
  for (const m of members) hub.add('all', m.conn);
  const frames = Array.from({ length: 5 }, (_, i) => frameText(`{"seq":${i}}`));
  for (const f of frames.slice(0, 3)) hub.publish('all', f);

  await immediate(); // the pass starts and writes its first slice, then yields
  const written = () => members.filter((m) => m.socket.writes.length > 0).length;
  assert.equal(written(), 8, 'the first slice wrote 8 connections and yielded');
  let timerRan = false;
  setTimeout(() => (timerRan = true), 0);
  hub.publish('all', frames[3] as never); // published while the pass is in progress
  await immediate();
  hub.publish('all', frames[4] as never);
  for (let i = 0; i < 20 && members.some((m) => m.socket.bytes().length < Buffer.concat(frames).length); i++)
    await immediate();
  assert.ok(timerRan, 'a timer ran before the pass was over');

  for (const m of members)
    assert.deepEqual(m.socket.bytes(), Buffer.concat(frames), `${m.conn.id}: every frame once, in order`);
  // The frames of one slice are one Buffer shared by every connection that got them.
  const first = members.map((m) => m.socket.writes[0]?.[0]);
  assert.ok(
    first.every((b) => b === first[0]),
    'the first 3 frames: one shared Buffer',
  );
  const late = members.slice(16);
  for (const m of late) {
    const w = m.socket.writes[0] ?? [];
    assert.equal(m.socket.writes.length, 1, `${m.conn.id}: one write`);
    assert.equal(w.length, 3, 'one writev of three shared parts');
    assert.equal(w[0], first[0]);
    assert.equal(w[1], frames[3], 'the frame published between slices');
    assert.equal(w[2], frames[4]);
  }
  // Connections written before a frame was published get it with the next pass.
  for (const m of members.slice(0, 8))
    assert.equal(m.socket.writes.length, 2, `${m.conn.id}: a second write`);
});
