import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkTs, isMain, nextMessage, stopChild } from '../lib/child.js';
import type { ProfileLine } from '../lib/profile.js';
import { latencySummary, round, sleep } from '../lib/stats.js';
import type {
  LatencyClientCommand,
  LatencyClientEvent,
  LatencyServerCommand,
  LatencyServerEvent,
} from './ipc.js';

/**
 * Ingest-to-client latency: the server (real app, memory store) runs in its own process fed by the
 * simulator, whose frames are stamped as they leave it; `clients` cheap WebSocket clients in `procs`
 * other processes sit in room `all`. Over a window of `seconds`, each sampled client's arrival time of
 * every market push minus the market's publishedAt is one sample (same machine, same clock).
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
  /** The server's top functions in an extra window, when p99 misses 20 ms. */
  profile?: ProfileLine[];
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
  };
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/** LATENCY_PROF=<dir>: each process writes a whole-run CPU profile in <dir>/server or <dir>/clients. */
function profArgs(role: string): string[] {
  const dir = process.env.LATENCY_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${role}`] : [];
}

/** Runs the latency benchmark. */
export async function runLatency(o: LatencyOptions): Promise<LatencyResult> {
  const server = forkTs(here('./server.ts'), [String(o.simRate), String(o.simEvents)], profArgs('server'));
  const clients: ChildProcess[] = [];
  try {
    const ready = await nextMessage<LatencyServerEvent>(server, (m) => m.ev === 'ready', 'latency server');
    if (ready.ev !== 'ready') throw new Error('unreachable');
    const per = Math.ceil(o.clients / o.procs);
    const connected: Promise<LatencyClientEvent>[] = [];
    for (let i = 0; i < o.procs; i++) {
      const p = forkTs(here('./clients.ts'), [], profArgs('clients'));
      clients.push(p);
      connected.push(nextMessage<LatencyClientEvent>(p, (m) => m.ev === 'connected', 'latency clients'));
      const cmd: LatencyClientCommand = {
        cmd: 'connect',
        port: ready.port,
        count: Math.min(per, o.clients - i * per),
        sampleEvery: o.sampleEvery,
        offset: i * per,
      };
      p.send(cmd);
    }
    const n = (await Promise.all(connected)).reduce((s, m) => s + (m.ev === 'connected' ? m.n : 0), 0);
    const toAll = (c: LatencyClientCommand) => clients.forEach((p) => p.send(c));
    const toServer = (c: LatencyServerCommand) => server.send(c);
    toServer({ cmd: 'go' });
    await sleep(o.warmupSeconds * 1000);
    toServer({ cmd: 'window', on: true });
    toAll({ cmd: 'window', on: true });
    await sleep(o.seconds * 1000);
    const srv = nextMessage<LatencyServerEvent>(server, (m) => m.ev === 'window', 'server window');
    toServer({ cmd: 'window', on: false });
    // Pushes still on their way when the window closes are let in for a moment.
    await sleep(1000);
    const parts = clients.map((p) =>
      nextMessage<LatencyClientEvent>(p, (m) => m.ev === 'window', 'client window'),
    );
    toAll({ cmd: 'window', on: false });
    const s = (await srv) as Extract<LatencyServerEvent, { ev: 'window' }>;
    const got = (await Promise.all(parts)) as Extract<LatencyClientEvent, { ev: 'window' }>[];
    const result = summarize(o, n, s, got);
    if (result.p99Ms === null || result.p99Ms > 20) result.profile = await profile(server);
    return result;
  } finally {
    for (const p of clients) p.send({ cmd: 'stop' } satisfies LatencyClientCommand);
    server.send({ cmd: 'stop' } satisfies LatencyServerCommand);
    await Promise.all([server, ...clients].map((c) => stopChild(c)));
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

function summarize(
  o: LatencyOptions,
  connected: number,
  s: Extract<LatencyServerEvent, { ev: 'window' }>,
  got: Extract<LatencyClientEvent, { ev: 'window' }>[],
): LatencyResult {
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
