import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { RecordsWriter } from '../../src/records/writer.js';
import type { RecordsDb } from '../../src/records/db.js';
import type { IdMapping, IdRepository } from '../../src/records/ids.js';
import type { ResultRepository } from '../../src/records/results.js';
import type { Result } from '../../src/model/index.js';
import { result } from './helpers.js';

/** A database that can be taken down: its transactions throw while `down`. */
function fakeDb() {
  const state = { down: false, ids: [] as IdMapping[], results: [] as Result[] };
  const db = {
    transaction: () => ({
      execute: async (fn: (trx: unknown) => Promise<void>) => {
        if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        await fn({});
      },
    }),
  } as unknown as Kysely<unknown>;
  const records = { kind: 'postgres', location: 'postgres://x', db } as unknown as RecordsDb;
  const ids = {
    save: async (_db: unknown, ms: readonly IdMapping[]) => void state.ids.push(...ms),
  } as unknown as IdRepository;
  const results = {
    prepare: async () => undefined,
    save: async (_db: unknown, rs: readonly Result[]) => void state.results.push(...rs),
  } as unknown as ResultRepository;
  return { state, records, ids, results };
}

describe('records writer (write-behind)', () => {
  test('while the database is down rows stay queued, bounded; once it is back they are written', async () => {
    const f = fakeDb();
    const w = new RecordsWriter(f.records, f.ids, f.results, { maxPending: 5, flushMs: 60_000 });
    f.state.down = true;
    w.idLinked({ source: 'betfair', upstreamId: 'A', eventId: 1000001 });
    w.resultStored(result(1000001, '2026-01-01T00:00:00.000Z'));
    await assert.rejects(w.flush(), /ECONNREFUSED/);
    assert.equal(w.pending, 2, 'nothing lost on failure');
    for (let i = 0; i < 10; i++) w.idLinked({ source: 'betfair', upstreamId: `B${i}`, eventId: 1000002 + i });
    assert.equal(w.pending, 5, 'bounded whatever is queued');
    assert.equal(w.stats.dropped, 7);
    f.state.down = false;
    await w.flush();
    assert.equal(w.pending, 0);
    assert.deepEqual(
      f.state.ids.map((m) => m.upstreamId),
      ['B6', 'B7', 'B8', 'B9'],
    );
    assert.deepEqual(
      f.state.results.map((r) => r.eventId),
      [1000001],
    );
    await w.close();
  });

  test('a newer value of a key replaces the queued one, and survives a failed write of the older', async () => {
    const f = fakeDb();
    const w = new RecordsWriter(f.records, f.ids, f.results, { flushMs: 60_000 });
    w.resultStored(result(7, '2026-01-01T00:00:00.000Z', 1, 'Home'));
    w.resultStored(result(7, '2026-01-01T00:00:00.000Z', 1, 'Away'));
    assert.equal(w.pending, 1);
    await w.flush();
    assert.equal(f.state.results.at(-1)?.winner, 'Away');
    await w.close();
  });

  test('the outage is logged once, and its end once', async () => {
    const f = fakeDb();
    const lines: string[] = [];
    const logger = {
      error: (_o: unknown, msg: string) => lines.push(`error ${msg}`),
      info: (_o: unknown, msg: string) => lines.push(`info ${msg}`),
    };
    const w = new RecordsWriter(f.records, f.ids, f.results, {
      flushMs: 60_000,
      logger: logger as never,
    });
    const tick = () => (w as unknown as { tick(): Promise<void> }).tick();
    f.state.down = true;
    w.resultStored(result(8, '2026-01-01T00:00:00.000Z'));
    await tick();
    await tick();
    await tick();
    f.state.down = false;
    await tick();
    assert.equal(w.pending, 0);
    assert.deepEqual(lines, [
      'error records database unreachable: ids and results queued (bounded) and retried; odds keep flowing',
      'info records database reachable again',
    ]);
    assert.equal(w.stats.failures, 3);
    await w.close();
  });
});
