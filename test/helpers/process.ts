import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
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

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  /** Sends SIGTERM and resolves with the exit code (kills after `ms`). */
  stop: (ms?: number) => Promise<number | null>;
}

/**
 * Runs `node bin/oddsgate.js ...args` with the given env, collecting stdout and stderr. Each run gets its
 * own fresh DATA_DIR (the embedded records database is one process's) unless `env` names one.
 */
export function spawnOddsgate(args: string[], env: NodeJS.ProcessEnv): Spawned {
  return spawnNode(['bin/oddsgate.js', ...args], env);
}

/** Runs `node ...argv` in the repository root with the given env (plus a fresh DATA_DIR unless given). */
export function spawnNode(argv: string[], env: NodeJS.ProcessEnv): Spawned {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'oddsgate-data-'));
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    stop: async (ms = 10_000) => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
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
