import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlushScheduler } from '../../src/broker/connection.js';
import { FlushLoop, type FlushTimers } from '../../src/broker/flush-loop.js';
import { frameText } from '../../src/broker/frame.js';
import { RoomHub } from '../../src/broker/hub.js';
import { fakeConnection } from './fake-socket.js';

/**
 * An event loop the test steps by hand: the loop's yields (immediates) and waits (timers) are queued and
 * run only when the test says, so what the test sees does not depend on the machine's speed or load.
 */
class ManualTimers implements FlushTimers {
  private t = 0;
  immediates: (() => void)[] = [];
  timers: { at: number; fn: () => void }[] = [];
  /** How much the clock moves each time the loop reads it (0: time stands still). */
  constructor(private readonly msPerRead = 0) {}
  now(): number {
    this.t += this.msPerRead;
    return this.t;
  }
  immediate(fn: () => void): void {
    this.immediates.push(fn);
  }
  after(ms: number, fn: () => void): void {
    this.timers.push({ at: this.t + ms, fn });
  }
  /** One event-loop turn: the immediates queued before it, in order. */
  turn(): void {
    const q = this.immediates;
    this.immediates = [];
    for (const fn of q) fn();
  }
  /** Moves the clock to the next timer and runs it. */
  nextTimer(): void {
    this.timers.sort((a, b) => a.at - b.at);
    const next = this.timers.shift();
    if (!next) throw new Error('no timer pending');
    this.t = Math.max(this.t, next.at);
    next.fn();
  }
  /** Runs turns and timers until nothing is pending (bounded). */
  drain(): void {
    for (let i = 0; i < 1000; i++) {
      if (this.immediates.length > 0) this.turn();
      else if (this.timers.length > 0) this.nextTimer();
      else return;
    }
    throw new Error('the loop never went idle');
  }
}

function setup(timers: ManualTimers, sliceMs: number, n: number) {
  const hub = new RoomHub();
  const loop = new FlushLoop(hub, sliceMs, timers);
  const sched: FlushScheduler = { markDirty: (c) => loop.markDirty(c), closedSlow: () => undefined };
  const members = Array.from({ length: n }, (_, i) => fakeConnection(`c${i}`, sched));
  for (const m of members) hub.add('all', m.conn);
  return { hub, members };
}

test('a flush pass over many connections yields between slices; frames published meanwhile keep each connection in order and stay shared', () => {
  const timers = new ManualTimers();
  // A zero time budget: the pass yields after every 8 connections.
  const { hub, members } = setup(timers, 0, 40);
  const frames = Array.from({ length: 5 }, (_, i) => frameText(`{"seq":${i}}`));
  for (const f of frames.slice(0, 3)) hub.publish('all', f);
  assert.equal(timers.immediates.length, 1, 'one pass is scheduled, however many connections got frames');

  const written = () => members.filter((m) => m.socket.writes.length > 0).length;
  assert.equal(written(), 0, 'nothing is written within the turn that published');
  timers.turn(); // the pass starts and writes its first slice
  assert.equal(written(), 8, 'the first slice wrote 8 connections');
  assert.deepEqual(
    [timers.immediates.length, timers.timers.length],
    [1, 0],
    'then it yields to the event loop (timers and I/O run before its next slice)',
  );
  hub.publish('all', frames[3] as never); // published while the pass is in progress
  timers.turn();
  assert.equal(written(), 16, 'the second slice, one turn later');
  hub.publish('all', frames[4] as never);
  timers.drain();

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

test('after a thin pass (a frame per write) that was busy, the next pass waits that long; after a thick one it follows at once', () => {
  // Every clock read moves time 1 ms: a pass over 8 connections is busy a few ms.
  const timers = new ManualTimers(1);
  const { hub, members } = setup(timers, 1000, 8);
  hub.publish('all', frameText('{"seq":0}'));
  timers.turn(); // a thin pass: one frame per write
  assert.ok(members.every((m) => m.socket.writes.length === 1));
  hub.publish('all', frameText('{"seq":1}'));
  assert.deepEqual(
    [timers.immediates.length, timers.timers.length],
    [0, 1],
    'the next pass waits on a timer',
  );
  timers.turn();
  assert.ok(
    members.every((m) => m.socket.writes.length === 1),
    'not flushed before its wait',
  );
  timers.nextTimer();
  assert.ok(members.every((m) => m.socket.writes.length === 2));

  // A thick pass (a burst: several frames per write) is followed at once.
  for (let i = 2; i < 8; i++) hub.publish('all', frameText(`{"seq":${i}}`));
  timers.drain();
  assert.ok(members.every((m) => m.socket.writes.length === 3));
  hub.publish('all', frameText('{"seq":8}'));
  assert.deepEqual([timers.immediates.length, timers.timers.length], [1, 0], 'an immediate, no wait');
});
