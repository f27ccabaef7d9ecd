import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestReport } from '../../../src/mm/backtest/index.js';
import { ROOT } from '../../helpers/process.js';
import { killAll, runCli } from '../../cli/cli-process.js';

const DIR = join(ROOT, '..', 'shared', 'data', 'betfair', 'historical');
/** Generous: bzip2 decoding and PGlite share two cores with other work. */
const RUN_MS = 300_000;

/** Runs `oddsgate <args>`, expects exit 0 and returns stdout's last line parsed. */
async function runJson(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ line: string; report: BacktestReport }> {
  const run = runCli(args, env);
  const code = await run.exit(RUN_MS);
  assert.equal(code, 0, `oddsgate ${args.join(' ')}: ${run.stderr()}`);
  const line = run.stdout().trimEnd().split('\n').at(-1) as string;
  return { line, report: JSON.parse(line) as BacktestReport };
}

/** The report without what legitimately differs between sources (a skipped market's wording). */
const numbers = (r: BacktestReport) => ({
  totals: r.totals,
  markets: r.markets.map((m) => ({ ...m, skipped: m.skipped !== null })),
});

describe('oddsgate backtest --strategy mm on the real Betfair recordings', () => {
  let files: string[];
  let dataDir: string;
  let inputs: string[];
  before(async () => {
    files = (await readdir(DIR))
      .filter((f) => !f.endsWith('.json'))
      .sort()
      .map((f) => join(DIR, f));
    assert.ok(files.length >= 5, `recordings in ${DIR}`);
    inputs = files.flatMap((f) => ['--input', f]);
    dataDir = await mkdtemp(join(tmpdir(), 'oddsgate-backtest-'));
  });
  after(async () => {
    killAll();
    await rm(dataDir, { recursive: true, force: true });
  });

  let fromFiles: BacktestReport;
  test('two runs over the recordings print the same numbers, with quotes, fills and hedges', async () => {
    const a = await runJson(['backtest', '--strategy', 'mm', '--json', ...inputs]);
    const b = await runJson(['backtest', '--strategy', 'mm', '--json', ...inputs]);
    assert.equal(a.line, b.line, 'identical output');
    fromFiles = a.report;
    const t = a.report.totals;
    assert.equal(t.markets, files.length, 'one market per recording');
    assert.ok(t.quotes > 100, `quotes: ${t.quotes}`);
    assert.ok(t.fills > 10, `fills: ${t.fills}`);
    assert.ok(t.hedges > 10, `hedges: ${t.hedges}`);
    assert.ok(t.settled >= 4, `markets settled by their recorded result: ${t.settled}`);
    assert.ok(t.profit !== 0, 'a PnL');
    for (const m of a.report.markets.filter((x) => x.skipped === null && x.quotes > 0))
      assert.ok(m.maxExposure > 0, `${m.marketId}: exposure tracked`);
    const place = a.report.markets.find((m) => m.type === 'PLACE');
    assert.match(place?.skipped ?? '', /winners/, 'a place market is not quoted on a one-winner fair price');
  });

  test('the table shows the same totals', async () => {
    const run = runCli(['backtest', '--strategy', 'mm', ...inputs]);
    assert.equal(await run.exit(RUN_MS), 0, run.stderr());
    const total = run
      .stdout()
      .split('\n')
      .find((l) => l.startsWith('total'));
    assert.ok(total, run.stdout());
    const t = fromFiles.totals;
    for (const v of [t.quotes, t.fills, t.hedges, t.profit.toFixed(2), t.net.toFixed(2)])
      assert.ok(total.split(/\s+/).includes(String(v)), `${v} in ${total}`);
  });

  test('imported into odds history, the database backtests to the same numbers as the files', async () => {
    const env = { DATA_DIR: dataDir };
    const imp = runCli(['history', 'import', ...files], env);
    assert.equal(await imp.exit(RUN_MS), 0, imp.stderr());
    const fromDb = await runJson(['backtest', '--strategy', 'mm', '--json'], env);
    assert.deepEqual(numbers(fromDb.report), numbers(fromFiles));
  });

  test('a --from/--to window gives the same numbers from the database and from the file', async () => {
    const file = files.find((f) => f.endsWith('29788105.bz2')) as string;
    const window = ['--from', '2020-05-02T09:00:00Z', '--to', '2020-05-02T09:40:00Z'];
    const db = await runJson(['backtest', '--strategy', 'mm', '--json', ...window], { DATA_DIR: dataDir });
    const direct = await runJson(['backtest', '--strategy', 'mm', '--json', ...window, '--input', file]);
    assert.deepEqual(numbers(db.report), numbers(direct.report));
    assert.equal(direct.report.markets.length, 1, 'only the market trading in the window');
    const m = direct.report.markets[0]!;
    assert.ok(m.quotes > 0 && m.fills > 0, 'activity in the window');
    assert.ok(
      (m.firstAt as number) >= Date.parse(window[1]!) && (m.lastAt as number) < Date.parse(window[3]!),
    );
    assert.ok(m.quotes < (fromFiles.markets.find((x) => x.marketId === m.marketId)?.quotes ?? 0));
  });

  test('bad options are refused with the usage (exit 2), a file that is no recording with exit 1', async () => {
    const bad = runCli(['backtest', '--strategy', 'mm', '--from', 'yesterday']);
    assert.equal(await bad.exit(RUN_MS), 2);
    assert.match(bad.stderr(), /backtest: not a time: yesterday/);
    assert.equal(bad.stdout(), '');
    const notRec = runCli([
      'backtest',
      '--strategy',
      'mm',
      '--input',
      join(DIR, 'BASIC-1.132153978-processed.json'),
    ]);
    assert.equal(await notRec.exit(RUN_MS), 1);
    assert.match(notRec.stderr(), /not a Betfair stream recording/);
  });
});
