import { benchConfig, BENCH_WS, listenApp } from '../lib/app.js';
import { CpuProfiler } from '../lib/profile.js';
import { StampedSimSource } from '../lib/stamped-sim-source.js';
import type { LatencyServerCommand, LatencyServerEvent } from './ipc.js';

/**
 * The latency benchmark's server process: the real app (memory store, broker) fed by the simulator with
 * frames stamped as they leave it. While a window is open it records, per push to room `all`, the seq
 * and the publishedAt of the market it carries, so the orchestrator can join them with client arrivals.
 * The simulator starts on `go`, once every client is connected.
 * argv: <rate> <events>
 */

const send = (m: LatencyServerEvent) => process.send?.(m);

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 600);
  const events = Number(process.argv[3] ?? 200);
  const source = new StampedSimSource({ seed: 20261122, speed: 1, rate, events }, true);
  const config = benchConfig({ sources: ['sim'], ws: BENCH_WS });
  const { app, port } = await listenApp({ config, sources: [source] });
  const profiler = new CpuProfiler();
  let on = false;
  let pts: [number, number][] = [];
  let pushes = 0;
  let t0 = 0;
  let cpu0 = process.cpuUsage();
  app.readModel.onChange(({ entry }) => {
    if (!on) return;
    const seq = entry.change.rooms?.all;
    if (seq === undefined) return;
    pushes++;
    const c = entry.change;
    if (c.type === 'market' && c.market.publishedAt !== null) pts.push([seq, c.market.publishedAt]);
  });
  process.on('message', (m: LatencyServerCommand) => {
    if (m.cmd === 'stop') return void app.close().finally(() => process.exit(0));
    if (m.cmd === 'go') return source.run();
    if (m.cmd === 'profile') {
      if (m.on) return void profiler.start();
      return void profiler.stop().then((top) => send({ ev: 'profile', top }));
    }
    if (m.on) {
      on = true;
      pts = [];
      pushes = 0;
      t0 = Date.now();
      cpu0 = process.cpuUsage();
      return;
    }
    on = false;
    const u = process.cpuUsage(cpu0);
    send({
      ev: 'window',
      pts,
      pushes,
      seconds: (Date.now() - t0) / 1000,
      cpuSeconds: (u.user + u.system) / 1e6,
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    });
  });
  send({ ev: 'ready', port });
}

process.on('disconnect', () => process.exit(0));
// Exiting (rather than being killed) writes the CPU profile when one is being taken (LATENCY_PROF).
process.on('SIGTERM', () => process.exit(0));
void main();
