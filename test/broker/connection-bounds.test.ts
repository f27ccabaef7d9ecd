import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlushScheduler } from '../../src/broker/connection.js';
import { frameText } from '../../src/broker/frame.js';
import { feed, makeTestApp } from '../helpers/app.js';
import { sampleUpdates } from '../helpers/fixtures.js';
import { fakeConnection } from './fake-socket.js';
import { priceUpdate } from './helpers.js';

/** A scheduler that flushes nothing by itself (the test flushes) and records slow closes. */
function manualScheduler(): FlushScheduler & { slow: string[] } {
  const slow: string[] = [];
  return { slow, markDirty: () => undefined, closedSlow: (c) => slow.push(c.id) };
}

/** `n` frames of about `size` bytes each. */
function frames(n: number, size: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => frameText(`{"i":${i},"pad":"${'x'.repeat(size)}"}`));
}

describe('ClientConnection: bursts count against the queue bound like every other frame', () => {
  test('a burst over the byte bound closes the connection (4008) instead of being queued', () => {
    const sched = manualScheduler();
    const { conn, socket } = fakeConnection('c', sched, { maxQueueBytes: 64 * 1024 });
    conn.sendFrames(frames(100, 1000), 'all');
    assert.equal(conn.isClosing, true);
    assert.deepEqual(sched.slow, ['c']);
    assert.equal(conn.flush(), 0);
    assert.equal(socket.writes.length, 0, 'nothing of the burst was written');
  });

  test('a burst over the message bound closes the connection (4008)', () => {
    const sched = manualScheduler();
    const { conn } = fakeConnection('c', sched, { maxQueueMessages: 50 });
    conn.sendFrames(frames(51, 10), 'all');
    assert.deepEqual(sched.slow, ['c']);
  });

  test('what the socket still holds counts: a non-reader gets no second burst on top of the first', () => {
    const sched = manualScheduler();
    const { conn, socket } = fakeConnection('c', sched, { maxQueueBytes: 256 * 1024 });
    conn.sendFrames(frames(150, 1000), 'all'); // ~150 KB: within the bound
    assert.equal(conn.isClosing, false);
    socket.writableLength = 150_000; // the client reads nothing: what is written stays in the socket
    assert.equal(conn.flush(), 150);
    assert.equal(conn.backlogBytes, 150_000);
    conn.sendFrames(frames(150, 1000), 'market:1.1');
    assert.equal(conn.isClosing, true);
    assert.deepEqual(sched.slow, ['c']);
  });

  test('a burst of a room is in flight until its last byte has left the socket buffer', () => {
    const { conn, socket } = fakeConnection('c', manualScheduler());
    assert.equal(conn.burstInFlight('all'), false);
    conn.send({ type: 'subscribed' });
    conn.sendFrames(frames(3, 100), 'all');
    assert.equal(conn.burstInFlight('all'), true, 'queued');
    assert.equal(conn.burstInFlight('odds'), false, 'other rooms are not affected');
    conn.flush();
    const written = socket.bytes().length;
    socket.writableLength = 10; // the last 10 bytes are still in the socket
    assert.equal(conn.burstInFlight('all'), true, 'partly in the socket buffer');
    socket.writableLength = 0;
    assert.equal(conn.burstInFlight('all'), false, 'all written');
    assert.ok(written > 300);
  });
});

describe('Broker: one burst per room per connection; replays the bound cannot hold become snapshots', () => {
  test('subscribe with a snapshot while the room’s previous snapshot is still leaving → BURST_IN_FLIGHT, room not joined', async () => {
    const app = await makeTestApp();
    try {
      await feed(app, sampleUpdates());
      const { conn, socket } = fakeConnection('c', manualScheduler());
      assert.equal(app.broker.subscribe(conn, { room: 'all', snapshot: true }), null);
      assert.equal(app.broker.unsubscribe(conn, 'all'), null);
      const refused = app.broker.subscribe(conn, { room: 'all', snapshot: true, id: 9 });
      assert.equal(refused?.code, 'BURST_IN_FLIGHT');
      assert.equal(refused?.id, 9);
      assert.equal(conn.rooms.has('all'), false);
      // Still refused while the socket holds the snapshot's bytes; a subscribe without a burst is fine.
      conn.flush();
      socket.writableLength = 1000;
      assert.equal(app.broker.subscribe(conn, { room: 'all', since: 0 })?.code, 'BURST_IN_FLIGHT');
      assert.equal(app.broker.subscribe(conn, { room: 'odds', snapshot: true }), null, 'another room');
      socket.writableLength = 0;
      conn.flush();
      assert.equal(app.broker.subscribe(conn, { room: 'all', snapshot: true }), null, 'once delivered');
      assert.equal(conn.rooms.has('all'), true);
    } finally {
      await app.close();
    }
  });

  test('a replay longer than the connection’s queue bound is answered with recovered:false and a snapshot', async () => {
    const app = await makeTestApp();
    try {
      await feed(app, sampleUpdates());
      const from = app.broker.lastSeq('all');
      for (let i = 1; i <= 30; i++) await feed(app, [priceUpdate(i)]);
      assert.ok(app.broker.lastSeq('all') >= from + 30);
      const replies: Array<Record<string, unknown>> = [];
      const record = (c: ReturnType<typeof fakeConnection>['conn']) => {
        const send = c.send.bind(c);
        c.send = (m: unknown) => (replies.push(m as Record<string, unknown>), send(m));
      };
      const small = fakeConnection('small', manualScheduler(), { maxQueueMessages: 20 });
      record(small.conn);
      assert.equal(app.broker.subscribe(small.conn, { room: 'all', since: from }), null);
      const recovery = replies.find((m) => m.type === 'recovery');
      assert.equal(recovery?.recovered, false);
      assert.equal(small.conn.isClosing, false, 'served, not cut');
      // With room for the replay, the same request is replayed.
      replies.length = 0;
      const big = fakeConnection('big', manualScheduler());
      record(big.conn);
      assert.equal(app.broker.subscribe(big.conn, { room: 'all', since: from }), null);
      const replay = replies.find((m) => m.type === 'recovery');
      assert.equal(replay?.recovered, true);
      assert.equal(replay?.count, app.broker.lastSeq('all') - from);
    } finally {
      await app.close();
    }
  });
});
