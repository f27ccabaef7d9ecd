import { benchConfig, listenApp } from '../lib/app.js';
import { GatedSource, SyntheticSource, type SyntheticShape } from '../lib/synthetic.js';
import { SimSource } from '../../src/sim/sim-source.js';
import type { MemoryServerCommand, MemoryServerEvent, MemorySnapshot } from './ipc.js';

/**
 * The memory benchmark's server process (run with --expose-gc): the real app on the memory store (the
 * embedded default: state, update log and read model all in this process). `load` ingests a synthetic
 * book; `churn` starts the simulator at `speed`; `measure` collects garbage and reports RSS and heap.
 * argv: <events> <marketsPerEvent> <runners> <levels> <simSpeed> <simRate> <simEvents>
 */

const send = (m: MemoryServerEvent) => process.send?.(m);
const arg = (i: number) => Number(process.argv[2 + i]);
const MB = 2 ** 20;

async function main(): Promise<void> {
  const shape: SyntheticShape = { events: arg(0), marketsPerEvent: arg(1), runners: arg(2), levels: arg(3) };
  const sim = { speed: arg(4), rate: arg(5), events: arg(6), seed: 20261122 };
  // Closed markets leave the state an hour after closing in production; in compressed time, an hour / speed.
  const closedMarketTtlSec = Math.max(1, Math.round(3600 / sim.speed));
  const config = benchConfig({ sources: ['synthetic', 'sim'], closedMarketTtlSec, sim });
  const book = new GatedSource(new SyntheticSource(shape));
  const churn = new GatedSource(new SimSource(config, {}));
  const { app } = await listenApp({ config, sources: [book, churn] });
  const gc = (globalThis as { gc?: () => void }).gc;

  const measure = async (): Promise<MemorySnapshot> => {
    await app.ingest.drain();
    await app.settle();
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((r) => setImmediate(r));
    }
    const m = process.memoryUsage();
    return {
      rssMb: Math.round(m.rss / MB),
      heapUsedMb: Math.round(m.heapUsed / MB),
      markets: app.readModel.markets.size,
      events: app.readModel.events.size,
      runners: [...app.readModel.markets.values()].reduce((n, x) => n + x.runners.length, 0),
      logEntries: Math.min(app.ingest.stats.changes, config.updateLogMaxLen),
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
      return { ev: 'measured', cmd: m.cmd, at: await measure() };
    };
    run().then(send, (err: unknown) => {
      process.stderr.write(`memory server: ${String(err)}\n`);
      process.exit(1);
    });
  });
  send({ ev: 'ready', at: await measure() });
}

process.on('disconnect', () => process.exit(0));
void main();
