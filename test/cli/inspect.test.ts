/**
 * `oddsgate inspect`. Expected values come from the raw files, read independently of this code, and from a
 * Python transcription of betfairlightweight's cache (Available / RunnerBookCache / MarketBookCache) run on
 * the same files: winners, BSPs, final clk, last pre-play ladders.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectCommand, inspectFile, type InspectResult } from '../../src/cli/inspect.js';

const data = (name: string) =>
  fileURLToPath(new URL(`../../../shared/data/betfair/historical/${name}`, import.meta.url));

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await inspectCommand(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out, err };
}

describe('oddsgate inspect', () => {
  test('--json on BASIC: one line, winner 12115648 with BSP 4.15, every BSP, final clk, first in-play', async () => {
    const { code, out, err } = await run([data('BASIC-1.132153978'), '--json']);
    assert.equal(code, 0);
    assert.deepEqual(err, []);
    assert.equal(out.length, 1);
    const r = JSON.parse(out[0] as string) as InspectResult;
    assert.equal(r.file, data('BASIC-1.132153978'));
    assert.equal(r.clk, '3522512789');
    assert.equal(r.markets.length, 1);
    const m = r.markets[0];
    assert.ok(m);
    assert.equal(m.marketId, '1.132153978');
    assert.equal(m.eventId, '28270094');
    assert.equal(m.eventTypeId, '7');
    assert.equal(m.marketType, 'WIN');
    assert.equal(m.status, 'CLOSED');
    assert.equal(m.inPlay, true);
    assert.deepEqual(m.winners, [12115648]);
    assert.equal(m.firstInplayPt, 1497466542053);
    assert.equal(m.final.pt, 1497466782073);
    assert.equal(m.final.status, 'CLOSED');
    const bsp = Object.fromEntries(m.final.runners.map((x) => [x.selectionId, x.bsp]));
    assert.deepEqual(bsp, {
      12115648: 4.15,
      7330488: 5.73,
      8504171: 6.4,
      11695059: 19.59,
      10299545: 11,
      11313015: 13.55,
      4090765: 21,
      8873527: 9.14,
      11267360: 60.33,
      12321972: 40,
      8560724: 150,
      12314194: 127.35,
      11198538: null,
      9606433: null,
    });
    const winner = m.final.runners.find((x) => x.selectionId === 12115648);
    assert.deepEqual(winner, {
      selectionId: 12115648,
      name: 'Brother Mcgonagall',
      status: 'WINNER',
      bsp: 4.15,
      ltp: 1.01,
    });
    assert.equal(m.lastPreplay?.pt, 1497466482098);
    const pre = m.lastPreplay?.runners.find((x) => x.selectionId === 12115648);
    assert.deepEqual(pre, {
      selectionId: 12115648,
      name: 'Brother Mcgonagall',
      status: 'ACTIVE',
      back: [],
      lay: [],
      ltp: 4,
      totalMatched: 0,
    });
  });

  test('last pre-play ladders of a full-ladder recording match betfairlightweight', async () => {
    const r = await inspectFile(data('1.185781277.bz2'));
    const m = r.markets[0];
    assert.equal(r.clk, 'AP7cAgDw5wMA4o4F');
    assert.deepEqual(m?.winners, [40364042]);
    assert.equal(m?.firstInplayPt, 1627623867132);
    assert.equal(m?.lastPreplay?.pt, 1627623866029);
    assert.equal(m?.lastPreplay?.totalMatched, 43342.76);
    const w = m?.lastPreplay?.runners.find((x) => x.selectionId === 40364042);
    assert.deepEqual(w?.back.slice(0, 2), [
      [4, 9.84],
      [3.95, 235.56],
    ]);
    assert.deepEqual(w?.lay.slice(0, 2), [
      [4.1, 324.31],
      [4.2, 16.12],
    ]);
    assert.equal(w?.back.length, 62);
    assert.equal(w?.lay.length, 56);
    assert.equal(w?.ltp, null);
    assert.equal(w?.totalMatched, 13302.44);
    assert.equal(m?.final.runners.find((x) => x.selectionId === 40364042)?.bsp, 4.1);
  });

  test('a PRO place market: three winners with their BSPs; runner tv reported as given', async () => {
    const r = await inspectFile(data('1.205822330.bz2'));
    const m = r.markets[0];
    assert.deepEqual(m?.winners, [49808334, 49808335, 49808342]);
    assert.deepEqual(
      m?.final.runners.filter((x) => x.status === 'WINNER').map((x) => [x.selectionId, x.bsp, x.ltp]),
      [
        [49808334, 4.2, 4],
        [49808335, 3.58, 3.45],
        [49808342, 1.86, 1.92],
      ],
    );
    assert.equal(m?.firstInplayPt, null, 'never turned in play');
    const w = m?.lastPreplay?.runners.find((x) => x.selectionId === 49808342);
    assert.deepEqual(w?.back.slice(0, 2), [
      [1.9, 5.46],
      [1.86, 46.97],
    ]);
    assert.equal(w?.totalMatched, 476.78);
  });

  test('without --json: a readable table per file', async () => {
    const { code, out } = await run([data('BASIC-1.132153978'), data('1.197931750')]);
    assert.equal(code, 0);
    assert.equal(out.length, 2);
    assert.match(out[0] ?? '', /clk=3522512789/);
    assert.match(out[0] ?? '', /market 1\.132153978 {2}WIN {2}CLOSED in-play/);
    assert.match(out[0] ?? '', /12115648 +WINNER +- +- +1\.01 +4\.15/);
    assert.match(out[1] ?? '', /winners 37947503/);
  });

  test('event, market and runner names from the market definition, in --json and in the table', async () => {
    const j = await run([data('BASIC-1.132153978'), '--json']);
    const m = (JSON.parse(j.out[0] as string) as InspectResult).markets[0];
    assert.equal(m?.eventName, 'Ham 14th Jun');
    assert.equal(m?.marketName, '1m Hcap');
    const final = Object.fromEntries(m!.final.runners.map((x) => [x.selectionId, x.name]));
    assert.equal(final[12115648], 'Brother Mcgonagall');
    assert.equal(final[10299545], 'Match My Fire');
    assert.ok(m!.final.runners.every((x) => typeof x.name === 'string' && x.name.length > 0));
    const pre = m!.lastPreplay!.runners.find((x) => x.selectionId === 7330488);
    assert.equal(pre?.name, 'Sakhalin Star');
    const t = await run([data('BASIC-1.132153978')]);
    assert.match(t.out[0] ?? '', /\n {4}Ham 14th Jun \/ 1m Hcap\n/);
    assert.match(t.out[0] ?? '', /12115648 +WINNER +- +- +1\.01 +4\.15 +Brother Mcgonagall\n/);
  });

  test('a file that is not a stream recording: message on stderr, nothing on stdout, exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oddsgate-inspect-'));
    try {
      const files = {
        text: join(dir, 'notes.txt'),
        json: join(dir, 'config.json'),
        noOp: join(dir, 'objects.ndjson'),
        empty: join(dir, 'empty.ndjson'),
      };
      writeFileSync(files.text, 'just some notes\nabout nothing\n');
      writeFileSync(files.json, JSON.stringify({ port: 3001, nested: { a: 1 } }, null, 2));
      writeFileSync(files.noOp, '{"a":1}\n{"b":2}\n');
      writeFileSync(files.empty, '');
      for (const [kind, f] of Object.entries(files)) {
        for (const flags of [['--json'], []]) {
          const r = await run([f, ...flags]);
          assert.equal(r.code, 1, `${kind} ${flags.join(' ')}`);
          assert.deepEqual(r.out, [], `${kind}: nothing on stdout`);
          assert.match(
            r.err.join('\n'),
            new RegExp(`^inspect: .*${kind === 'empty' ? 'empty' : ''}.*: not a Betfair stream recording`),
            kind,
          );
        }
      }
      // A recording and a non-recording: the recording is reported, the exit code still says 1.
      const both = await run([data('BASIC-1.132153978'), files.text, '--json']);
      assert.equal(both.code, 1);
      assert.equal(both.out.length, 1);
      assert.equal((JSON.parse(both.out[0] as string) as InspectResult).markets[0]?.marketId, '1.132153978');
      // A recording with one unreadable line is still a recording (the line is reported as skipped).
      const mixed = join(dir, 'mixed.ndjson');
      writeFileSync(
        mixed,
        `${readFileSync(data('BASIC-1.132153978'), 'utf8').split('\n').slice(0, 5).join('\n')}\nnot json\n`,
      );
      const m = await run([mixed, '--json']);
      assert.equal(m.code, 0);
      assert.match(m.err.join('\n'), /1 malformed line\(s\) skipped/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--help and --version answer on stdout with exit code 0, even beside other arguments', async () => {
    for (const argv of [
      ['--help'],
      ['-h'],
      [data('BASIC-1.132153978'), '--json', '--help'],
      ['--yaml', '--help'],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, 0, argv.join(' '));
      assert.equal(r.out.length, 1);
      assert.match(r.out[0] ?? '', /^usage: oddsgate inspect <file\.\.\.> \[options\]/);
      assert.match(r.out[0] ?? '', /--json/);
      assert.deepEqual(r.err, []);
    }
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const v = await run(['--version']);
    assert.equal(v.code, 0);
    assert.deepEqual(v.out, [`oddsgate ${pkg.version}`]);
  });

  test('a missing file or an unknown flag: message on stderr, exit code 2', async () => {
    const missing = await run(['/nonexistent/file.bz2', '--json']);
    assert.equal(missing.code, 2);
    assert.deepEqual(missing.out, []);
    assert.match(missing.err.join('\n'), /cannot read \/nonexistent\/file\.bz2/);
    const flag = await run([data('1.197931750'), '--yaml']);
    assert.equal(flag.code, 2);
    assert.match(flag.err.join('\n'), /^inspect: Unknown option '--yaml'/);
    assert.match(flag.err.join('\n'), /usage: oddsgate inspect/);
    const none = await run(['--json']);
    assert.equal(none.code, 2);
  });
});
