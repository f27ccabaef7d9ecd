import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Records } from '../../../src/records/index.js';
import { HistoryWriter, unpackFlags } from '../../../src/records/history/index.js';
import { BACKENDS, type Backend } from '../helpers.js';
import { priced, ScriptedLog } from './helpers.js';

const T0 = Date.parse('2026-05-01T12:00:00.000Z');
const M = '1.500';

/** Runs a writer over `log` until it has written everything the log holds, then closes it. */
async function drain(records: Records, log: ScriptedLog): Promise<HistoryWriter> {
  const w = new HistoryWriter({ store: log, repo: records.history, flushMs: 5 });
  w.start();
  const last = log.entries[log.entries.length - 1]?.id ?? null;
  const deadline = Date.now() + 20_000;
  while (w.stats.position !== last && Date.now() < deadline) {
    if (w.stats.lastError) throw new Error(w.stats.lastError);
    await new Promise((r) => setTimeout(r, 5));
  }
  await w.close();
  assert.equal(w.stats.position, last, 'the writer caught up');
  return w;
}

for (const make of BACKENDS) {
  describe(`odds history contract (${make.name.replace('Backend', '')})`, () => {
    let backend: Backend;
    let records: Records;
    const log = new ScriptedLog('redis');
    before(async () => {
      backend = await make();
      records = await backend.open();
    });
    after(async () => {
      await records?.close();
      await backend?.cleanup();
    });

    test('writes a tick only when a runner changed; candles, lines and checkpoint follow', async () => {
      const pre = { back: 2.0, lay: 2.04, ltp: 2.02, tv: 1000 };
      log.market(priced(M, 7001, pre), T0);
      log.market(priced(M, 7001, pre), T0 + 500); // nothing changed: no tick
      log.market(priced(M, 7001, { ...pre, back: 2.1, tv: 1200 }), T0 + 20_000);
      log.market(priced(M, 7001, { ...pre, back: 1.9, tv: 1300 }), T0 + 40_000);
      log.market(priced(M, 7001, { ...pre, back: 1.95, tv: 1500 }), T0 + 59_000); // last pre-play
      log.market(priced(M, 7001, { ...pre, back: 1.8, tv: 1600, inPlay: true }), T0 + 61_000);
      log.market(priced(M, 7001, { ...pre, back: 1.7, tv: 1700, inPlay: true, bsp: 1.98 }), T0 + 62_000);
      const w = await drain(records, log);
      // 2 runners at first, then only runner 1 changed (the in-play flip changes runner 2's flags too).
      assert.equal(w.stats.ticksWritten, 2 + 3 + 2 + 1);
      const [m] = await records.history.marketsOfEvent(7001);
      assert.ok(m);
      assert.equal(m.marketId, M);
      const ticks = await records.history.ticks(m.key, T0, T0 + 120_000);
      const r1 = ticks.filter((t) => t.selectionId === 47972);
      assert.deepEqual(
        r1.map((t) => [t.ts - T0, t.back, t.tv, unpackFlags(t.flags).inPlay]),
        [
          [0, 200, 100_000, false],
          [20_000, 210, 120_000, false],
          [40_000, 190, 130_000, false],
          [59_000, 195, 150_000, false],
          [61_000, 180, 160_000, true],
          [62_000, 170, 170_000, true],
        ],
      );
      const c = (await records.history.candles('history_candles_1m', m.key, T0, T0 + 120_000)).filter(
        (x) => x.selectionId === 47972,
      );
      assert.deepEqual(
        c.map((x) => [x.bucket - T0, x.back, x.tvClose - x.tvPrev]),
        [
          [0, { o: 200, h: 210, l: 190, c: 195 }, 50_000],
          [60_000, { o: 180, h: 180, l: 170, c: 170 }, 20_000],
        ],
      );
      const hour = await records.history.candles('history_candles_1h', m.key, T0, T0 + 3_600_000);
      assert.deepEqual(hour.find((x) => x.selectionId === 47972)?.ltp, { o: 202, h: 202, l: 202, c: 202 });
      const lines = await records.history.runners([m.key]);
      const l1 = lines.find((r) => r.selectionId === 47972)!;
      assert.equal(l1.name, 'Runner 47972');
      assert.equal(l1.close?.ts, T0 + 59_000);
      assert.equal(l1.close?.back, 195);
      assert.equal(l1.open?.ts, T0 + 61_000);
      assert.equal(l1.open?.back, 180);
      assert.equal(l1.bsp, 198);
      assert.deepEqual(await records.history.checkpoint(), {
        logId: log.entries.at(-1)!.id,
        logTs: T0 + 62_000,
        clean: true,
      });
      assert.deepEqual(await records.history.gaps(), []);
    });

    test('a restarted writer resumes after its checkpoint: nothing written twice, nothing missed', async () => {
      const [m] = await records.history.marketsOfEvent(7001);
      const before = (await records.history.ticks(m!.key, T0, T0 + 3_600_000)).length;
      log.market(priced(M, 7001, { back: 1.6, lay: 1.62, ltp: 1.61, tv: 1800, inPlay: true }), T0 + 70_000);
      const w = await drain(records, log);
      // The new writer knows no earlier state: both runners are written once, then only changes.
      assert.equal(w.stats.ticksWritten, 2);
      const after = await records.history.ticks(m!.key, T0, T0 + 3_600_000);
      assert.equal(after.length, before + 2);
      const c = await records.history.candles('history_candles_1m', m!.key, T0 + 60_000, T0 + 120_000);
      assert.equal(c.find((x) => x.selectionId === 47972)?.back?.c, 160);
      assert.equal(c.find((x) => x.selectionId === 47972)?.back?.o, 180, 'the open of the minute is kept');
    });

    test('a log trimmed past the checkpoint is recorded as a gap, never skipped silently', async () => {
      const lost = log.market(priced(M, 7001, { back: 1.5, lay: 1.52, ltp: 1.5, tv: 1900 }), T0 + 80_000);
      log.market(priced(M, 7001, { back: 1.4, lay: 1.42, ltp: 1.4, tv: 2000 }), T0 + 90_000);
      log.trimThrough(lost.id);
      const w = await drain(records, log);
      assert.equal(w.stats.gaps, 1);
      const gaps = await records.history.gaps();
      assert.equal(gaps.length, 1);
      assert.equal(gaps[0]!.fromAt, T0 + 70_000);
      assert.equal(gaps[0]!.toAt, T0 + 90_000);
      assert.match(gaps[0]!.reason, /no longer held/);
    });

    test('compaction merges the blocks of a market-minute into one, ticks unchanged', async () => {
      const C = '1.502';
      const base = Date.parse('2026-05-02T08:00:00.000Z');
      for (let i = 0; i < 6; i++) {
        log.market(priced(C, 7003, { back: 2 + i / 100, lay: 2.1, ltp: 2, tv: 10 + i }), base + i * 5000);
        await drain(records, log); // one batch (one block) each
      }
      const [m] = await records.history.marketsOfEvent(7003);
      const before = await records.history.ticks(m!.key, base, base + 60_000);
      const blocks = async () =>
        Number(
          (
            await sql<{
              n: number;
            }>`select count(*)::int as n from history_ticks where market_key = ${m!.key}`.execute(
              records.database.db,
            )
          ).rows[0]?.n,
        );
      assert.equal(await blocks(), 6);
      assert.deepEqual(await records.history.compact(base - 60_000, base + 60_000), {
        merged: 5,
        more: false,
      });
      assert.equal(await blocks(), 1);
      assert.deepEqual(await records.history.ticks(m!.key, base, base + 60_000), before);
      assert.deepEqual(await records.history.compact(base - 60_000, base + 60_000), {
        merged: 0,
        more: false,
      });
    });

    test('retention drops whole day partitions only', async () => {
      const other = '1.501';
      const old = Date.parse('2026-04-20T10:00:00.000Z');
      const old2 = Date.parse('2026-04-21T10:00:00.000Z');
      log.market(priced(other, 7002, { back: 5, lay: 5.1, ltp: 5, tv: 1 }), old);
      log.market(priced(other, 7002, { back: 6, lay: 6.2, ltp: 6, tv: 2 }), old2);
      // Out of order in time on purpose (an import of an old day): the writer does not care.
      await drain(records, log);
      const dropped = await records.history.dropDaysBefore(
        'history_ticks',
        Date.parse('2026-04-22T00:00:00Z'),
      );
      assert.deepEqual(dropped.sort(), ['history_ticks_p20260420', 'history_ticks_p20260421']);
      const [m] = await records.history.marketsOfEvent(7002);
      assert.deepEqual(await records.history.ticks(m!.key, old - 1, old2 + 1), []);
      // Ticks of kept days are still there.
      const [m1] = await records.history.marketsOfEvent(7001);
      assert.ok((await records.history.ticks(m1!.key, T0, T0 + 3_600_000)).length > 0);
      const parts = await sql<{ n: number }>`select count(*)::int as n from pg_inherits i
        join pg_class p on p.oid = i.inhparent where p.relname = 'history_ticks'`.execute(
        records.database.db,
      );
      assert.equal(parts.rows[0]?.n, 2, 'the days of 2026-05-01 and 2026-05-02 are kept');
    });

    test('a batch of more runners than one upsert statement takes writes every line and candle', async () => {
      // 300 markets of 2 runners in one batch: 600 runner lines and 600 minute candles, written in slices.
      const at = T0 + 2 * 3_600_000;
      const events = Array.from({ length: 300 }, (_, i) => 9000 + i);
      for (const e of events) log.market(priced(`1.9${e}`, e, { back: 2, lay: 2.02, ltp: 2, tv: 10 }), at);
      await drain(records, log);
      const keys = (await Promise.all(events.map((e) => records.history.marketsOfEvent(e)))).map(
        ([m]) => m!.key,
      );
      const lines = await records.history.runners(keys);
      assert.equal(lines.length, 600);
      assert.ok(
        lines.every((l) => l.close?.ts === at && l.close.back === (l.selectionId === 47972 ? 200 : 300)),
      );
      const candles = await sql<{ n: number }>`select count(*)::int as n from history_candles_1m
        where market_key = any(${keys}::integer[])`.execute(records.database.db);
      assert.equal(candles.rows[0]?.n, 600);
    });
  });
}
