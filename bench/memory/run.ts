import { fork } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkTs, isMain, nextMessage, ROOT, stopChild } from '../lib/child.js';
import { compileForBench } from './compile.js';
import { benchConfig } from '../lib/app.js';
import { round, sleep } from '../lib/stats.js';
import { SPORT_PERIOD } from '../../src/sim/schedule.js';
import type { MemoryServerCommand, MemoryServerEvent, MemorySnapshot } from './ipc.js';

/**
 * Memory: one server process (memory store, so state, update log and read model are all in it) loads a
 * synthetic book of `events × marketsPerEvent` markets with `runners` runners and `levels` levels a side,
 * then the simulator churns on top of it at `simSpeed`× (events open, go in play, close, settle and are
 * evicted, with the closed-market TTL and the other time bounds compressed alike). RSS and heap are taken
 * after garbage collection: empty, loaded, after a warm-up of churn (the baseline), and one simulated hour
 * of churn later. The growth target is about memory under churn while the data is not growing, so the
 * baseline waits for the state's steady state (see WARMUP_SIM_MINUTES); the state counts at both points
 * (markets, events, runners, update log, sources' caches, room history) show that it did not grow.
 * The server runs compiled JavaScript, as in production (see compile.ts); `--tsx` runs it through tsx.
 */

/** The closed-market TTL (config default, simulated minutes: the server compresses it by the speed). */
const TTL_SIM_MINUTES = benchConfig().closedMarketTtlSec / 60;

/**
 * Simulated minutes of churn before the baseline: the closed-market TTL plus the longest life of an event
 * in the simulator, plus a tenth of the TTL (how often eviction runs). The simulator starts with every
 * event of its schedule at once, each created mid-slot in a fresh state; an event lives up to its slot's
 * period (6 simulated hours for football and cricket, src/sim/schedule.ts) and its closed markets stay in
 * the state for the TTL after that. Only after TTL + that life has every event and market held been born
 * during the churn and lived its full course, so the state (events and markets, closed ones kept, the
 * sources' caches, rooms and their counters) is at its steady state: measured after 10 minutes instead,
 * the state still grew by ~150 markets and ~90 events over the hour (closed markets accumulating towards
 * an hour's worth), and that growth was counted as the churn's.
 */
export const WARMUP_SIM_MINUTES = Math.ceil(
  TTL_SIM_MINUTES * 1.1 + Math.max(...Object.values(SPORT_PERIOD)) / 60_000,
);

/** Settings of a memory run. */
export interface MemoryOptions {
  events: number;
  marketsPerEvent: number;
  runners: number;
  levels: number;
  simSpeed: number;
  simRate: number;
  simEvents: number;
  /** Simulated minutes of churn before the baseline is taken. */
  warmupSimMinutes: number;
  /** Run the server through tsx instead of compiled (adds the loader's ~30 MB of RSS). */
  tsx?: boolean;
}

/** The result. */
export interface MemoryResult {
  rssMb10k: number;
  heapMb10k: number;
  rssGrowthPct: number;
  heapGrowthPct: number;
  simulatedMinutes: number;
  seconds: number;
  empty: MemorySnapshot;
  loaded: MemorySnapshot;
  churnStart: MemorySnapshot;
  churnEnd: MemorySnapshot;
  settings: MemoryOptions;
}

/** Full and quick settings (the quick run compresses the hour harder). */
export function memoryOptions(quick: boolean, tsx = false): MemoryOptions {
  return {
    ...(tsx ? { tsx } : {}),
    events: 1000,
    marketsPerEvent: 10,
    runners: 10,
    levels: 3,
    // 8 simulated hours (warm-up and the measured hour): ~2.7 min at 180×, ~40 s at 720×
    simSpeed: quick ? 720 : 180,
    simRate: 1000,
    simEvents: 200,
    warmupSimMinutes: WARMUP_SIM_MINUTES,
  };
}

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/** Runs the memory benchmark. */
export async function runMemory(o: MemoryOptions): Promise<MemoryResult> {
  const args = [o.events, o.marketsPerEvent, o.runners, o.levels, o.simSpeed, o.simRate, o.simEvents].map(
    String,
  );
  const child = o.tsx
    ? forkTs(here('./server.ts'), args, ['--expose-gc'])
    : fork(join(compileForBench(), 'bench', 'memory', 'server.js'), args, {
        cwd: ROOT,
        execArgv: ['--expose-gc'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
  const ask = async (cmd: MemoryServerCommand['cmd']): Promise<MemorySnapshot> => {
    const p = nextMessage<MemoryServerEvent>(
      child,
      (m) => m.ev === 'measured' && m.cmd === cmd,
      `memory ${cmd}`,
    );
    child.send({ cmd } satisfies MemoryServerCommand);
    return (await p).at;
  };
  try {
    const empty = (await nextMessage<MemoryServerEvent>(child, (m) => m.ev === 'ready', 'memory server')).at;
    const loaded = await ask('load');
    const opened = Date.now();
    await ask('churn');
    await sleep(((o.warmupSimMinutes * 60) / o.simSpeed) * 1000 - (Date.now() - opened));
    const t0 = Date.now();
    const churnStart = await ask('measure');
    await sleep((3600 / o.simSpeed) * 1000 - (Date.now() - t0));
    const churnEnd = await ask('measure');
    const seconds = (Date.now() - t0) / 1000;
    const pct = (a: number, b: number) => round((100 * (b - a)) / a, 1) as number;
    return {
      rssMb10k: loaded.rssMb,
      heapMb10k: loaded.heapUsedMb,
      rssGrowthPct: pct(churnStart.rssMb, churnEnd.rssMb),
      heapGrowthPct: pct(churnStart.heapUsedMb, churnEnd.heapUsedMb),
      simulatedMinutes: Math.round((seconds * o.simSpeed) / 60),
      seconds: Math.round(seconds),
      empty,
      loaded,
      churnStart,
      churnEnd,
      settings: o,
    };
  } finally {
    child.send({ cmd: 'stop' } satisfies MemoryServerCommand);
    await stopChild(child, 5000);
  }
}

if (isMain(import.meta.url)) {
  runMemory(memoryOptions(process.argv.includes('--quick'), process.argv.includes('--tsx'))).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`bench memory: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
