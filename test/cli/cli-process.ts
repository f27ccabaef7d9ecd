/**
 * Runs the real CLI from the sources (`node --import tsx src/cli.ts …`, never bin/oddsgate.js, which may
 * pick a stale dist/) with stdout and stderr collected apart. Every process started is killed by
 * `killAll()` (call it in `after`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ROOT } from '../helpers/process.js';

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code; rejects when the process has not exited within `ms` (it is then killed). */
  exit: (ms: number) => Promise<number | null>;
  /** SIGTERM, then SIGKILL after `ms`; resolves with the exit code. */
  stop: (ms?: number) => Promise<number | null>;
}

const started = new Set<ChildProcess>();

/** Starts `oddsgate <args>` with only PATH and HOME from this environment, plus `env`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      started.delete(child);
      resolve(code);
    }),
  );
  const exit = async (ms: number): Promise<number | null> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          new Error(
            `oddsgate ${args.join(' ')} still running after ${ms} ms; stdout: ${out.slice(-500)} stderr: ${err.slice(-500)}`,
          ),
        );
      }, ms);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    stop: async (ms = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

/** Kills every CLI process still running. */
export function killAll(): void {
  for (const c of started) c.kill('SIGKILL');
  started.clear();
}
