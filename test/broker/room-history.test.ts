import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RoomHistory } from '../../src/broker/room-history.js';

const entry = (seq: number, ts = 1000 + seq) => ({ seq, ts, type: 'market_odds', body: `"n":${seq}` });

describe('RoomHistory: the recovery window of each room', () => {
  test('since() returns exactly the messages after a seq, [] when current, null outside the kept run', () => {
    const h = new RoomHistory({ windowMs: 60_000, maxPerRoom: 100 });
    for (let s = 1; s <= 10; s++) h.push('all', entry(s));
    assert.deepEqual(
      h.since('all', 7)?.map((e) => e.seq),
      [8, 9, 10],
    );
    assert.deepEqual(h.since('all', 10), []);
    assert.equal(h.since('all', 0)?.length, 10);
    assert.equal(h.since('all', 11), null, 'ahead of the room');
    assert.deepEqual(h.since('other', 0), [], 'an unknown room is at 0');
    assert.equal(h.lastSeq('all'), 10);
  });

  test('old messages leave the window (by age and by count); recovery then needs a snapshot', () => {
    const h = new RoomHistory({ windowMs: 100, maxPerRoom: 5 });
    for (let s = 1; s <= 8; s++) h.push('all', entry(s, 1000));
    assert.equal(h.since('all', 2), null, 'over the count cap');
    assert.deepEqual(
      h.since('all', 3)?.map((e) => e.seq),
      [4, 5, 6, 7, 8],
    );
    h.trim(1200);
    assert.equal(h.since('all', 7), null, 'older than the window');
    assert.deepEqual(h.since('all', 8), [], 'the position is still known');
  });

  test('duplicates are ignored; a skipped seq restarts the run; noteSeq raises quiet rooms; forget', () => {
    const h = new RoomHistory({ windowMs: 60_000, maxPerRoom: 100 });
    h.push('all', entry(1));
    h.push('all', entry(2));
    h.push('all', entry(2));
    assert.equal(h.since('all', 0)?.length, 2);
    h.push('all', entry(5));
    assert.equal(h.since('all', 2), null);
    assert.deepEqual(
      h.since('all', 4)?.map((e) => e.seq),
      [5],
    );
    h.noteSeq('market:1', 40);
    assert.equal(h.lastSeq('market:1'), 40);
    assert.deepEqual(h.since('market:1', 40), []);
    h.forget('all');
    assert.equal(h.lastSeq('all'), 0);
  });
});
