import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/**
 * Spawned children never outlive the test process. Each runs in a process group of its own (detached), so
 * everything it starts goes with it; the groups still alive are killed when the test process exits, and a
 * small watcher process (its own session, so not in the child's group) kills the group when the test
 * process is gone however it ended (a failed or timed-out test file, SIGKILL, Ctrl-C).
 */
const liveGroups = new Set<number>();
let exitHook = false;

/** The watcher: polls its parent; when the parent is gone, SIGKILLs the group; exits when the group is gone. */
const REAPER = `
const [parent, group] = process.argv.slice(1).map(Number);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const t = setInterval(() => {
  if (!alive(-group)) { clearInterval(t); return; }
  if (!alive(parent)) { try { process.kill(-group, 'SIGKILL'); } catch {} clearInterval(t); }
}, 250);
`;

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * spawn() for tests: the child leads a process group of its own that is killed (SIGKILL) if the test process
 * exits or dies first.
 */
export function spawnReaped(command: string, args: readonly string[], opts: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...opts, detached: true });
  const pgid = child.pid;
  if (pgid === undefined) return child; // spawn failed: 'error' is emitted, nothing runs
  liveGroups.add(pgid);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const g of liveGroups) killGroup(g, 'SIGKILL');
    });
  }
  const reaper = spawn(process.execPath, ['-e', REAPER, String(process.pid), String(pgid)], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
  child.once('exit', () => {
    // The leader is gone; whatever it started in its group goes too.
    killGroup(pgid, 'SIGKILL');
    liveGroups.delete(pgid);
  });
  return child;
}

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code (kills the whole group after `ms`). */
  stop: (ms?: number) => Promise<number | null>;
}

/** Where and what spawnOddsgate runs. */
export interface SpawnOddsgateOptions {
  /** Working directory (default the repository root). */
  cwd?: string;
  /** The CLI script (default bin/oddsgate.js, relative to cwd). */
  script?: string;
}

/**
 * Runs `node bin/oddsgate.js ...args` with the given env, collecting stdout and stderr. It runs the
 * TypeScript sources (ODDSGATE_FROM=src) unless `env` says otherwise: tests of the sources must not pick
 * up whatever dist/ a build left; the build test asks for dist deliberately. Each run gets its own fresh
 * DATA_DIR (the embedded records database is one process's) unless `env` names one.
 */
export function spawnOddsgate(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: SpawnOddsgateOptions = {},
): Spawned {
  return spawnNode([opts.script ?? 'bin/oddsgate.js', ...args], { ODDSGATE_FROM: 'src', ...env }, opts.cwd);
}

/**
 * Runs `node ...argv` (in its own process group, reaped with the test process) in `cwd` (default the
 * repository root) with the given env, plus a fresh DATA_DIR unless given, removed when the child exits.
 */
export function spawnNode(argv: string[], env: NodeJS.ProcessEnv, cwd: string = ROOT): Spawned {
  const ownDataDir = env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'oddsgate-data-')) : null;
  const child = spawnReaped(process.execPath, argv, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: ownDataDir ?? env.DATA_DIR, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      if (ownDataDir) rmSync(ownDataDir, { recursive: true, force: true });
      resolve(code);
    }),
  );
  return {
    child,
    output: () => out,
    stop: async (ms = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.pid !== undefined && killGroup(child.pid, 'SIGKILL'), ms);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** Polls `fn` until it returns a value that is not undefined, or throws after `ms`. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
}
