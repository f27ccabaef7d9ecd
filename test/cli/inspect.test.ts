/**
 * `oddsgate inspect`. Expected values come from the raw files, read independently of this code, and from a
 * Python transcription of betfairlightweight's cache (Available / RunnerBookCache / MarketBookCache) run on
 * the same files: winners, BSPs, final clk, last pre-play ladders.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
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
    assert.deepEqual(winner, { selectionId: 12115648, status: 'WINNER', bsp: 4.15, ltp: 1.01 });
    assert.equal(m.lastPreplay?.pt, 1497466482098);
    const pre = m.lastPreplay?.runners.find((x) => x.selectionId === 12115648);
    assert.deepEqual(pre, {
      selectionId: 12115648,
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

  test('a missing file or an unknown flag: message on stderr, exit code 2', async () => {
    const missing = await run(['/nonexistent/file.bz2', '--json']);
    assert.equal(missing.code, 2);
    assert.deepEqual(missing.out, []);
    assert.match(missing.err.join('\n'), /cannot read \/nonexistent\/file\.bz2/);
    const flag = await run([data('1.197931750'), '--yaml']);
    assert.equal(flag.code, 2);
    assert.match(flag.err.join('\n'), /unknown option --yaml/);
    const none = await run(['--json']);
    assert.equal(none.code, 2);
  });
});
