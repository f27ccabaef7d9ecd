import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ObservedStoreOp } from '../../src/store/observers.js';
import { sport } from './fixtures.js';

test('observers hear every commit and log read with its duration; a failed call is reported failed', async () => {
  const store = new MemoryStore();
  const heard: { op: ObservedStoreOp; seconds: number; failed: boolean }[] = [];
  const stop = store.observe((op, seconds, failed) => heard.push({ op, seconds, failed }));
  const [entry] = await store.commit([{ type: 'sport', sport: sport(1) }]);
  assert.ok(entry);
  assert.equal((await store.readLog(null, 10)).length, 1);
  assert.deepEqual(
    heard.map((h) => [h.op, h.failed]),
    [
      ['commit', false],
      ['readLog', false],
    ],
  );
  assert.ok(heard.every((h) => h.seconds >= 0 && h.seconds < 5));
  await assert.rejects(store.readLog('not-a-position', 10));
  assert.deepEqual(heard.at(-1)?.op, 'readLog');
  assert.equal(heard.at(-1)?.failed, true);
  stop();
  await store.commit([{ type: 'sport', sport: sport(2) }]);
  assert.equal(heard.length, 3, 'a stopped observer hears nothing more');
  await store.close();
});
