/** Which Chromium a launch uses: CHROMIUM_PATH, else a system one, else the npm-shipped one, unpacked safely. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { findSystemChromium, resolveChromium } from '../../../src/sources/browser/chromium.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'oddsgate-chromium-test-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** An executable file at `path`. */
function executable(path: string, body = '#!/bin/sh\necho fake\n'): string {
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

/** A fake @sparticuz/chromium package whose packed "browser" is a shell script printing `out`. */
function fakePackage(out: string, version = '1.2.3'): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@sparticuz/chromium', version }));
  writeFileSync(join(dir, 'bin', 'chromium.br'), brotliCompressSync(Buffer.from(`#!/bin/sh\necho ${out}\n`)));
  return dir;
}

describe('resolveChromium', () => {
  test('an explicit path (CHROMIUM_PATH) wins over a system Chromium', async () => {
    const d = tempDir();
    const system = executable(join(d, 'chromium'));
    const mine = executable(join(d, 'my-chrome'));
    assert.deepEqual(await resolveChromium({ explicit: mine, systemPaths: [system], pathEnv: '' }), {
      path: mine,
      source: 'explicit',
    });
  });

  test('an explicit path that is missing or not executable is an error, not replaced by another browser', async () => {
    const d = tempDir();
    const system = executable(join(d, 'chromium'));
    const plain = join(d, 'not-executable');
    writeFileSync(plain, 'x');
    chmodSync(plain, 0o644);
    for (const explicit of [join(d, 'missing'), d, plain]) {
      await assert.rejects(
        resolveChromium({ explicit, systemPaths: [system], pathEnv: '' }),
        (err: Error) => {
          assert.match(err.message, /CHROMIUM_PATH/);
          assert.ok(err.message.includes(explicit));
          return true;
        },
      );
    }
  });

  test('without an explicit path: the first executable system Chromium, then the names on PATH', async () => {
    const d = tempDir();
    const dir = join(d, 'not-a-file');
    mkdirSync(dir);
    const second = executable(join(d, 'chromium-browser'));
    assert.equal(findSystemChromium([join(d, 'missing'), dir, second], ''), second);
    const onPath = tempDir();
    const chrome = executable(join(onPath, 'google-chrome'));
    assert.equal(findSystemChromium([join(d, 'missing')], `${join(d, 'nothing')}:${onPath}`), chrome);
    assert.deepEqual(await resolveChromium({ systemPaths: [second], pathEnv: onPath }), {
      path: second,
      source: 'system',
    });
  });

  test('no system Chromium: the npm-shipped one is unpacked once into the cache and runs', async () => {
    const pkg = fakePackage('npm-browser');
    const cacheDir = join(tempDir(), 'cache');
    const opts = { systemPaths: [], pathEnv: '', cacheDir, npmPackageDir: pkg };
    // Several launches at once share one unpacking; none sees a half-written file.
    const all = await Promise.all([resolveChromium(opts), resolveChromium(opts), resolveChromium(opts)]);
    const path = join(cacheDir, 'chromium-1.2.3', 'chromium');
    for (const r of all) assert.deepEqual(r, { path, source: 'npm' });
    assert.equal(execFileSync(path, { encoding: 'utf8' }).trim(), 'npm-browser');
    assert.deepEqual(readdirSync(join(cacheDir, 'chromium-1.2.3')), ['chromium'], 'no partial file left');
    // Another version unpacks beside it.
    const next = await resolveChromium({ ...opts, npmPackageDir: fakePackage('newer', '2.0.0') });
    assert.equal(execFileSync(next.path, { encoding: 'utf8' }).trim(), 'newer');
  });

  test('a cache directory other users can write is refused (nobody may plant a binary we run)', async () => {
    const cacheDir = tempDir();
    chmodSync(cacheDir, 0o777);
    await assert.rejects(
      resolveChromium({ systemPaths: [], pathEnv: '', cacheDir, npmPackageDir: fakePackage('x') }),
      /Chromium not found: .*not a directory owned and writable only by this user/,
    );
  });

  test('no browser anywhere: a loud error that says what was tried', async () => {
    const pkg = tempDir(); // a package directory without the packed browser
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ version: '9.9.9' }));
    await assert.rejects(
      resolveChromium({ systemPaths: [], pathEnv: '', cacheDir: tempDir(), npmPackageDir: pkg }),
      /Chromium not found: no CHROMIUM_PATH, no system Chromium .*npm-shipped one failed/,
    );
  });
});
