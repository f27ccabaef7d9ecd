import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';
import { benchConfig, listenApp } from '../lib/app.js';
import { GatedSource, SyntheticSource, type SyntheticShape } from '../lib/synthetic.js';
import { SimSource } from '../../src/sim/sim-source.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { logBounds } from '../../src/store/index.js';
import type { MemoryServerCommand, MemoryServerEvent, MemorySnapshot } from './ipc.js';

/**
 * The memory benchmark's server process (run with --expose-gc): the real app on the memory store (the
 * embedded default: state, update log and read model all in this process). `load` ingests a synthetic
 * book; `churn` starts the simulator at `speed` (time-based bounds compressed alike); `measure` collects
 * garbage and reports RSS, heap and the state's counts (read model, update log, sources' caches, ingest's
 * id map, room history, stored results).
 * argv: <events> <marketsPerEvent> <runners> <levels> <simSpeed> <simRate> <simEvents>
 * BENCH_HEAP_SNAPSHOTS=<dir>: also writes a heap snapshot at every measurement (<dir>/<n>-<cmd>.heapsnapshot);
 * writing one leaves RSS ~1 GB higher, so the RSS figures of such a run mean nothing (heap and counts do).
 */

const send = (m: MemoryServerEvent) => process.send?.(m);
const arg = (i: number) => Number(process.argv[2 + i]);
const MB = 2 ** 20;

async function main(): Promise<void> {
  const shape: SyntheticShape = { events: arg(0), marketsPerEvent: arg(1), runners: arg(2), levels: arg(3) };
  const sim = { speed: arg(4), rate: arg(5), events: arg(6), seed: 20261122 };
  // Every time-based bound is compressed like the simulated hour (seconds / speed), so each reaches the steady
  // state it would reach in real time: closed markets leave the state an hour after closing, the update log
  // keeps UPDATE_LOG_MAX_AGE_SEC (600) and the broker's recovery window WS_RECOVERY_WINDOW_SEC (180).
  const compressed = (sec: number) => Math.max(1, Math.round(sec / sim.speed));
  const defaults = benchConfig();
  const config = benchConfig({
    sources: ['synthetic', 'sim'],
    sim,
    closedMarketTtlSec: compressed(defaults.closedMarketTtlSec),
    updateLogMaxAgeSec: compressed(defaults.updateLogMaxAgeSec),
    ws: { recoveryWindowSec: compressed(defaults.ws.recoveryWindowSec) },
  });
  const book = new GatedSource(new SyntheticSource(shape));
  const churn = new GatedSource(new SimSource(config, {}));
  // the store as the server makes it from the configuration (every update-log bound)
  const store = new MemoryStore(logBounds(config));
  const { app } = await listenApp({ config, sources: [book, churn], store });
  const gc = (globalThis as { gc?: () => void }).gc;

  const snapshotDir = process.env.BENCH_HEAP_SNAPSHOTS;
  let snapshots = 0;
  const measure = async (what: string): Promise<MemorySnapshot> => {
    await app.ingest.drain();
    await app.settle();
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setImmediate(r));
    }
    // Then two full GCs that compact every page, and a pause for the freed pages to be unmapped (V8 does it
    // in the background): RSS is then the live data and what the process cannot give back, not the free
    // heap pages the last GCs happened to leave mapped. Without this, V8's reserved heap at the same heapUsed
    // (~205 MB) was 372 MB at one point and 290 MB at the next, swinging RSS by ±20%: more than the target.
    setFlagsFromString('--compact-on-every-full-gc');
    for (let i = 0; i < 2; i++) {
      gc?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    setFlagsFromString('--no-compact-on-every-full-gc');
    await new Promise((r) => setTimeout(r, 300));
    const m = process.memoryUsage();
    const log = app.store instanceof MemoryStore ? app.store.logSize() : { entries: 0, bytes: 0 };
    const history = app.broker.stats().recovery as { rooms: number; messages: number };
    const results = await app.store.countResults();
    if (snapshotDir) writeHeapSnapshot(join(snapshotDir, `${snapshots++}-${what}.heapsnapshot`));
    return {
      rssMb: Math.round(m.rss / MB),
      heapUsedMb: Math.round(m.heapUsed / MB),
      heapTotalMb: Math.round(m.heapTotal / MB),
      externalMb: Math.round(m.external / MB),
      markets: app.readModel.markets.size,
      events: app.readModel.events.size,
      runners: [...app.readModel.markets.values()].reduce((n, x) => n + x.runners.length, 0),
      logEntries: log.entries,
      logMb: Math.round((10 * log.bytes) / MB) / 10,
      sourceMarkets: app.sources.statuses().reduce((n, st) => n + st.markets, 0),
      upstreamIds: app.ingest.stateSizes().ids ?? 0,
      roomHistory: history.messages,
      results,
    };
  };

  process.on('message', (m: MemoryServerCommand) => {
    const run = async (): Promise<MemoryServerEvent> => {
      if (m.cmd === 'load') await book.open();
      if (m.cmd === 'churn') await churn.open();
      if (m.cmd === 'stop') {
        await app.close();
        process.exit(0);
      }
      return { ev: 'measured', cmd: m.cmd, at: await measure(m.cmd) };
    };
    run().then(send, (err: unknown) => {
      process.stderr.write(`memory server: ${String(err)}\n`);
      process.exit(1);
    });
  });
  send({ ev: 'ready', at: await measure('empty') });
}

process.on('disconnect', () => process.exit(0));
void main();
