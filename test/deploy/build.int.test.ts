/**
 * `npm run build` gives a dist/ that runs: the build (into a directory of its own, not the repository's
 * dist/) is laid out as the Docker image is (bin/, dist/, config/, package.json, node_modules; no src/),
 * started through bin/oddsgate.js on a free port, and serves the dashboard and its static files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, spawnOddsgate, waitFor, type Spawned } from '../helpers/process.js';

let app = '';
const running: Spawned[] = [];

before(() => {
  app = mkdtempSync(join(tmpdir(), 'oddsgate-build-'));
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--out-dir', join(app, 'dist')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(built.status, 0, `build failed: ${built.stdout}${built.stderr}`);
  for (const p of ['bin', 'config', 'package.json']) cpSync(join(ROOT, p), join(app, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'));
});

after(async () => {
  await Promise.all(running.map((p) => p.stop(2000)));
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('npm run build', () => {
  test('the build holds the static files and ends with its completion marker', () => {
    for (const f of [
      'cli.js',
      'BUILD_COMPLETE',
      'http/dashboard/static/index.html',
      'http/dashboard/static/app.js',
      'http/dashboard/static/style.css',
      'http/dashboard/static/board.js',
      'http/dashboard/static/favicon.ico',
      'sim/site/static/app.js',
      'sim/site/static/style.css',
    ]) {
      assert.ok(existsSync(join(app, 'dist', f)), `dist/${f}`);
    }
    assert.ok(!existsSync(join(app, 'dist', 'http', 'porqpine', 'README.md')), 'READMEs stay in src');
  });

  test('the built server starts and serves the dashboard and its files', async () => {
    const port = await freePort();
    const p = spawnOddsgate(
      ['start'],
      // dist deliberately (there is no src/ beside it either, as in the image).
      {
        ODDSGATE_FROM: 'dist',
        PORT: String(port),
        HOST: '127.0.0.1',
        DIAMOND_PASSWORD: 'built-server-password',
        LOG_LEVEL: 'info',
      },
      { cwd: app },
    );
    running.push(p);
    await waitFor(
      async () => (p.output().includes('Server listening') ? true : undefined),
      120_000,
      'listening',
    ).catch((err: Error) => assert.fail(`${err.message}\n${p.output().slice(-3000)}`));
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<script type="module" src="\/dashboard\/app\.js"/);
    for (const [file, type] of [
      ['app.js', /^text\/javascript/],
      ['util.js', /^text\/javascript/],
      ['ladder.js', /^text\/javascript/],
      ['board.js', /^text\/javascript/],
      ['panels.js', /^text\/javascript/],
      ['style.css', /^text\/css/],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${port}/dashboard/${file}`);
      assert.equal(res.status, 200, file);
      assert.match(res.headers.get('content-type') ?? '', type);
      assert.ok((await res.text()).length > 100, `${file} has content`);
    }
    const icon = await fetch(`http://127.0.0.1:${port}/favicon.ico`);
    assert.equal(icon.status, 200);
    // A binary file copied byte for byte: an ICO header (reserved 0, type 1).
    assert.deepEqual([...new Uint8Array(await icon.arrayBuffer()).subarray(0, 4)], [0, 0, 1, 0]);
    assert.equal(await p.stop(), 0, 'SIGTERM shuts down cleanly');
  });

  test('an interrupted build (no completion marker) is not run', async () => {
    rmSync(join(app, 'dist', 'BUILD_COMPLETE'));
    const p = spawnOddsgate(['start'], { ODDSGATE_FROM: 'dist', PORT: '0', HOST: '127.0.0.1' }, { cwd: app });
    running.push(p);
    // 'close': exited and its output read.
    const code = await new Promise<number | null>((r) => p.child.once('close', (c) => r(c)));
    assert.equal(code, 2);
    assert.match(p.output(), /ODDSGATE_FROM=dist but .* is not a complete build/);
  });
});
