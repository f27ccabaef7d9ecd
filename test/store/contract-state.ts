import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Change } from '../../src/model/index.js';
import type { Store } from '../../src/store/types.js';
import { EVENT_ID_BASE } from '../../src/store/constants.js';
import { assertIncreasing, byId, ids, type MakeStore, type StoreHandle } from './contract-helpers.js';
import { event, market, result, sport } from './fixtures.js';

/** Contract part 1: event ids, documents, state changes and snapshots, results. */
export function stateContract(name: string, make: MakeStore): void {
  describe(`${name} store contract`, () => {
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make();
      s = h.store;
    });
    after(async () => {
      await h.cleanup();
    });

    describe('event ids', () => {
      test('resolve gives large, stable ids, distinct per source and upstream id', async () => {
        const a = await s.resolveEventId('betfair', '33000001');
        const b = await s.resolveEventId('betfair', '33000002');
        const c = await s.resolveEventId('imatchodds', '33000001');
        assert.ok(a > EVENT_ID_BASE, `id ${a} is above ${EVENT_ID_BASE}`);
        assert.equal(new Set([a, b, c]).size, 3);
        assert.equal(await s.resolveEventId('betfair', '33000001'), a);
        assert.equal(await s.resolveEventId('imatchodds', '33000001'), c);
      });

      test('find never allocates; resolve allocates the next id', async () => {
        const first = await s.resolveEventId('find-test', 'a');
        assert.equal(await s.findEventId('find-test', 'b'), null);
        assert.equal(await s.findEventId('find-test', 'b'), null);
        const next = await s.resolveEventId('find-test', 'c');
        assert.equal(next, first + 1, 'find did not use up an id');
        assert.equal(await s.findEventId('find-test', 'a'), first);
        assert.equal(await s.findEventId('other-source', 'a'), null);
      });

      test('link points another source at an existing id', async () => {
        const id = await s.resolveEventId('betfair', 'link-1');
        await s.linkEventId('oddsapi', 'abc-def', id);
        assert.equal(await s.findEventId('oddsapi', 'abc-def'), id);
        assert.equal(await s.resolveEventId('oddsapi', 'abc-def'), id);
        assert.equal(await s.findEventId('betfair', 'link-1'), id);
      });
    });

    describe('docs', () => {
      test('setDoc/getDoc round trip, overwrite, missing is null', async () => {
        assert.equal(await s.getDoc('missing'), null);
        const doc = { pool: ['a.example', 'b.example'], n: 3, nested: { ok: true, at: null } };
        await s.setDoc('domains', doc);
        assert.deepEqual(await s.getDoc('domains'), doc);
        await s.setDoc('domains', [1, 2]);
        assert.deepEqual(await s.getDoc('domains'), [1, 2]);
      });
    });
  });

  describe(`${name} store contract: state`, () => {
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make();
      s = h.store;
    });
    after(async () => {
      await h.cleanup();
    });

    test('an empty store has an empty snapshot and log', async () => {
      assert.deepEqual(await s.loadSnapshot(), { sports: [], events: [], markets: [], logPosition: null });
      assert.equal(await s.oldestLogId(), null);
      assert.deepEqual(await s.readLog(null, 10), []);
      assert.equal(await s.countResults(), 0);
      assert.deepEqual(await s.commit([]), []);
    });

    test('commit applies every change type, logs each one, and the snapshot shows the state', async () => {
      const e1 = event(2_000_001);
      const m1 = market('1.100', e1.id);
      const m2 = market('1.101', e1.id, { type: 'OVER_UNDER_25', name: 'Over/Under 2.5 Goals' });
      const r1 = result(2_000_001, '2026-11-22T17:00:00.000Z');
      const changes: Change[] = [
        { type: 'sport', sport: sport(1, 'Football') },
        { type: 'event', event: e1 },
        { type: 'market', market: m1 },
        { type: 'market', market: m2 },
        { type: 'score', eventId: e1.id, score: { home: 1, away: 0, minute: 55 } },
        { type: 'result', result: r1 },
      ];
      const before = Date.now();
      const entries = await s.commit(changes);
      assert.equal(entries.length, changes.length);
      assertIncreasing(ids(entries));
      entries.forEach((e, i) => {
        assert.deepEqual(e.change, changes[i]);
        assert.ok(Math.abs(e.ts - before) < 5000, 'ts is the append time');
        assert.equal(e.ts, Number(e.id.split('-')[0]), 'ts is the id time');
      });

      const snap = await s.loadSnapshot();
      assert.deepEqual(snap.sports, [sport(1, 'Football')]);
      assert.deepEqual(snap.events, [e1]);
      assert.deepEqual([...snap.markets].sort(byId), [m1, m2]);
      assert.equal(snap.logPosition, entries[entries.length - 1]?.id);
      assert.deepEqual(await s.getDoc(`score:${e1.id}`), { home: 1, away: 0, minute: 55 });
      assert.deepEqual(await s.getResult(e1.id), r1);
      assert.equal(await s.getResult(9_999_999), null);

      const logged = await s.readLog(null, 100);
      assert.deepEqual(logged, entries, 'the log holds exactly what commit returned');
    });

    test('callers cannot change the stored state: not through what they committed, nor what they read', async () => {
      const e = event(2_000_009);
      const m = market('1.900', e.id);
      const r = result(e.id, '2026-11-22T18:00:00.000Z');
      await s.commit([
        { type: 'event', event: e },
        { type: 'market', market: m },
        { type: 'result', result: r },
      ]);
      const expected = structuredClone({ e, m, r });
      m.totalMatched = -1;
      (m.runners[0]?.back[0] as { size: number }).size = -1;
      e.name = 'changed';
      const tryChange = (f: () => void) => {
        try {
          f(); // a fresh copy (Redis) takes it, a frozen shared value (memory) refuses it
        } catch (err) {
          assert.ok(err instanceof TypeError, String(err));
        }
      };
      const snap = await s.loadSnapshot();
      const mRead = snap.markets.find((x) => x.id === m.id) as typeof m;
      tryChange(() => (mRead.totalMatched = -2));
      tryChange(() => ((mRead.runners[0]?.back[0] as { size: number }).size = -2));
      tryChange(() => mRead.runners.pop());
      tryChange(() => ((snap.events.find((x) => x.id === e.id) as typeof e).name = 'changed again'));
      const [logged] = (await s.readLog(null, 1000)).filter((x) => x.change.type === 'result');
      tryChange(() => ((logged?.change as { result: typeof r }).result.winner = 'nobody'));
      const rRead = (await s.getResult(e.id)) as typeof r;
      tryChange(() => (rRead.finalMarket.runners.length = 0));
      const again = await s.loadSnapshot();
      assert.deepEqual(
        again.markets.find((x) => x.id === m.id),
        expected.m,
      );
      assert.deepEqual(
        again.events.find((x) => x.id === e.id),
        expected.e,
      );
      assert.deepEqual(await s.getResult(e.id), expected.r);
    });

    test('upserts replace; marketRemoved deletes a market', async () => {
      const e = event(2_000_002);
      await s.commit([
        { type: 'event', event: e },
        { type: 'market', market: market('1.200', e.id) },
        { type: 'market', market: market('1.201', e.id) },
      ]);
      const e2 = { ...e, status: 'IN_PLAY' as const, inPlay: true };
      const m2 = market('1.200', e.id, { version: 2, totalMatched: 999 });
      await s.commit([
        { type: 'event', event: e2 },
        { type: 'market', market: m2 },
        { type: 'marketRemoved', marketId: '1.201', eventId: e.id },
        { type: 'sport', sport: sport(1, 'Soccer') },
      ]);
      const snap = await s.loadSnapshot();
      assert.deepEqual(
        snap.events.find((x) => x.id === e.id),
        e2,
      );
      assert.deepEqual(
        snap.markets.filter((m) => m.eventId === e.id),
        [m2],
      );
      assert.deepEqual(snap.sports, [sport(1, 'Soccer')]);
    });

    test('eventRemoved deletes the event, its markets and score, keeps its result and id mapping', async () => {
      const id = await s.resolveEventId('betfair', 'removal-test');
      const other = event(2_000_003);
      await s.commit([
        { type: 'event', event: event(id) },
        { type: 'market', market: market('1.300', id) },
        { type: 'market', market: market('1.301', id) },
        { type: 'event', event: other },
        { type: 'market', market: market('1.302', other.id) },
        { type: 'score', eventId: id, score: '2-1' },
        { type: 'result', result: result(id, '2026-11-22T18:00:00.000Z') },
      ]);
      const entries = await s.commit([{ type: 'eventRemoved', eventId: id }]);
      assert.deepEqual(
        entries.map((e) => e.change),
        [{ type: 'eventRemoved', eventId: id }],
      );
      const snap = await s.loadSnapshot();
      assert.equal(
        snap.events.find((e) => e.id === id),
        undefined,
      );
      assert.deepEqual(
        snap.markets.filter((m) => ['1.300', '1.301', '1.302'].includes(m.id)).map((m) => m.id),
        ['1.302'],
      );
      assert.ok(snap.events.some((e) => e.id === other.id));
      assert.equal(await s.getDoc(`score:${id}`), null);
      assert.equal((await s.getResult(id))?.eventId, id);
      assert.equal(await s.findEventId('betfair', 'removal-test'), id);

      // Re-adding the event later starts from no markets.
      await s.commit([{ type: 'event', event: event(id) }]);
      const again = await s.loadSnapshot();
      assert.deepEqual(
        again.markets.filter((m) => m.eventId === id),
        [],
      );
    });

    test('a market moved to another event follows it in the index', async () => {
      const a = event(2_000_004);
      const b = event(2_000_005);
      const moved = market('1.400', b.id, { version: 2 });
      await s.commit([
        { type: 'event', event: a },
        { type: 'event', event: b },
        { type: 'market', market: market('1.400', a.id) },
      ]);
      await s.commit([{ type: 'market', market: moved }]);
      await s.commit([{ type: 'eventRemoved', eventId: a.id }]);
      let snap = await s.loadSnapshot();
      assert.deepEqual(
        snap.markets.find((m) => m.id === '1.400'),
        moved,
        'removing the old event keeps the moved market',
      );
      await s.commit([{ type: 'eventRemoved', eventId: b.id }]);
      snap = await s.loadSnapshot();
      assert.equal(
        snap.markets.find((m) => m.id === '1.400'),
        undefined,
        'removing the new event removes it',
      );
    });

    test('a removed market stays removed when its event goes', async () => {
      const e = event(2_000_006);
      await s.commit([
        { type: 'event', event: e },
        { type: 'market', market: market('1.500', e.id) },
        { type: 'marketRemoved', marketId: '1.500', eventId: e.id },
        { type: 'market', market: market('1.501', e.id) },
      ]);
      let snap = await s.loadSnapshot();
      assert.deepEqual(
        snap.markets.filter((m) => m.eventId === e.id).map((m) => m.id),
        ['1.501'],
      );
      await s.commit([{ type: 'eventRemoved', eventId: e.id }]);
      snap = await s.loadSnapshot();
      assert.deepEqual(
        snap.markets.filter((m) => m.eventId === e.id),
        [],
      );
    });
  });

  describe(`${name} store contract: results`, () => {
    let h: StoreHandle;
    let s: Store;
    before(async () => {
      h = await make();
      s = h.store;
      await s.commit([
        { type: 'result', result: result(3_000_001, '2026-11-20T10:00:00.000Z') },
        { type: 'result', result: result(3_000_002, '2026-11-22T10:00:00.000Z', { sportId: 2 }) },
        { type: 'result', result: result(3_000_003, '2026-11-21T10:00:00.000Z') },
        { type: 'result', result: result(3_000_004, '2026-11-23T10:00:00.000Z', { sportId: 2 }) },
        { type: 'result', result: result(3_000_005, '2026-11-19T10:00:00.000Z') },
      ]);
    });
    after(async () => {
      await h.cleanup();
    });

    const listIds = async (q: Parameters<Store['listResults']>[0]): Promise<number[]> =>
      (await s.listResults(q)).map((r) => r.eventId);

    test('newest completion first, with limit', async () => {
      assert.equal(await s.countResults(), 5);
      assert.deepEqual(await listIds({ limit: 10 }), [3_000_004, 3_000_002, 3_000_003, 3_000_001, 3_000_005]);
      assert.deepEqual(await listIds({ limit: 2 }), [3_000_004, 3_000_002]);
      assert.deepEqual(await listIds({ limit: 0 }), []);
    });

    test('filters by sport and by since (inclusive)', async () => {
      assert.deepEqual(await listIds({ sportId: 2, limit: 10 }), [3_000_004, 3_000_002]);
      assert.deepEqual(await listIds({ sportId: 1, limit: 2 }), [3_000_003, 3_000_001]);
      assert.deepEqual(await listIds({ sportId: 99, limit: 10 }), []);
      const since = Date.parse('2026-11-21T10:00:00.000Z');
      assert.deepEqual(await listIds({ since, limit: 10 }), [3_000_004, 3_000_002, 3_000_003]);
      assert.deepEqual(await listIds({ since, sportId: 1, limit: 10 }), [3_000_003]);
    });

    test('results come back whole', async () => {
      const [top] = await s.listResults({ limit: 1 });
      assert.deepEqual(top, result(3_000_004, '2026-11-23T10:00:00.000Z', { sportId: 2 }));
    });

    test('storing a result again replaces it, also in the sport and time indexes', async () => {
      const moved = result(3_000_005, '2026-11-24T10:00:00.000Z', { sportId: 2, winner: 'Draw' });
      await s.commit([{ type: 'result', result: moved }]);
      assert.equal(await s.countResults(), 5);
      assert.deepEqual(await listIds({ sportId: 2, limit: 10 }), [3_000_005, 3_000_004, 3_000_002]);
      assert.deepEqual(await listIds({ sportId: 1, limit: 10 }), [3_000_003, 3_000_001]);
      assert.deepEqual(await s.getResult(3_000_005), moved);
    });
  });
}
