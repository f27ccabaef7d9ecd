import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { LogEntry, Market } from '../../src/model/index.js';
import { deepFreeze, isDeepFrozen } from '../../src/store/frozen.js';
import { collect, storeContract, waitUntil } from './contract.js';
import { ids, marketChanges } from './contract-helpers.js';
import { market } from './fixtures.js';

storeContract('MemoryStore', async (opts) => {
  const store = new MemoryStore({
    logMaxLen: opts?.logMaxLen ?? 10_000,
    ...(opts?.logMaxAgeMs ? { logMaxAgeMs: opts.logMaxAgeMs } : {}),
  });
  await store.connect();
  return { store, cleanup: () => store.close() };
});

test('MemoryStore: a deep-frozen value is shared, not copied: commit, snapshot and log hand out that object', async () => {
  const store = new MemoryStore();
  const m = deepFreeze(market('1.1', 1_000_001));
  const [entry] = await store.commit([{ type: 'market', market: m }]);
  assert.equal(entry?.change.type === 'market' && entry.change.market, m);
  assert.equal((await store.loadSnapshot()).markets[0], m);
  const [logged] = await store.readLog(null, 1);
  assert.equal(logged?.change.type === 'market' && logged.change.market, m);
  assert.ok(Object.isFrozen(logged), 'the log entry itself is frozen');
  await store.close();
});

test('MemoryStore: a value that is not frozen is copied and frozen; neither side can change the stored state', async () => {
  const store = new MemoryStore();
  const m = market('1.1', 1_000_001);
  await store.commit([{ type: 'market', market: m }]);
  m.totalMatched = -1;
  (m.runners[0]?.back[0] as { price: number }).price = 99;
  const stored = (await store.loadSnapshot()).markets[0] as Market;
  assert.notEqual(stored, m);
  assert.equal(stored.totalMatched, 123_456.78);
  assert.equal(stored.runners[0]?.back[0]?.price, 2.1);
  assert.ok(isDeepFrozen(stored));
  assert.throws(() => ((stored as { totalMatched: number }).totalMatched = -2), TypeError);
  assert.throws(() => (stored.runners[0]?.back as unknown[]).push({ price: 1, size: 1 }), TypeError);
  assert.equal((await store.loadSnapshot()).markets[0]?.totalMatched, 123_456.78);
  await store.close();
});

test('MemoryStore: a commit bigger than the log bound still reaches every tail in full', async () => {
  const store = new MemoryStore({ logMaxLen: 10, logMaxBytes: 5000 });
  const tail = collect(store, null);
  try {
    const committed = await store.commit(marketChanges(50, 1_000_001, 'big-'));
    await waitUntil(() => tail.entries.length >= 50, 3000, 'tail');
    assert.deepEqual(ids(tail.entries), ids(committed), 'nothing trimmed before the tail had it');
    assert.ok(store.logSize().entries <= 10, `trimmed once delivered: ${store.logSize().entries}`);
  } finally {
    tail.stop();
    await store.close();
  }
});

test('MemoryStore: the log is bounded by estimated bytes, newest kept; the state is untouched', async () => {
  const store = new MemoryStore({ logMaxBytes: 20_000 });
  const all: LogEntry[] = [];
  for (let i = 0; i < 20; i++) all.push(...(await store.commit(marketChanges(5, 1_000_001, `b${i}-`))));
  const { entries, bytes } = store.logSize();
  assert.ok(bytes <= 20_000 && bytes > 10_000, `bytes ${bytes}`);
  assert.ok(entries < 100 && entries > 0);
  assert.deepEqual(ids(await store.readLog(null, 1000)), ids(all.slice(all.length - entries)));
  assert.equal((await store.loadSnapshot()).markets.length, 100);
  await store.close();
});

test('MemoryStore: the log is bounded by age, measured from the newest entry', async () => {
  const store = new MemoryStore({ logMaxAgeMs: 1000 });
  const realNow = Date.now;
  try {
    Date.now = () => 2_000_000_000_000;
    await store.commit(marketChanges(3, 1_000_001, 'old-'));
    Date.now = () => 2_000_000_000_900;
    const mid = await store.commit(marketChanges(2, 1_000_001, 'mid-'));
    assert.equal(store.logSize().entries, 5, 'within the age: all kept');
    Date.now = () => 2_000_000_001_500;
    const late = await store.commit(marketChanges(1, 1_000_001, 'late-'));
    assert.deepEqual(ids(await store.readLog(null, 100)), ids([...mid, ...late]));
  } finally {
    Date.now = realNow;
    await store.close();
  }
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
