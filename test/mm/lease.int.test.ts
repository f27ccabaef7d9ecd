/**
 * The MM lease on one database (PGlite and PostgreSQL): of two instances only the holder quotes; the other
 * waits on standby and takes over when the holder releases the lease (stop) or, after a crash, once the
 * lease expires by the injected clock. The engines run on a fake exchange and execution (the lease is the
 * piece under test); what they do is seen through `snapshot().halted` (GET /api/v1/admin/mm) and the venue.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { ManualClock } from '../../src/core/clock.js';
import { MmSchema } from '../../src/config/mm.js';
import { MmEngine, type MmEngineDeps } from '../../src/mm/engine.js';
import { MmLease } from '../../src/mm/lease.js';
import type { MmBooks } from '../../src/mm/markets.js';
import type { Records } from '../../src/records/index.js';
import { BACKENDS, type Backend } from '../records/helpers.js';

const TTL = 5000;

/** An exchange that rests nothing; counts the state reads each engine makes (only a holder reads). */
function fakeExecution(db: Kysely<unknown>, reads: string[], who: string): MmEngineDeps['execution'] {
  const venue = {
    slug: 'betfair-ex-mm',
    orderStates: async () => {
      reads.push(who);
      return [];
    },
    cancel: async () => ({ ok: true }),
    currentOrders: async () => [],
  };
  return {
    db,
    connectors: new Map([['betfair-ex-mm', { connector: venue }]]),
    emergency: { state: async () => ({ active: false, reason: null, ts: 0 }) },
    orders: {},
    repo: {},
  } as unknown as MmEngineDeps['execution'];
}

const NO_BOOKS = { eventList: () => [] } as unknown as MmBooks;

for (const make of BACKENDS) {
  describe(`MM lease on ${make.name}`, () => {
    let backend: Backend;
    let records: Records;
    let db: Kysely<unknown>;
    before(async () => {
      backend = await make();
      records = await backend.open();
      db = records.database.db;
    });
    const holders = async () =>
      (await sql<{ holder: string }>`select holder from mm_lease where name = 'mm'`.execute(db)).rows.map(
        (r) => r.holder,
      );
    after(async () => {
      await records.close();
      await backend.cleanup();
    });

    test('one holder at a time: renewed by its holder, taken by another only when expired or released', async () => {
      const clock = new ManualClock();
      const a = new MmLease({ db, holder: 'a', ttlMs: TTL, now: clock.now, name: 'lease-test' });
      const b = new MmLease({ db, holder: 'b', ttlMs: TTL, now: clock.now, name: 'lease-test' });
      assert.equal(await a.acquire(), null);
      assert.equal(await b.acquire(), 'a');
      clock.advance(TTL - 1);
      assert.equal(await a.acquire(), null, 'renewed before it expired');
      clock.advance(TTL - 1);
      assert.equal(await b.acquire(), 'a', 'the renewal counts from the renewal');
      assert.equal(b.held(), false);
      clock.advance(2);
      assert.equal(a.held(), false, 'a sees its own lease run out');
      assert.equal(await b.acquire(), null, 'expired: b takes it');
      assert.equal(await a.acquire(), 'b');
      await a.release(); // not a's: changes nothing
      assert.equal(await a.acquire(), 'b');
      await b.release();
      assert.equal(await a.acquire(), null, 'released: taken at once');
      // racing for a free lease: exactly one wins
      await a.release();
      const won = await Promise.all([a.acquire(), b.acquire()]);
      assert.equal(won.filter((w) => w === null).length, 1, JSON.stringify(won));
    });

    test('two engines: only the holder cycles; the other takes over after the TTL, or at once on stop', async () => {
      const clock = new ManualClock();
      const reads: string[] = [];
      const config = (markets: string[]) =>
        MmSchema.parse({ enabled: true, intervalMs: 1000, leaseTtlMs: TTL, markets });
      const engine = (who: string, markets: string[] = []) =>
        new MmEngine({
          config: config(markets),
          books: NO_BOOKS,
          execution: fakeExecution(db, reads, who),
          now: clock.now,
          holder: who,
        });
      const one = engine('one');
      const two = engine('two');
      await one.runOnce();
      await two.runOnce();
      assert.equal(one.leader(), true);
      assert.equal(one.snapshot().halted, null);
      assert.equal(two.leader(), false);
      assert.match(String(two.snapshot().halted), /^standby: another instance quotes \(one\)/);
      assert.deepEqual(reads, ['one'], 'only the holder reads the exchange (adopts quotes)');

      // "one" hangs (no renewal): "two" stays on standby until the TTL has passed
      clock.advance(TTL - 1);
      await two.runOnce();
      assert.equal(two.leader(), false);
      clock.advance(1);
      await two.runOnce();
      assert.equal(two.leader(), true);
      assert.equal(two.snapshot().halted, null);
      assert.deepEqual(reads, ['one', 'two'], 'the new holder adopts the resting quotes');
      await one.runOnce();
      assert.equal(one.leader(), false, 'the old holder finds it lost and stops quoting');
      await one.stop(); // standby: cancels nothing, releases nothing
      await one.runOnce();
      assert.equal(one.leader(), false);

      // the holder stops: it releases, and the next instance takes over at its next cycle
      await two.stop();
      const three = engine('three');
      await three.runOnce();
      assert.equal(three.leader(), true);
      await three.stop();
      assert.deepEqual(await holders(), [], 'released on stop');

      // a holder whose last cycle is older than the TTL still cleans up and releases on stop
      const four = engine('four');
      await four.runOnce();
      assert.deepEqual(await holders(), ['four']);
      clock.advance(TTL * 2);
      assert.equal(four.leader(), false);
      await four.stop();
      assert.deepEqual(await holders(), []);
    });

    test('every instance reads the selectors each cycle: one added or removed on one is seen by the other', async () => {
      const clock = new ManualClock();
      const reads: string[] = [];
      const config = MmSchema.parse({ enabled: true, intervalMs: 1000, markets: ['sport:3'] });
      const [one, two] = ['sel-one', 'sel-two'].map(
        (who) =>
          new MmEngine({
            config,
            books: NO_BOOKS,
            execution: fakeExecution(db, reads, who),
            now: clock.now,
            holder: who,
          }),
      ) as [MmEngine, MmEngine];
      const names = (e: MmEngine) =>
        e
          .listSelections()
          .map((s) => s.selector)
          .sort();
      await one.select('fixture:9', { size: 4 });
      assert.equal(await one.unselect('sport:3'), true);
      assert.deepEqual(names(two), ['sport:3'], 'not read yet');
      await two.runOnce();
      assert.deepEqual(names(two), ['fixture:9']);
      assert.equal(two.listSelections()[0]?.strategy.size, 4);
      assert.equal(await two.unselect('fixture:9'), true);
      assert.equal(await one.unselect('fixture:9'), false, 'already removed by the other');
      await one.stop();
      await two.stop();
    });
  });
}
