#!/usr/bin/env node
// Runs the test suite with Node's built-in test runner (TypeScript through tsx).
// Unit tests are test/**/*.test.ts; integration tests (real Redis, Chromium, sockets) are *.int.test.ts.
// Flags: --unit, --integration (default: both), any other argument filters file paths by substring.
// The long suites are kept out of the default set and run on their own: --reliability runs only the
// reliability scenarios (*.rel.test.ts; RELIABILITY_SHORT=1 for the short variants), --fuzz only the
// fuzz suites (*.fuzz.test.ts).
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const intOnly = args.includes('--integration');
const reliability = args.includes('--reliability');
const fuzz = args.includes('--fuzz');
const filters = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = walk('test')
  .map((f) => relative('.', f))
  .filter((f) => {
    if (f.endsWith('.rel.test.ts') !== reliability) return false;
    if (f.endsWith('.fuzz.test.ts') !== fuzz) return false;
    const isInt = f.endsWith('.int.test.ts');
    if (unitOnly && isInt) return false;
    if (intOnly && !isInt) return false;
    return filters.length === 0 || filters.some((x) => f.includes(x));
  })
  .sort();

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? (reliability ? '1' : '2');
const res = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    // A test file whose tests are done but that leaves a handle open must not hang the run.
    '--test-force-exit',
    // No single test (nor test file) may run longer than this (a hung test fails instead of stalling CI);
    // the reliability scenarios bound their own waits, and the full soak alone runs 10 minutes.
    `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? (reliability ? '1200000' : '300000')}`,
    '--test-reporter=spec',
    ...files,
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(res.status ?? 1);
