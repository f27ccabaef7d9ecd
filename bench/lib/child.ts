import { fork, spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (bench/lib/ → ../../). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a benchmark script printed: its last JSON line, parsed, or the reason there is none. */
export type ScriptResult =
  | { ok: true; value: Record<string, unknown>; seconds: number }
  | { ok: false; error: string; seconds: number };

/**
 * Runs `tsx <file> ...args` (a benchmark that prints one JSON object) from the repository root, with
 * stderr passed through, killed after `timeoutMs`. Resolves with the last stdout line that parses as a
 * JSON object; never rejects.
 */
export function runJsonScript(
  file: string,
  args: string[],
  opts: { timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<ScriptResult> {
  const t0 = Date.now();
  const seconds = () => Math.round((Date.now() - t0) / 100) / 10;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const lines = out.trim().split('\n').reverse();
      for (const l of lines) {
        try {
          const v = JSON.parse(l) as unknown;
          if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
            return resolve({ ok: true, value: v as Record<string, unknown>, seconds: seconds() });
          }
        } catch {
          // not JSON: keep looking
        }
      }
      const why =
        signal === 'SIGKILL' ? `timed out after ${opts.timeoutMs / 1000} s` : `exit ${code ?? signal}`;
      resolve({ ok: false, error: `${file}: no JSON result (${why})`, seconds: seconds() });
    });
  });
}

/** Forks a TypeScript module of the benchmarks (through tsx) with an IPC channel; stdout/stderr inherited. */
export function forkTs(file: string, args: string[] = [], execArgv: string[] = []): ChildProcess {
  return fork(file, args, {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message from `child` that satisfies `pred`; rejects after `timeoutMs` or if the child exits. */
export function nextMessage<T>(
  child: ChildProcess,
  pred: (m: T) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', on);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const on = (m: T) => {
      if (!pred(m)) return;
      done();
      resolve(m);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`child exited (${code}) while waiting for ${what}`));
    };
    child.on('message', on);
    child.once('exit', onExit);
  });
}

/** Ends a child: SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}

/** Relative path of a bench module from the repository root (for forkTs/runJsonScript). */
export function benchFile(url: string): string {
  return fileURLToPath(url);
}

/** True when the module at `url` is the script node was started with (run directly, not imported). */
export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(url);
}
