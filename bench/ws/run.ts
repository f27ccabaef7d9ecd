import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ClientCommand, ClientEvent, Kind, ServerCommand, ServerEvent } from './ipc.js';

/**
 * `npm run bench:ws [-- --clients N --rate R --seconds S --burst B --procs P --repeat K --only KIND
 *   --runners M --tick T]` (--only takes a comma-separated list)
 *
 * For each contender (oddsgate's broker, Socket.IO rooms, the bare-`ws` coalescing limit) starts the
 * server in its own process and N clients in P other processes, all in one room, then measures:
 * - capacity: a burst of B messages published as fast as the server takes them; deliveries/s until the
 *   last client has every message, and the server's CPU seconds per million deliveries;
 * - latency: R messages/s for S seconds; p50/p99 publish-to-receive over sampled clients (1 in 10).
 *   With --tick T the messages come in bursts every T ms, each stamped with its burst's start, the way
 *   the simulator's frames reach the latency benchmark (--tick 50).
 * --runners M sets the message size (runners per market; 2 by default, ~940 bytes; 9 ≈ 3 KB, the
 * latency benchmark's racing markets).
 * With --repeat K the contenders run K times, interleaved, and each metric keeps its best run (the
 * machine is shared: other load only ever makes a run worse). Prints one JSON object.
 * Env: BENCH_PROF=<dir> writes a CPU profile of each server; BENCH_DEBUG=<module> is preloaded in it.
 */

interface Result {
  deliveriesPerSec: number | null;
  cpuSecPerMillion: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

const CLIENTS = Math.round(flag('clients', 1000));
const RATE = flag('rate', 500);
const SECONDS = flag('seconds', 10);
const BURST = Math.round(flag('burst', 2000));
const PROCS = Math.max(1, Math.min(CLIENTS, Math.round(flag('procs', 2))));
const REPEAT = Math.round(flag('repeat', 1));
const RUNNERS = Math.round(flag('runners', 2));
const TICK = process.argv.includes('--tick') ? flag('tick', 50) : 0;
const onlyIdx = process.argv.indexOf('--only');
const KINDS: Kind[] =
  onlyIdx >= 0 ? ((process.argv[onlyIdx + 1] ?? '').split(',') as Kind[]) : ['oddsgate', 'socketio', 'limit'];
const CHUNK = 100;
const TIMEOUT_MS = 120_000;

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function spawn(file: string, args: string[] = []): ChildProcess {
  const prof =
    process.env.BENCH_PROF && file === './server.ts'
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`]
      : [];
  if (process.env.BENCH_DEBUG && file === './server.ts') prof.push('--import', process.env.BENCH_DEBUG);
  return fork(here(file), args, {
    execArgv: ['--import', 'tsx', ...prof],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message from `child` that satisfies `pred`. */
function nextMessage<T>(child: ChildProcess, pred: (m: T) => boolean, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), TIMEOUT_MS);
    const on = (m: T) => {
      if (!pred(m)) return;
      clearTimeout(timer);
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
  });
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const round = (v: number | null, d: number) => (v === null ? null : Number(v.toFixed(d)));

class Round {
  private readonly server: ChildProcess;
  private readonly clients: ChildProcess[] = [];

  constructor(private readonly kind: Kind) {
    this.server = spawn('./server.ts', [kind, String(RUNNERS)]);
  }

  private toServer(c: ServerCommand): void {
    this.server.send(c);
  }

  private toClients(c: ClientCommand): void {
    for (const p of this.clients) p.send(c);
  }

  async start(): Promise<void> {
    const ready = await nextMessage<ServerEvent>(this.server, (m) => m.ev === 'ready', 'server ready');
    if (ready.ev !== 'ready') return;
    const per = Math.ceil(CLIENTS / PROCS);
    const waits: Promise<ClientEvent>[] = [];
    for (let i = 0; i < PROCS; i++) {
      const count = Math.min(per, CLIENTS - i * per);
      const p = spawn('./client.ts');
      this.clients.push(p);
      waits.push(nextMessage<ClientEvent>(p, (m) => m.ev === 'connected', 'clients connected'));
      p.send({
        cmd: 'connect',
        kind: this.kind,
        port: ready.port,
        path: ready.path,
        count,
        sampleEvery: 10,
        offset: i * per,
      });
    }
    const connected = await Promise.all(waits);
    const n = connected.reduce((s, m) => s + (m.ev === 'connected' ? m.n : 0), 0);
    if (n !== CLIENTS) throw new Error(`${this.kind}: ${n}/${CLIENTS} clients connected`);
  }

  /** Publishes `count` messages as fast as the server takes them; returns deliveries/s and CPU s/M. */
  async capacity(count: number): Promise<{ perSec: number; cpuPerM: number; bytes: number }> {
    this.toClients({ cmd: 'expect', count });
    const dones = this.clients.map((p) =>
      nextMessage<ClientEvent>(p, (m) => m.ev === 'done', 'burst delivered'),
    );
    const started = nextMessage<ServerEvent>(this.server, (m) => m.ev === 'burst-started', 'burst start');
    this.toServer({ cmd: 'burst', count, chunk: CHUNK });
    const t0 = ((await started) as Extract<ServerEvent, { ev: 'burst-started' }>).t;
    const done = (await Promise.all(dones)) as Extract<ClientEvent, { ev: 'done' }>[];
    const cpuMsg = nextMessage<ServerEvent>(this.server, (m) => m.ev === 'cpu', 'cpu');
    this.toServer({ cmd: 'cpu' });
    const cpu = (await cpuMsg) as Extract<ServerEvent, { ev: 'cpu' }>;
    const deliveries = count * CLIENTS;
    const elapsed = (Math.max(...done.map((d) => d.t)) - t0) / 1000;
    return {
      perSec: deliveries / elapsed,
      cpuPerM: cpu.seconds / (deliveries / 1e6),
      bytes: done[0]?.bytes ?? 0,
    };
  }

  /** R messages/s for S seconds; p50/p99 publish-to-receive over the sampled clients. */
  async latency(): Promise<{ p50: number | null; p99: number | null }> {
    const total = Math.round(RATE * SECONDS);
    this.toClients({ cmd: 'expect', count: total });
    this.toClients({ cmd: 'latency', on: true });
    const dones = this.clients.map((p) =>
      nextMessage<ClientEvent>(p, (m) => m.ev === 'done', 'rate run delivered'),
    );
    this.toServer({ cmd: 'rate', rate: RATE, seconds: SECONDS, tickMs: TICK });
    // Every message must arrive: percentiles over what happened to arrive would hide a backlog.
    const delivered = await Promise.all(dones).then(
      () => true,
      () => false,
    );
    const parts = this.clients.map((p) =>
      nextMessage<ClientEvent>(p, (m) => m.ev === 'latency', 'latency samples'),
    );
    this.toClients({ cmd: 'latency', on: false });
    const samples: number[] = [];
    for (const m of await Promise.all(parts))
      if (m.ev === 'latency') for (const s of m.samples) samples.push(s);
    samples.sort((a, b) => a - b);
    if (!delivered) {
      process.stderr.write(`${this.kind}: not every message was delivered in time; no latency reported\n`);
      return { p50: null, p99: null };
    }
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  }

  stop(): void {
    this.toClients({ cmd: 'stop' });
    this.toServer({ cmd: 'stop' });
    setTimeout(() => {
      for (const p of [this.server, ...this.clients]) if (p.exitCode === null) p.kill('SIGKILL');
    }, 2000).unref();
  }
}

async function measure(kind: Kind): Promise<{ result: Result; bytes: number }> {
  const r = new Round(kind);
  try {
    await r.start();
    await r.capacity(Math.min(200, BURST));
    const cap = await r.capacity(BURST);
    const lat = await r.latency();
    process.stderr.write(
      `${kind}: ${Math.round(cap.perSec)} deliveries/s, ${cap.cpuPerM.toFixed(2)} cpu-s/M, p50 ${lat.p50?.toFixed(2)} ms, p99 ${lat.p99?.toFixed(2)} ms\n`,
    );
    return {
      bytes: cap.bytes,
      result: {
        deliveriesPerSec: Math.round(cap.perSec),
        cpuSecPerMillion: round(cap.cpuPerM, 3),
        p50Ms: round(lat.p50, 2),
        p99Ms: round(lat.p99, 2),
      },
    };
  } finally {
    r.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function best(a: Result | undefined, b: Result): Result {
  if (!a) return b;
  const pick = (x: number | null, y: number | null, f: (...v: number[]) => number) =>
    x === null ? y : y === null ? x : f(x, y);
  return {
    deliveriesPerSec: pick(a.deliveriesPerSec, b.deliveriesPerSec, Math.max),
    cpuSecPerMillion: pick(a.cpuSecPerMillion, b.cpuSecPerMillion, Math.min),
    p50Ms: pick(a.p50Ms, b.p50Ms, Math.min),
    p99Ms: pick(a.p99Ms, b.p99Ms, Math.min),
  };
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = {
    clients: CLIENTS,
    rate: RATE,
    bytes: 0,
    ...(TICK > 0 ? { tickMs: TICK } : {}),
  };
  const results = new Map<Kind, Result>();
  for (let r = 0; r < REPEAT; r++) {
    for (const kind of KINDS) {
      const { result, bytes } = await measure(kind);
      if (kind === 'oddsgate' || out.bytes === 0) out.bytes = bytes;
      results.set(kind, best(results.get(kind), result));
    }
  }
  for (const kind of KINDS) out[kind] = results.get(kind);
  console.log(JSON.stringify(out));
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
