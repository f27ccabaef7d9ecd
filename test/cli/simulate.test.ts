import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSimulateFlags, simulateCommand } from '../../src/cli/simulate.js';

/** Runs fn with stderr captured. */
async function withStderr<T>(fn: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await fn(), stderr };
  } finally {
    process.stderr.write = original;
  }
}

describe('oddsgate simulate', () => {
  test('writes the stream as NDJSON to --out for --seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oddsgate-sim-'));
    try {
      const file = join(dir, 'stream.ndjson');
      const { result, stderr } = await withStderr(() =>
        simulateCommand([
          '--seconds',
          '0.6',
          '--out',
          file,
          '--speed',
          '30',
          '--rate',
          '500',
          '--events',
          '32',
        ]),
      );
      assert.equal(result, 0);
      assert.match(stderr, /runner changes/);
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
      assert.ok(lines.length >= 5, `lines: ${lines.length}`);
      const msgs = lines.map(
        (l) => JSON.parse(l) as { op: string; ct?: string; clk: string; mc?: unknown[] },
      );
      assert.equal(msgs[0]?.ct, 'SUB_IMAGE');
      assert.ok((msgs[0]?.mc?.length ?? 0) >= 32);
      for (let i = 1; i < msgs.length; i++) {
        assert.equal(msgs[i]?.op, 'mcm');
        assert.ok(Number(msgs[i]?.clk) > Number(msgs[i - 1]?.clk));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects bad flags with exit code 2 and a message', async () => {
    for (const argv of [['--speed', 'fast'], ['--events', '2'], ['--bogus'], ['--rate', '-1'], ['extra']]) {
      const { result, stderr } = await withStderr(() => simulateCommand(argv));
      assert.equal(result, 2, argv.join(' '));
      assert.match(stderr, /^simulate: /);
    }
  });

  test('parses every flag', () => {
    const r = parseSimulateFlags([
      '--seconds',
      '5',
      '--out',
      'x.ndjson',
      '--speed',
      '2.5',
      '--seed',
      '9',
      '--rate',
      '40',
      '--events',
      '50',
    ]);
    assert.deepEqual(r, {
      flags: { seconds: 5, out: 'x.ndjson', speed: 2.5, seed: 9, rate: 40, events: 50 },
    });
  });
});
