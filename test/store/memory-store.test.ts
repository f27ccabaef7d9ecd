import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory-store.js';
import { storeContract } from './contract.js';
import { market } from './fixtures.js';

storeContract('MemoryStore', async (opts) => {
  const store = new MemoryStore({ logMaxLen: opts?.logMaxLen ?? 10_000 });
  await store.connect();
  return { store, cleanup: () => store.close() };
});

test('MemoryStore: returned objects are copies, so callers cannot change the stored state', async () => {
  const store = new MemoryStore();
  const m = market('1.1', 1_000_001);
  await store.commit([{ type: 'market', market: m }]);
  m.totalMatched = -1;
  const snap = await store.loadSnapshot();
  assert.equal(snap.markets[0]?.totalMatched, 123_456.78);
  (snap.markets[0] as { totalMatched: number }).totalMatched = -2;
  assert.equal((await store.loadSnapshot()).markets[0]?.totalMatched, 123_456.78);
  await store.close();
});

test('MemoryStore: ids keep increasing within one millisecond and when the clock goes back', async () => {
  const store = new MemoryStore();
  const realNow = Date.now;
  try {
    Date.now = () => 2_000_000_000_000;
    const a = await store.commit([
      { type: 'sport', sport: { id: 1, name: 'x' } },
      { type: 'sport', sport: { id: 2, name: 'y' } },
    ]);
    Date.now = () => 1_999_999_999_000;
    const b = await store.commit([{ type: 'sport', sport: { id: 3, name: 'z' } }]);
    assert.deepEqual(
      [...a, ...b].map((e) => e.id),
      ['2000000000000-0', '2000000000000-1', '2000000000000-2'],
    );
  } finally {
    Date.now = realNow;
    await store.close();
  }
});
