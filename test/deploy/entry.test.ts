/** Which code bin/oddsgate.js runs: a complete, current build; else the sources; ODDSGATE_FROM decides. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseEntry } from '../../bin/entry.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const OLD = new Date('2026-01-01T00:00:00Z');
const NEW = new Date('2026-02-01T00:00:00Z');

/** A package root with src/cli.ts (mtime `srcTime`) and/or a dist/ (complete or not, built at `builtAt`). */
function root(opts: { src?: Date; dist?: 'complete' | 'partial'; builtAt?: Date }): string {
  const r = mkdtempSync(join(tmpdir(), 'oddsgate-entry-'));
  dirs.push(r);
  if (opts.src) {
    mkdirSync(join(r, 'src', 'http'), { recursive: true });
    writeFileSync(join(r, 'src', 'cli.ts'), '');
    writeFileSync(join(r, 'src', 'http', 'routes.ts'), '');
    utimesSync(join(r, 'src', 'cli.ts'), OLD, OLD);
    utimesSync(join(r, 'src', 'http', 'routes.ts'), opts.src, opts.src);
  }
  if (opts.dist) {
    mkdirSync(join(r, 'dist'));
    writeFileSync(join(r, 'dist', 'cli.js'), '');
    if (opts.dist === 'complete') {
      writeFileSync(join(r, 'dist', 'BUILD_COMPLETE'), '{}');
      const t = opts.builtAt ?? NEW;
      utimesSync(join(r, 'dist', 'BUILD_COMPLETE'), t, t);
    }
  }
  return r;
}

describe('bin/oddsgate.js entry choice', () => {
  test('a complete build newer than the sources runs; so does an image without sources', () => {
    const r = root({ src: OLD, dist: 'complete', builtAt: NEW });
    assert.deepEqual(chooseEntry(r, {}), { from: 'dist', file: join(r, 'dist', 'cli.js') });
    const image = root({ dist: 'complete' });
    assert.equal(chooseEntry(image, {}).from, 'dist');
  });

  test('no build, a partial build (no BUILD_COMPLETE) or a build older than an edited source: the sources', () => {
    const none = root({ src: OLD });
    assert.deepEqual(chooseEntry(none, {}), { from: 'src', file: join(none, 'src', 'cli.ts') });
    const partial = chooseEntry(root({ src: OLD, dist: 'partial' }), {});
    assert.equal(partial.from, 'src');
    assert.match(partial.note ?? '', /not a complete build/);
    const stale = chooseEntry(root({ src: NEW, dist: 'complete', builtAt: OLD }), {});
    assert.equal(stale.from, 'src');
    assert.match(stale.note ?? '', /older than src/);
  });

  test('ODDSGATE_FROM chooses deliberately; dist without a complete build, or another value, is an error', () => {
    const r = root({ src: OLD, dist: 'complete', builtAt: NEW });
    assert.equal(chooseEntry(r, { ODDSGATE_FROM: 'src' }).from, 'src');
    assert.equal(chooseEntry(r, { ODDSGATE_FROM: 'dist' }).from, 'dist');
    const stale = root({ src: NEW, dist: 'complete', builtAt: OLD });
    assert.equal(chooseEntry(stale, { ODDSGATE_FROM: 'dist' }).from, 'dist', 'dist on request even if stale');
    assert.throws(
      () => chooseEntry(root({ src: OLD, dist: 'partial' }), { ODDSGATE_FROM: 'dist' }),
      /not a complete build/,
    );
    assert.throws(() => chooseEntry(r, { ODDSGATE_FROM: 'build' }), /ODDSGATE_FROM must be src or dist/);
  });
});
