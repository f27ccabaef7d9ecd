/**
 * No process is left behind: a scenario that fails (or whose test process is killed, as a timed-out test
 * file is) while its simulator runs leaves no simulator running.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT, waitFor } from './process.js';

/** True while `pid` is a live (not zombie) process. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The fixture's env: not marked as a child of this test run (node:test would refuse to run it). */
function fixtureEnv(mode: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FIXTURE_MODE: mode };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs the failing-scenario fixture under node:test; resolves once it printed the simulator's pid. */
function runFixture(mode: 'fail' | 'hang') {
  // As scripts/run-tests.mjs runs a test file (--test-force-exit: a finished file does not wait for handles).
  // A plain spawn, in this process's group: what must kill the simulator is the fixture's own helpers.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-force-exit',
      '--test-reporter=tap',
      'test/helpers/fixtures/failing-scenario.ts',
    ],
    { cwd: ROOT, env: fixtureEnv(mode), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  // 'close': exited and all its output read.
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const simulatorPid = Promise.race([
    waitFor(async () => /SIMULATOR_PID (\d+)/.exec(out)?.[1], 150_000, 'the simulator pid').then(Number),
    exited.then((code) => {
      const m = /SIMULATOR_PID (\d+)/.exec(out);
      if (m) return Number(m[1]);
      throw new Error(`fixture exited (${code}) before its simulator ran: ${out.slice(-1500)}`);
    }),
  ]);
  /** The test file's own process (node --test runs each file in a child process). */
  const filePid = () => Number(/FILE_PID (\d+)/.exec(out)?.[1]);
  /** Kills whatever is left (the fixture, and the simulator if this test failed because it survived). */
  const cleanup = async () => {
    child.kill('SIGKILL');
    for (const pid of [filePid(), await simulatorPid.catch(() => 0)]) {
      if (pid > 0 && running(pid)) process.kill(pid, 'SIGKILL');
    }
  };
  return { child, exited, simulatorPid, filePid, cleanup, output: () => out };
}

describe('spawned processes never outlive a failed test', () => {
  test('a scenario failing an assertion: its simulator is gone when the test process ends', async (t) => {
    const f = runFixture('fail');
    t.after(f.cleanup);
    const pid = await f.simulatorPid;
    assert.equal(await f.exited, 1, 'the fixture failed');
    assert.match(f.output(), /the scenario fails before it stops its simulator/);
    await waitFor(async () => (running(pid) ? undefined : true), 30_000, `simulator ${pid} to be gone`);
  });

  test('a test process killed with SIGKILL (a timed-out file): its simulator is killed too', async (t) => {
    const f = runFixture('hang');
    t.after(f.cleanup);
    const pid = await f.simulatorPid;
    assert.ok(running(pid), 'the simulator runs while the scenario hangs');
    // The runner kills a timed-out file's process; the simulator's parent dies without running any hook.
    process.kill(f.filePid(), 'SIGKILL');
    await f.exited;
    await waitFor(async () => (running(pid) ? undefined : true), 30_000, `simulator ${pid} to be gone`);
  });
});
