import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backtestCommand } from '../../../src/cli/backtest.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await backtestCommand(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('--help prints the usage with every option and exits 0', async () => {
  const r = await run(['--help']);
  assert.equal(r.code, 0);
  for (const o of ['--strategy mm', '--from', '--to', '--input', '--spread-ticks', '--commission', '--json'])
    assert.ok(r.out.includes(o), o);
});

test('bad options are refused with a message naming the problem (exit 2), nothing on stdout', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /--strategy must be mm/],
    [['--strategy', 'momentum'], /--strategy must be mm/],
    [['--strategy', 'mm', '--from', 'soon'], /not a time: soon/],
    [['--strategy', 'mm', '--from', '2020-01-02', '--to', '2020-01-01'], /--from must be before --to/],
    [['--strategy', 'mm', '--spread-ticks', '0'], /--spread-ticks must be at least 1/],
    [['--strategy', 'mm', '--spread-ticks', '1.5'], /--spread-ticks must be whole/],
    [['--strategy', 'mm', '--size', 'ten'], /--size must be a number/],
    [['--strategy', 'mm', '--commission', '2'], /--commission must be at most 1/],
    [['--strategy', 'mm', '--input', '/nonexistent/recording.bz2'], /cannot read \/nonexistent/],
    [['--strategy', 'mm', '--bogus'], /Unknown option '--bogus'/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, message, argv.join(' '));
    assert.match(r.err, /usage: oddsgate backtest/);
    assert.equal(r.out, '');
  }
});
