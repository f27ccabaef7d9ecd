import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { MemoryStore } from '../../src/store/index.js';
import { EVENT_ID_BASE } from '../../src/store/index.js';
import { decodeCursor, encodeCursor, migrate, type Records } from '../../src/records/index.js';
import { MIGRATIONS } from '../../src/records/migrations/index.js';
import { BACKENDS, result, type Backend } from './helpers.js';

// One contract suite, run against the embedded PGlite and the machine's PostgreSQL.
for (const make of BACKENDS) {
  describe(`records contract (${make.name.replace('Backend', '')})`, () => {
    let backend: Backend;
    let records: Records;
    before(async () => {
      backend = await make();
      records = await backend.open();
    });
    after(async () => {
      await records?.close();
      await backend?.cleanup();
    });

    test('migrations are versioned: a second run applies nothing', async () => {
      assert.deepEqual(await migrate(records.database), { applied: [] });
      const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        records.database.db,
      );
      assert.deepEqual(
        r.rows.map((x) => x.name),
        Object.keys(MIGRATIONS).sort(),
      );
    });

    test('the id high-water mark only rises', async () => {
      assert.equal(await records.ids.reserve(EVENT_ID_BASE + 1000), EVENT_ID_BASE + 1000);
      assert.equal(await records.ids.reserve(EVENT_ID_BASE + 10), EVENT_ID_BASE + 1000);
      assert.equal((await records.ids.load()).highWater, EVENT_ID_BASE + 1000);
    });

    test('results: stored, replaced (moving day), read back and paged by keyset', async () => {
      const rs = [
        result(9001, '2026-03-01T10:00:00.000Z', 1),
        result(9002, '2026-03-01T12:00:00.000Z', 2),
        result(9003, '2026-03-02T09:00:00.000Z', 1),
        result(9004, '2026-03-02T09:00:00.000Z', 1),
        result(9005, '2026-03-03T23:59:59.999Z', 1),
      ];
      // Queued twice before a write: the newer one is what is stored.
      records.writer.resultStored(result(9001, '2026-02-27T10:00:00.000Z', 1, 'Away'));
      for (const r of rs) records.writer.resultStored(r);
      await records.writer.flush();
      assert.deepEqual(await records.results.get(9001), rs[0]);
      // A later, different result of 9002 on another day replaces the earlier row.
      records.writer.resultStored(result(9002, '2026-03-03T08:00:00.000Z', 2, 'Away'));
      await records.writer.flush();
      assert.equal(await records.results.count(), 5);
      assert.equal((await records.results.get(9002))?.winner, 'Away');
      assert.equal((await records.results.get(9002))?.completedAt, '2026-03-03T08:00:00.000Z');
      assert.equal(await records.results.get(1), null);

      // Day partitions were made (plain PostgreSQL declarative partitioning).
      const parts = await sql<{ name: string }>`
        select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_class p on p.oid = i.inhparent where p.relname = 'results' order by 1`.execute(
        records.database.db,
      );
      assert.deepEqual(
        parts.rows.map((r) => r.name),
        ['results_p20260301', 'results_p20260302', 'results_p20260303'],
      );

      // Newest first, ties by event id descending; pages of 2 walk everything exactly once.
      const seen: number[] = [];
      let after;
      for (let i = 0; i < 10; i++) {
        const page = await records.query({ limit: 2, ...(after ? { after } : {}) });
        seen.push(...page.results.map((r) => r.eventId));
        if (!page.next) break;
        after = decodeCursor(encodeCursor(page.next)) ?? undefined;
      }
      assert.deepEqual(seen, [9005, 9002, 9004, 9003, 9001]);
      // Nothing is left in the day 9002 moved from.
      const day1 = await records.query({
        limit: 10,
        from: Date.parse('2026-03-01T00:00:00Z'),
        to: Date.parse('2026-03-02T00:00:00Z'),
      });
      assert.deepEqual(
        day1.results.map((r) => r.eventId),
        [9001],
      );

      const day2 = await records.query({
        limit: 10,
        from: Date.parse('2026-03-02T00:00:00Z'),
        to: Date.parse('2026-03-03T00:00:00Z'),
      });
      assert.deepEqual(
        day2.results.map((r) => r.eventId),
        [9004, 9003],
      );
      assert.equal(day2.next, null);
      const tennis = await records.query({ limit: 10, sportId: 2 });
      assert.deepEqual(
        tennis.results.map((r) => r.eventId),
        [9002],
      );
    });

    test('MemoryStore over the records: ids and results survive a restart; ids are never reissued', async () => {
      const store1 = new MemoryStore({ durable: records.backing() });
      await store1.connect();
      const a = await store1.resolveEventId('betfair', 'A');
      const b = await store1.resolveEventId('betfair', 'B');
      await store1.linkEventId('site', 'x-A', a);
      await store1.commit([{ type: 'result', result: result(a, '2026-04-01T10:00:00.000Z') }]);
      await store1.close(); // writes what it queued

      const store2 = new MemoryStore({ durable: records.backing() });
      await store2.connect();
      assert.equal(await store2.resolveEventId('betfair', 'A'), a);
      assert.equal(await store2.findEventId('betfair', 'B'), b);
      assert.equal(await store2.findEventId('site', 'x-A'), a);
      assert.equal((await store2.getResult(a))?.eventId, a);
      assert.equal(await store2.countResults(), 6);
      // An event allocated but never written (a crash before the write-behind ran) does not get an id
      // a later event receives: the next id is above the reserved mark.
      const c = await store2.resolveEventId('betfair', 'C');
      assert.ok(c > b);
      const lost = c; // never flushed: store2 is dropped without close (a SIGKILL)

      const store3 = new MemoryStore({ durable: records.backing() });
      await store3.connect();
      const d = await store3.resolveEventId('betfair', 'D');
      assert.ok(d > lost, `new id ${d} above every id possibly issued before (${lost})`);
      assert.equal(await store3.resolveEventId('betfair', 'A'), a);
      await store3.close();
    });

    test('a result older than the hot set is read from the archive', async () => {
      const store = new MemoryStore({
        durable: { ...records.backing(), load: async () => ({ mappings: [], results: [], highWater: 0 }) },
      });
      await store.connect();
      assert.equal((await store.getResult(9003))?.eventId, 9003);
      await store.close();
    });
  });
}
