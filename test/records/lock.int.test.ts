import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from '../../src/records/index.js';
import { spawnNode, waitFor, type Spawned } from '../helpers/process.js';

const running: Spawned[] = [];
const dir = mkdtempSync(join(tmpdir(), 'oddsgate-lock-'));
after(async () => {
  await Promise.all(running.map((p) => p.stop(1000)));
  rmSync(dir, { recursive: true, force: true });
});

function holder(): Spawned {
  const p = spawnNode(['--import', 'tsx', 'test/records/fixtures/hold-lock.ts', dir], { DATA_DIR: dir });
  running.push(p);
  return p;
}

describe('the PGlite data directory is one process’s', () => {
  test('a second process is refused while the holder lives, and takes over once it is killed', async () => {
    const other = holder();
    await waitFor(
      async () => (other.output().includes('locked') ? true : undefined),
      60_000,
      'holder locked',
    );
    await assert.rejects(lockDataDir(dir), (err: unknown) => {
      assert.ok(err instanceof DataDirLockedError);
      assert.equal(err.holderPid, other.child.pid);
      assert.match(err.message, /in use by another oddsgate process .*DATABASE_URL/);
      return true;
    });
    // The refused attempt left the holder's lock as it was.
    assert.equal(JSON.parse(readFileSync(join(dir, 'records.lock'), 'utf8')).pid, other.child.pid);

    other.child.kill('SIGKILL'); // no clean-up: the lock file stays behind, stale
    await new Promise((r) => other.child.once('exit', r));
    assert.ok(existsSync(join(dir, 'records.lock')));
    const lock = await lockDataDir(dir);
    assert.equal(JSON.parse(readFileSync(join(dir, 'records.lock'), 'utf8')).pid, process.pid);
    await lock.release();
    assert.equal(existsSync(join(dir, 'records.lock')), false);
  });
});
