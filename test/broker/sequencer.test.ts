import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Change } from '../../src/model/index.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RoomSequencer } from '../../src/broker/sequencer.js';
import { ROOM_SEQS_DOC, type RoomSeqsDoc } from '../../src/broker/room-seqs.js';
import { event, market } from '../store/fixtures.js';

const logger = pino({ level: 'silent' });

async function setup(store: MemoryStore) {
  const readModel = new ReadModel();
  const snap = await store.loadSnapshot();
  readModel.load(snap);
  const stop = store.tailLog(snap.logPosition, (e) => readModel.apply(e));
  const seq = await RoomSequencer.create({ store, readModel, logger, persistMs: 60_000 });
  return { readModel, seq, stop };
}

async function commit(store: MemoryStore, seq: RoomSequencer, changes: Change[]): Promise<void> {
  seq.assign(changes);
  await store.commit(changes);
  await new Promise((r) => setImmediate(r));
}

const mk = (v: number): Change => ({ type: 'market', market: market('1.1', 1_000_001, { version: v }) });

test('seqs start at 1 and grow by 1 per room; a failed commit is undone so no seq is skipped', async () => {
  const store = new MemoryStore();
  await store.connect();
  const { seq, stop } = await setup(store);
  await commit(store, seq, [{ type: 'event', event: event(1_000_001) }, mk(1)]);
  const again = [mk(2)];
  const undo = seq.assign(again);
  assert.deepEqual(again[0]?.rooms, { all: 3, 'sport:1': 3, 'event:1000001': 3, 'market:1.1': 2, odds: 2 });
  undo();
  assert.equal(again[0]?.rooms, undefined);
  await commit(store, seq, again);
  assert.deepEqual(again[0]?.rooms, { all: 3, 'sport:1': 3, 'event:1000001': 3, 'market:1.1': 2, odds: 2 });
  stop();
  await seq.close();
});

test('counters survive a restart: persisted with their log position, raised by the log written after it', async () => {
  const store = new MemoryStore();
  await store.connect();
  const first = await setup(store);
  await commit(store, first.seq, [{ type: 'event', event: event(1_000_001) }, mk(1)]);
  await first.seq.persist();
  const doc = await store.getDoc<RoomSeqsDoc>(ROOM_SEQS_DOC);
  assert.equal(doc?.seqs.all, 2);
  await commit(store, first.seq, [mk(2)]);
  first.stop();
  await first.seq.close();
  await store.setDoc(ROOM_SEQS_DOC, doc);

  const second = await setup(store);
  const next = [mk(4)];
  second.seq.assign(next);
  assert.equal(next[0]?.rooms?.all, 4, 'the doc said 2, the log after it says 3');
  assert.equal(next[0]?.rooms?.['market:1.1'], 3);
  second.stop();
  await second.seq.close();

  await store.setDoc(ROOM_SEQS_DOC, { position: null, seqs: { all: 100 } });
  const third = await setup(store);
  const later = [mk(5)];
  third.seq.assign(later);
  assert.equal(later[0]?.rooms?.all, 101, 'never backwards: a doc ahead of the log wins');
  third.stop();
  await third.seq.close();
});
