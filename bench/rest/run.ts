import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { BENCH_PASSWORD } from '../lib/app.js';
import { forkTs, isMain, nextMessage, stopChild } from '../lib/child.js';
import type { ProfileLine } from '../lib/profile.js';
import { round, sleep } from '../lib/stats.js';
import type { LimitRoute, RestServerCommand, RestServerEvent } from './ipc.js';

/**
 * REST: autocannon against four hot routes of a server fed by the simulator (own process), beside a bare
 * Fastify serving the same bytes and headers from memory (the limit, own process), in the same run. Per
 * route the contenders run A-B-B-A, each alone (the other process is SIGSTOPped, so the simulator of the
 * idle one takes no CPU from the measured one), and the two runs of each are averaged.
 */

/** The routes measured (the `:id` of the last is an in-play event picked at start). */
export const REST_ROUTES = [
  '/api/v2/diamond/games',
  '/api/v2/diamond/highlights',
  '/api/v1/feed/events',
  '/api/v1/feed/event/:id/odds',
] as const;

/** Settings of a REST run. */
export interface RestOptions {
  /** Seconds per autocannon run (each contender runs twice per route). */
  seconds: number;
  connections: number;
  /** Seconds the simulator runs before the first measurement. */
  warmupSeconds: number;
}

/** One route's numbers; `profile`: the server's top functions when the route misses its target. */
export interface RestRouteResult {
  reqPerSec: number;
  p99Ms: number;
  limitReqPerSec: number;
  limitP99Ms: number;
  bytes: number;
  errors: number;
  profile?: ProfileLine[];
}

/** autocannon's latency resolution (ms): a p99 under it reads 0, so comparisons floor at it. */
export const P99_RESOLUTION_MS = 1;

/** The REST target: req/s ≥ 0.8× the limit's and p99 ≤ 2× the limit's (both p99s floored at 1 ms). */
export function restTargetMet(
  r: Pick<RestRouteResult, 'reqPerSec' | 'p99Ms' | 'limitReqPerSec' | 'limitP99Ms'>,
): boolean {
  const floor = (v: number) => Math.max(v, P99_RESOLUTION_MS);
  return r.reqPerSec >= 0.8 * r.limitReqPerSec && floor(r.p99Ms) <= 2 * floor(r.limitP99Ms);
}

/** Full and quick settings. */
export function restOptions(quick: boolean): RestOptions {
  return { seconds: quick ? 2 : 5, connections: 10, warmupSeconds: quick ? 2 : 4 };
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const HEADERS = { 'x-password': BENCH_PASSWORD };

async function ready(child: ChildProcess): Promise<number> {
  const m = await nextMessage<RestServerEvent>(child, (x) => x.ev === 'ready', 'REST server');
  return m.ev === 'ready' ? m.port : 0;
}

/** The in-play (else first) event id of /api/v1/feed/events. */
async function pickEvent(base: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/feed/events`);
  const body = (await res.json()) as { data?: { id?: unknown; in_play?: unknown; inPlay?: unknown }[] };
  const list = body.data ?? [];
  const ev = list.find((e) => e.in_play === true || e.inPlay === true) ?? list[0];
  if (!ev || ev.id === undefined) throw new Error('no event to benchmark /event/:id/odds with');
  return String(ev.id);
}

/** Headers of the connection or the framing, which each server sets itself. */
const CONNECTION_HEADERS = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

async function capture(base: string, path: string): Promise<LimitRoute> {
  const res = await fetch(`${base}${path}`, { headers: HEADERS });
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const [name, value] of res.headers)
    if (!CONNECTION_HEADERS.has(name) && name !== 'content-type') headers[name] = value;
  return {
    path,
    contentType: res.headers.get('content-type') ?? 'application/json',
    headers,
    body: body.toString('base64'),
  };
}

async function cannon(port: number, path: string, o: RestOptions, seconds = o.seconds) {
  const r = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: o.connections,
    duration: seconds,
    headers: HEADERS,
  });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

/** Runs `fn` with `other` frozen (SIGSTOP), resuming it after. */
async function alone<T>(other: ChildProcess, fn: () => Promise<T>): Promise<T> {
  other.kill('SIGSTOP');
  try {
    return await fn();
  } finally {
    other.kill('SIGCONT');
  }
}

/** Runs one more oddsgate run under the CPU profiler (not counted) and returns the server's top functions. */
async function profiled(
  og: ChildProcess,
  lim: ChildProcess,
  fn: () => Promise<unknown>,
): Promise<ProfileLine[]> {
  const top = nextMessage<RestServerEvent>(og, (m) => m.ev === 'profile', 'profile');
  og.send({ cmd: 'profile', on: true } satisfies RestServerCommand);
  await alone(lim, fn);
  og.send({ cmd: 'profile', on: false } satisfies RestServerCommand);
  const m = await top;
  return m.ev === 'profile' ? m.top : [];
}

/** Runs the REST benchmark; keys of the result are the route patterns. */
export async function runRest(o: RestOptions): Promise<Record<string, RestRouteResult>> {
  const og = forkTs(here('./server.ts'), ['oddsgate']);
  const lim = forkTs(here('./server.ts'), ['limit']);
  try {
    const ogPort = await ready(og);
    await sleep(o.warmupSeconds * 1000);
    const base = `http://127.0.0.1:${ogPort}`;
    const id = await pickEvent(base);
    const paths = REST_ROUTES.map((r) => r.replace(':id', id));
    const routes = await Promise.all(paths.map((p) => capture(base, p)));
    lim.send({ cmd: 'routes', routes } satisfies RestServerCommand);
    const limPort = await ready(lim);
    const out: Record<string, RestRouteResult> = {};
    for (const [i, route] of REST_ROUTES.entries()) {
      const path = paths[i] as string;
      await alone(lim, () => cannon(ogPort, path, o, 1)); // warm-up
      const a1 = await alone(lim, () => cannon(ogPort, path, o));
      const b1 = await alone(og, () => cannon(limPort, path, o));
      const b2 = await alone(og, () => cannon(limPort, path, o));
      const a2 = await alone(lim, () => cannon(ogPort, path, o));
      out[route] = {
        reqPerSec: Math.round((a1.rps + a2.rps) / 2),
        p99Ms: round((a1.p99 + a2.p99) / 2) as number,
        limitReqPerSec: Math.round((b1.rps + b2.rps) / 2),
        limitP99Ms: round((b1.p99 + b2.p99) / 2) as number,
        bytes: Buffer.from(routes[i]?.body ?? '', 'base64').length,
        errors: a1.errors + a2.errors + b1.errors + b2.errors,
      };
      if (!restTargetMet(out[route]))
        out[route].profile = await profiled(og, lim, () => cannon(ogPort, path, o));
      process.stderr.write(`rest ${route}: ${JSON.stringify(out[route])}\n`);
    }
    return out;
  } finally {
    await Promise.all([stopChild(og), stopChild(lim)]);
  }
}

if (isMain(import.meta.url)) {
  runRest(restOptions(process.argv.includes('--quick'))).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`bench rest: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
