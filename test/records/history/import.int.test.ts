import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Records } from '../../../src/records/index.js';
import { importRecording } from '../../../src/records/history/import.js';
import { fromHundredths } from '../../../src/records/history/index.js';
import { inspectFile, type InspectResult } from '../../../src/cli/inspect.js';
import { ROOT } from '../../helpers/process.js';
import { killAll, runCli } from '../../cli/cli-process.js';

const DIR = join(ROOT, '..', 'shared', 'data', 'betfair', 'historical');

describe('history import of the real Betfair recordings agrees with `oddsgate inspect`', () => {
  let dataDir: string;
  let records: Records;
  let files: string[];
  const inspected = new Map<string, InspectResult>();
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'oddsgate-history-import-'));
    records = await Records.open({ dataDir });
    files = (await readdir(DIR)).filter((f) => !f.endsWith('.json')).map((f) => join(DIR, f));
    assert.ok(files.length >= 5, `recordings in ${DIR}`);
    for (const f of files) inspected.set(f, await inspectFile(f));
  });
  after(async () => {
    killAll();
    await records?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('last pre-play prices and final LTP of every runner of every market', async () => {
    let runnersChecked = 0;
    for (const f of files) {
      const report = await importRecording(records, f);
      const want = inspected.get(f)!;
      assert.ok(report.ticks > 0, `${f}: ticks imported`);
      for (const m of want.markets) {
        if (!m.eventId) continue;
        const eventId = report.events[m.eventId];
        assert.ok(eventId, `${f}: ${m.marketId} has an internal id`);
        const stored = (await records.history.marketsOfEvent(eventId)).find((x) => x.marketId === m.marketId);
        assert.ok(stored, `${f}: ${m.marketId} in history`);
        const lines = await records.history.runners([stored.key]);
        const ticks = await records.history.ticks(stored.key, 0, Date.parse('2100-01-01'));
        for (const r of m.final.runners) {
          const mine = ticks.filter((t) => t.selectionId === r.selectionId);
          assert.equal(
            fromHundredths(mine.at(-1)?.ltp ?? 0),
            r.ltp,
            `${f} ${m.marketId} ${r.selectionId} final LTP`,
          );
          const pre = m.lastPreplay?.runners.find((x) => x.selectionId === r.selectionId);
          const line = lines.find((x) => x.selectionId === r.selectionId);
          if (!pre) continue;
          const label = `${f} ${m.marketId} ${r.selectionId} closing`;
          assert.ok(line?.close, `${label}: a closing line`);
          assert.equal(fromHundredths(line.close.back), pre.back[0]?.[0] ?? null, `${label} back`);
          assert.equal(fromHundredths(line.close.lay), pre.lay[0]?.[0] ?? null, `${label} lay`);
          assert.equal(fromHundredths(line.close.ltp), pre.ltp, `${label} ltp`);
          assert.ok(
            line.close.ts <= (m.lastPreplay?.pt ?? Infinity),
            `${label}: at or before the last pre-play update`,
          );
          runnersChecked++;
        }
        // BSP where the recording reconciled one.
        for (const r of m.final.runners)
          if (r.bsp !== null)
            assert.equal(
              fromHundredths(lines.find((x) => x.selectionId === r.selectionId)?.bsp ?? 0),
              Math.round(r.bsp * 100) / 100,
            );
      }
    }
    assert.ok(runnersChecked >= 10, `${runnersChecked} runners compared`);
  });

  test('importing a file again writes nothing twice', async () => {
    const again = await importRecording(records, files[0]!);
    assert.equal(again.ticks, 0);
    assert.ok(again.skipped.length > 0);
  });

  test('the CLI refuses while another process holds the PGlite directory, and exports once it is free', async () => {
    const m = inspected.get(files[0]!)!.markets.find((x) => x.eventId)!;
    const locked = runCli(['history', 'export', '--event', m.eventId!], { DATA_DIR: dataDir });
    assert.equal(await locked.exit(60_000), 3, locked.stderr());
    assert.match(locked.stderr(), /in use by another oddsgate process/);
    await records.close();
    const run = runCli(['history', 'export', '--event', m.eventId!, '--format', 'ndjson'], {
      DATA_DIR: dataDir,
    });
    assert.equal(await run.exit(60_000), 0, run.stderr());
    const rows = run
      .stdout()
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { market_id: string; selection_id: number; ltp: number | null; ts: number },
      );
    const mine = rows.filter((r) => r.market_id === m.marketId);
    assert.ok(mine.length > 0);
    for (const r of m.final.runners) {
      const last = mine.filter((x) => x.selection_id === r.selectionId).at(-1);
      assert.equal(last?.ltp ?? null, r.ltp, `exported final LTP of ${r.selectionId}`);
    }
    const csv = runCli(['history', 'export', '--event', m.eventId!], { DATA_DIR: dataDir });
    assert.equal(await csv.exit(60_000), 0, csv.stderr());
    const [header, ...body] = csv.stdout().trim().split('\n');
    assert.equal(
      header,
      'market_id,selection_id,ts,time,back,back_size,lay,lay_size,ltp,tv,status,market_status,in_play',
    );
    assert.equal(body.length, rows.length);
    records = await Records.open({ dataDir }); // for after()
  });
});
