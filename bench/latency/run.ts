import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkTs, isMain, nextMessage, stopChild } from '../lib/child.js';
import type { ProfileLine } from '../lib/profile.js';
import { latencySummary, round, sleep } from '../lib/stats.js';
import type {
  LatencyClientCommand,
  LatencyClientEvent,
  LatencyServerCommand,
  LatencyServerEvent,
  LimitServerCommand,
  LimitServerEvent,
} from './ipc.js';

/**
 * Ingest-to-client latency: the server (real app, memory store) runs in its own process fed by the
 * simulator, whose frames are stamped as they leave it; `clients` cheap WebSocket clients in `procs`
 * other processes sit in room `all`. Over a window of `seconds`, each sampled client's arrival time of
 * every market push minus the market's publishedAt is one sample (same machine, same clock).
 * The limit, in the same run: with the oddsgate server stopped (SIGSTOP), a bare `ws` server
 * (limit-server.ts) replays the pushes one client received in that window, as they arrived, to as many
 * new clients in the same client processes; its p99 is what no server can beat on this machine at this
 * load, and the target is p99 ≤ LATENCY_LIMIT_FACTOR × the limit's.
 * `npm run bench:latency`-style direct use: `tsx bench/latency/run.ts [--quick]` prints one JSON object.
 */

/** Settings of one latency run. */
export interface LatencyOptions {
  clients: number;
  procs: number;
  /** Simulator runner changes per second and events held (chosen so room `all` gets ≈ 500 pushes/s). */
  simRate: number;
  simEvents: number;
  warmupSeconds: number;
  seconds: number;
  sampleEvery: number;
  /** Also measure the limit (bare `ws` replaying the same pushes); default true. */
  limit?: boolean;
}

/** The limit's numbers: the same pushes, clients and client processes, from a bare `ws` server. */
export interface LatencyLimit {
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  samples: number;
  updatesPerSec: number;
  complete: boolean;
  serverCpuPct: number;
}

/** The result: percentiles over every sampled delivery, and what the load really was. */
export interface LatencyResult {
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  clients: number;
  updatesPerSec: number;
  samples: number;
  /** Deliveries that arrived out of order or after a gap (must be 0). */
  gaps: number;
  /** Every client received every push of the window. */
  complete: boolean;
  serverCpuPct: number;
  serverRssMb: number;
  /** CPU of all client processes together (% of one core) and WebSocket payload they read per second. */
  clientsCpuPct: number;
  clientMbPerSec: number;
  /** Mean size of a push (bytes). */
  pushBytes: number;
  /** The limit measured in the same run (absent when not measured). */
  limit?: LatencyLimit | null;
  /** The server's top functions in an extra window, when the target is missed. */
  profile?: ProfileLine[];
}

/** The target: p99 at most this many times the limit's p99 (measured in the same run). */
export const LATENCY_LIMIT_FACTOR = 1.5;

/** True when p99 ≤ LATENCY_LIMIT_FACTOR × the limit's p99 and every push reached every client. */
export function latencyTargetMet(r: Pick<LatencyResult, 'p99Ms' | 'complete' | 'limit'>): boolean {
  const lim = r.limit?.p99Ms;
  if (r.p99Ms === null || lim === null || lim === undefined) return false;
  return r.complete && r.p99Ms <= LATENCY_LIMIT_FACTOR * lim;
}

/** Full and quick settings. */
export function latencyOptions(quick: boolean): LatencyOptions {
  return {
    clients: 1000,
    procs: 2,
    simRate: 600,
    simEvents: 200,
    warmupSeconds: quick ? 2 : 5,
    seconds: quick ? 8 : 30,
    sampleEvery: 10,
    limit: true,
  };
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/** LATENCY_PROF=<dir>: each process writes a whole-run CPU profile in <dir>/server or <dir>/clients. */
function profArgs(role: string): string[] {
  const dir = process.env.LATENCY_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${role}`] : [];
}

type ServerWindow = Extract<LatencyServerEvent, { ev: 'window' }>;
type ClientWindow = Extract<LatencyClientEvent, { ev: 'window' }>;

/** Opens `o.clients` clients (split over the processes) on ws://127.0.0.1:<port><path>; the number subscribed. */
async function connectAll(
  procs: ChildProcess[],
  o: LatencyOptions,
  port: number,
  path: string,
  recordTo?: string,
): Promise<number> {
  const per = Math.ceil(o.clients / procs.length);
  const connected = procs.map((p, i) => {
    const done = nextMessage<LatencyClientEvent>(p, (m) => m.ev === 'connected', 'latency clients');
    const count = Math.min(per, o.clients - i * per);
    const record = i === 0 && recordTo ? { recordTo } : {};
    const cmd: LatencyClientCommand = {
      cmd: 'connect',
      port,
      path,
      count,
      sampleEvery: o.sampleEvery,
      offset: i * per,
      ...record,
    };
    p.send(cmd);
    return done;
  });
  return (await Promise.all(connected)).reduce((s, m) => s + (m.ev === 'connected' ? m.n : 0), 0);
}

/**
 * One measured window: the clients' windows open, `measure` runs the server side and resolves with its
 * report; pushes still on their way then are let in for a second before the clients report.
 */
async function clientWindow(
  procs: ChildProcess[],
  measure: () => Promise<ServerWindow>,
): Promise<{ s: ServerWindow; got: ClientWindow[] }> {
  const toAll = (c: LatencyClientCommand) => procs.forEach((p) => p.send(c));
  toAll({ cmd: 'window', on: true });
  const s = await measure();
  await sleep(1000);
  const parts = procs.map((p) =>
    nextMessage<LatencyClientEvent>(p, (m) => m.ev === 'window', 'client window'),
  );
  toAll({ cmd: 'window', on: false });
  return { s, got: (await Promise.all(parts)) as ClientWindow[] };
}

/** The oddsgate server's window of `o.seconds` after the warm-up. */
async function oddsgateWindow(server: ChildProcess, o: LatencyOptions): Promise<ServerWindow> {
  const toServer = (c: LatencyServerCommand) => server.send(c);
  toServer({ cmd: 'window', on: true });
  await sleep(o.seconds * 1000);
  const srv = nextMessage<LatencyServerEvent>(server, (m) => m.ev === 'window', 'server window');
  toServer({ cmd: 'window', on: false });
  return (await srv) as ServerWindow;
}

/** The limit: the recorded pushes replayed by a bare `ws` server to new clients of the same processes. */
async function runLimit(
  procs: ChildProcess[],
  o: LatencyOptions,
  recorded: string,
  schedule: [number, number][],
): Promise<LatencyLimit> {
  const lim = forkTs(here('./limit-server.ts'));
  try {
    const ready = nextMessage<LimitServerEvent>(lim, (m) => m.ev === 'ready', 'limit server');
    lim.send({ cmd: 'load', file: recorded, schedule } satisfies LimitServerCommand);
    const r = await ready;
    if (r.ev !== 'ready' || r.frames === 0) throw new Error('latency limit: no push was recorded');
    const n = await connectAll(procs, o, r.port, '/');
    const { s, got } = await clientWindow(procs, () => {
      const done = nextMessage<LimitServerEvent>(
        lim,
        (m) => m.ev === 'window',
        'limit replay',
        (o.seconds + 60) * 1000,
      );
      lim.send({ cmd: 'go' } satisfies LimitServerCommand);
      return done as Promise<ServerWindow>;
    });
    const l = summarize(n, s, got);
    return {
      p50Ms: l.p50Ms,
      p99Ms: l.p99Ms,
      maxMs: l.maxMs,
      samples: l.samples,
      updatesPerSec: l.updatesPerSec,
      complete: l.complete,
      serverCpuPct: l.serverCpuPct,
    };
  } finally {
    lim.send({ cmd: 'stop' } satisfies LimitServerCommand);
    await stopChild(lim);
  }
}

/** Runs the latency benchmark (and its limit, unless `o.limit` is false). */
export async function runLatency(o: LatencyOptions): Promise<LatencyResult> {
  const server = forkTs(here('./server.ts'), [String(o.simRate), String(o.simEvents)], profArgs('server'));
  const clients: ChildProcess[] = [];
  const recorded = join(tmpdir(), `oddsgate-latency-${process.pid}-${Date.now()}.jsonl`);
  try {
    const ready = await nextMessage<LatencyServerEvent>(server, (m) => m.ev === 'ready', 'latency server');
    if (ready.ev !== 'ready') throw new Error('unreachable');
    for (let i = 0; i < o.procs; i++) clients.push(forkTs(here('./clients.ts'), [], profArgs('clients')));
    const withLimit = o.limit !== false;
    const n = await connectAll(clients, o, ready.port, '/ws', withLimit ? recorded : undefined);
    server.send({ cmd: 'go' } satisfies LatencyServerCommand);
    await sleep(o.warmupSeconds * 1000);
    const { s, got } = await clientWindow(clients, () => oddsgateWindow(server, o));
    const result = summarize(n, s, got);
    if (withLimit) {
      // The oddsgate server (and its simulator) is frozen while the limit runs: the cores are the limit's.
      server.kill('SIGSTOP');
      try {
        result.limit = await runLimit(clients, o, recorded, s.pts);
      } catch (err) {
        // oddsgate's numbers stand; the target is then not judged (report: "limit not measured").
        process.stderr.write(`latency limit: ${err instanceof Error ? err.message : String(err)}\n`);
        result.limit = null;
      } finally {
        server.kill('SIGCONT');
      }
    }
    if (!latencyTargetMet(result)) result.profile = await profile(server);
    return result;
  } finally {
    for (const p of clients) p.send({ cmd: 'stop' } satisfies LatencyClientCommand);
    server.send({ cmd: 'stop' } satisfies LatencyServerCommand);
    await Promise.all([server, ...clients].map((c) => stopChild(c)));
    await rm(recorded, { force: true });
  }
}

/** The server's top functions over 5 more seconds of the same load (not counted in the latency). */
async function profile(server: ChildProcess): Promise<ProfileLine[]> {
  const top = nextMessage<LatencyServerEvent>(server, (m) => m.ev === 'profile', 'latency profile');
  server.send({ cmd: 'profile', on: true } satisfies LatencyServerCommand);
  await sleep(5000);
  server.send({ cmd: 'profile', on: false } satisfies LatencyServerCommand);
  const m = await top;
  return m.ev === 'profile' ? m.top : [];
}

function summarize(connected: number, s: ServerWindow, got: ClientWindow[]): LatencyResult {
  const published = new Map(s.pts);
  const samples: number[] = [];
  for (const g of got) {
    for (let i = 0; i < g.seqs.length; i++) {
      const pt = published.get(g.seqs[i] as number);
      if (pt !== undefined) samples.push((g.times[i] as number) - pt);
    }
  }
  const received = got.reduce((n, g) => n + g.received, 0);
  const gaps = got.reduce((n, g) => n + g.gaps, 0);
  const lost = got.reduce((n, g) => n + g.lost, 0);
  return {
    ...latencySummary(samples),
    clients: connected,
    updatesPerSec: Math.round(s.pushes / s.seconds),
    samples: samples.length,
    gaps,
    complete: lost === 0 && gaps === 0 && received >= s.pushes * connected,
    serverCpuPct: Math.round((100 * s.cpuSeconds) / s.seconds),
    serverRssMb: s.rssMb,
    clientsCpuPct: Math.round((100 * got.reduce((n, g) => n + g.cpuSeconds, 0)) / s.seconds),
    clientMbPerSec: round(got.reduce((n, g) => n + g.bytes, 0) / 2 ** 20 / s.seconds, 1) as number,
    pushBytes: Math.round(got.reduce((n, g) => n + g.bytes, 0) / Math.max(1, received)),
  };
}

if (isMain(import.meta.url)) {
  runLatency(latencyOptions(process.argv.includes('--quick'))).then(
    (r) => {
      process.stdout.write(`${JSON.stringify({ ...r, p99: round(r.p99Ms) })}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`bench latency: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
