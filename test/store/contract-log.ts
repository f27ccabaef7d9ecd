import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogEntry } from '../../src/model/index.js';
import { StoreError, type Store } from '../../src/store/types.js';
import { compareLogIds } from '../../src/store/log-id.js';
import {
  assertIncreasing,
  collect,
  ids,
  marketChanges,
  waitUntil,
  type MakeStore,
  type StoreHandle,
} from './contract-helpers.js';
import { sport } from './fixtures.js';

/** Contract part 2: the update log, its bound, tails, close. */
export function logContract(name: string, make: MakeStore): void {
  describe(`${name} store contract: update log`, () => {
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make();
      s = h.store;
    });
    after(async () => {
      await h.cleanup();
    });

    test('entries are kept in commit order; readLog pages strictly after a position', async () => {
      const all: LogEntry[] = [];
      for (let i = 0; i < 5; i++) all.push(...(await s.commit(marketChanges(3, 4_000_001, `log${i}-`))));
      assert.equal(all.length, 15);
      assertIncreasing(ids(all));
      assert.deepEqual(await s.readLog(null, 100), all);
      assert.deepEqual(ids(await s.readLog(null, 4)), ids(all.slice(0, 4)));
      const third = all[2]?.id as string;
      assert.deepEqual(ids(await s.readLog(third, 2)), ids(all.slice(3, 5)));
      assert.deepEqual(ids(await s.readLog(third, 100)), ids(all.slice(3)));
      assert.deepEqual(await s.readLog(all[14]?.id ?? '', 10), []);
      assert.deepEqual(await s.readLog(third, 0), []);
      assert.equal(await s.oldestLogId(), all[0]?.id);
      assert.equal((await s.loadSnapshot()).logPosition, all[14]?.id);
    });

    test('readLog after a position between entries starts at the next one', async () => {
      const [first] = await s.readLog(null, 1);
      assert.ok(first);
      const [ms] = first.id.split('-');
      const before = `${Number(ms) - 1}-999`;
      assert.deepEqual(ids(await s.readLog(before, 1)), [first.id]);
      assert.deepEqual(ids(await s.readLog('0-0', 1)), [first.id]);
    });

    test('a malformed position is refused', async () => {
      await assert.rejects(async () => s.readLog('12345', 1), TypeError);
      assert.throws(() => s.tailLog('yesterday', () => {}), TypeError);
    });
  });

  describe(`${name} store contract: bounded log`, () => {
    const maxLen = 20;
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make({ logMaxLen: maxLen });
      s = h.store;
    });
    after(async () => {
      await h.cleanup();
    });

    test(`keeps the newest entries, about maxLen of them (exactly on memory)`, async () => {
      const all: LogEntry[] = [];
      for (let i = 0; i < 6; i++) all.push(...(await s.commit(marketChanges(50, 4_000_002, `b${i}-`))));
      const kept = await s.readLog(null, 1000);
      if (s.kind === 'memory') assert.equal(kept.length, maxLen);
      else assert.ok(kept.length >= maxLen && kept.length <= maxLen + 100, `kept ${kept.length}`);
      assert.deepEqual(ids(kept), ids(all.slice(all.length - kept.length)), 'the newest, contiguous');
      assert.equal(await s.oldestLogId(), kept[0]?.id);
      assert.notEqual(await s.oldestLogId(), all[0]?.id);
      const snap = await s.loadSnapshot();
      assert.equal(snap.markets.length, 300, 'trimming the log never touches the state');
      assert.equal(snap.logPosition, all[all.length - 1]?.id);
    });
  });

  describe(`${name} store contract: log bounded by age`, () => {
    const maxAgeMs = 300;
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make({ logMaxAgeMs: maxAgeMs });
      s = h.store;
    });
    after(async () => {
      await h.cleanup();
    });

    test('entries older than the bound (from the newest entry) go at the next commit (within a stream node on Redis)', async () => {
      const old: LogEntry[] = [];
      for (let i = 0; i < 5; i++) old.push(...(await s.commit(marketChanges(50, 4_000_003, `a${i}-`))));
      assert.equal((await s.readLog(null, 1000)).length, 250, 'nothing is old yet');
      await sleep(maxAgeMs + 100);
      const fresh = await s.commit(marketChanges(1, 4_000_003, 'fresh-'));
      const kept = await s.readLog(null, 1000);
      if (s.kind === 'memory') assert.deepEqual(ids(kept), ids(fresh));
      else assert.ok(kept.length <= 1 + 100, `kept ${kept.length}`);
      assert.deepEqual(ids(kept), ids([...old, ...fresh].slice(251 - kept.length)), 'the newest, contiguous');
      assert.equal((await s.loadSnapshot()).markets.length, 251, 'trimming the log never touches the state');
    });
  });

  describe(`${name} store contract: tailLog`, () => {
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make();
      s = h.store;
    });
    after(async () => {
      await h.cleanup();
    });

    test('delivers every entry committed after it started, in order, none twice', async () => {
      await s.commit(marketChanges(2, 5_000_001, 'before-'));
      const tail = collect(s, null);
      try {
        const committed: LogEntry[] = [];
        committed.push(...(await s.commit(marketChanges(3, 5_000_001, 't1-'))));
        const parallel = await Promise.all([
          s.commit(marketChanges(4, 5_000_001, 't2-')),
          s.commit([{ type: 'score', eventId: 5_000_001, score: { home: 3 } }]),
          s.commit(marketChanges(2, 5_000_001, 't3-')),
        ]);
        committed.push(...parallel.flat());
        committed.push(...(await s.commit([{ type: 'eventRemoved', eventId: 5_000_001 }])));
        await waitUntil(() => tail.entries.length >= committed.length, 5000, 'tail deliveries');
        await sleep(200);
        const expected = ids(committed).sort(compareLogIds);
        assert.deepEqual(
          ids(tail.entries),
          expected,
          'all, in log order, nothing before the start, none twice',
        );
        const byEntryId = new Map(committed.map((e) => [e.id, e.change]));
        for (const e of tail.entries) assert.deepEqual(e.change, byEntryId.get(e.id));
      } finally {
        tail.stop();
      }
    });

    test('from a past position it replays, then continues', async () => {
      const past = await s.commit(marketChanges(4, 5_000_002, 'p-'));
      const from = past[0]?.id as string;
      const tail = collect(s, from);
      try {
        await waitUntil(() => tail.entries.length >= 3, 5000, 'replay');
        assert.deepEqual(ids(tail.entries), ids(past.slice(1)));
        const more = await s.commit(marketChanges(2, 5_000_002, 'q-'));
        await waitUntil(() => tail.entries.length >= 5, 5000, 'live entries');
        await sleep(100);
        assert.deepEqual(ids(tail.entries), [...ids(past.slice(1)), ...ids(more)]);
      } finally {
        tail.stop();
      }
    });

    test('stopping ends deliveries; several tails each get everything', async () => {
      const a = collect(s, null);
      const b = collect(s, null);
      try {
        const first = await s.commit(marketChanges(2, 5_000_003, 's1-'));
        await waitUntil(() => a.entries.length >= 2 && b.entries.length >= 2, 5000, 'both tails');
        a.stop();
        const second = await s.commit(marketChanges(2, 5_000_003, 's2-'));
        await waitUntil(() => b.entries.length >= 4, 5000, 'second tail');
        await sleep(100);
        assert.deepEqual(ids(a.entries), ids(first));
        assert.deepEqual(ids(b.entries), [...ids(first), ...ids(second)]);
      } finally {
        a.stop();
        b.stop();
      }
    });

    test('delivery is asynchronous: nothing arrives inside commit', async () => {
      let calls = 0;
      const stop = s.tailLog(null, () => calls++);
      try {
        const p = s.commit(marketChanges(1, 5_000_004, 'async-'));
        assert.equal(calls, 0);
        await p;
        await waitUntil(() => calls > 0, 5000, 'delivery');
      } finally {
        stop();
      }
    });
  });

  describe(`${name} store contract: close`, () => {
    test('close is idempotent; afterwards calls fail with STORE_CLOSED and ping is false', async () => {
      const h = await make();
      try {
        const { store } = h;
        assert.equal(await store.ping(), true);
        let delivered = 0;
        store.tailLog(null, () => delivered++);
        await store.close();
        await store.close();
        assert.equal(await store.ping(), false);
        const closed = (err: unknown): boolean => err instanceof StoreError && err.code === 'STORE_CLOSED';
        await assert.rejects(store.commit([{ type: 'sport', sport: sport(1) }]), closed);
        await assert.rejects(store.resolveEventId('betfair', '1'), closed);
        await assert.rejects(store.loadSnapshot(), closed);
        assert.equal(delivered, 0);
      } finally {
        await h.cleanup();
      }
    });
  });
}
