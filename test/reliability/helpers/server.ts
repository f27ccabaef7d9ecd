import { freePort, spawnOddsgate, waitFor, type Spawned } from '../../helpers/process.js';

/** The Diamond password of the servers the reliability tests start. */
export const REL_PASSWORD = 'reliability-pw-123';

/** An oddsgate process (`oddsgate start`) on 127.0.0.1 and how to talk to it. */
export interface RunningServer {
  port: number;
  base: string;
  proc: Spawned;
  /** GET (JSON) with the Diamond password; resolves with status and parsed body (null when not JSON). */
  get(path: string, timeoutMs?: number): Promise<{ status: number; body: unknown }>;
  /** True while the process runs. */
  alive(): boolean;
}

/** Starts `oddsgate start` with `env` on a free port and waits until /healthz answers (≤ 120 s). */
export async function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const port = await freePort();
  const proc = spawnOddsgate(['start'], {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DIAMOND_PASSWORD: REL_PASSWORD,
    METRICS_PROCESS_DEFAULTS: 'false',
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    port,
    base,
    proc,
    alive: () => proc.child.exitCode === null && proc.child.signalCode === null,
    async get(path, timeoutMs = 5000) {
      const res = await fetch(`${base}${path}`, {
        headers: { 'x-password': REL_PASSWORD },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
      return { status: res.status, body };
    },
  };
  try {
    await waitFor(
      async () => {
        if (!server.alive()) throw new Error(`oddsgate exited: ${proc.output().slice(-2000)}`);
        return (await server.get('/healthz', 2000)).status === 200 ? true : undefined;
      },
      120_000,
      'oddsgate to listen',
    );
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return server;
}

/** Polls `fn` every 200 ms until it returns true, or throws `what` after `ms`. */
export async function until(fn: () => Promise<boolean> | boolean, ms: number, what: string): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await fn()) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export { freePort };
