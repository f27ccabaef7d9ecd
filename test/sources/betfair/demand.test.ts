import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { DemandTracker } from '../../../src/sources/betfair/demand.js';

function tracker(opts: { limit?: number; windowMs?: number } = {}) {
  let now = 1_000_000;
  let changes = 0;
  const t = new DemandTracker({
    windowMs: opts.windowMs ?? 60_000,
    debounceMs: 5,
    limit: opts.limit ?? 200,
    clock: () => now,
    onChange: () => changes++,
  });
  return { t, advance: (ms: number) => (now += ms), changes: () => changes };
}

describe('DemandTracker', () => {
  test('subscribed = demanded (most recent first) ∪ configured, capped at the limit, the cap reported', () => {
    const { t, advance } = tracker({ limit: 4 });
    t.setConfigured(['c1', 'c2', 'c3']);
    t.touch(['d1']);
    advance(10);
    t.touch(['d2', 'c2']);
    const d = t.desired();
    assert.deepEqual(d.marketIds, ['c2', 'd2', 'd1', 'c1']);
    assert.deepEqual([d.wanted, d.dropped, d.demanded, d.configured, d.limit], [5, 1, 3, 3, 4]);
    t.stop();
  });

  test('changes are debounced into one notification, and none when the set is unchanged', async () => {
    const { t, changes } = tracker();
    t.setConfigured(['a']);
    t.touch(['b']);
    t.touch(['c']);
    await sleep(30);
    assert.equal(changes(), 1);
    t.touch(['b']); // already demanded: nothing new
    t.setConfigured(['a']);
    await sleep(30);
    assert.equal(changes(), 1);
    t.stop();
  });

  test('demand expires after the window; lowering the limit shrinks the set', async () => {
    const { t, advance, changes } = tracker({ windowMs: 1000 });
    t.setConfigured(['a', 'b', 'c', 'd', 'e']);
    t.touch(['x']);
    await sleep(20);
    advance(1001);
    t.sweep();
    await sleep(20);
    assert.equal(t.desired().demanded, 0);
    assert.equal(changes(), 2);
    assert.equal(t.lowerLimit(), 160);
    t.stop();
  });
});
