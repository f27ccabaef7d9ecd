import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pick } from './helpers/short.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { roomSeq, WsCrowd } from './helpers/ws-crowd.js';

const CLIENTS = pick(1000, 300);
const SECONDS = pick(600, 60);
// RSS is compared from after the broker's recovery window (180 s by default; 10 s in the short variant)
// has filled: that window is bounded memory that grows at first by design, not a leak.
const RECOVERY_WINDOW_SEC = pick(180, 10);
const WARMUP_SECONDS = RECOVERY_WINDOW_SEC + pick(20, 5);
const SAMPLE_MS = 5000;

/** Resident set size of a process (MB), from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** The event-loop lag p99 (ms) of the window since the previous scrape (prom-client resets it per scrape). */
async function lagP99Ms(s: RunningServer): Promise<number> {
  const res = await fetch(`${s.base}/metrics`);
  const m = /^nodejs_eventloop_lag_p99_seconds\s+([0-9.e+-]+)$/m.exec(await res.text());
  return m ? Number(m[1]) * 1000 : NaN;
}

describe('soak', () => {
  let server: RunningServer | null = null;
  let crowd: WsCrowd | null = null;
  after(async () => {
    crowd?.close();
    await server?.proc.stop();
  });

  test(`${SECONDS} s at ${CLIENTS} clients and ~500 updates/s: RSS growth < 10%, no dropped message, loop lag p99 < 50 ms`, async () => {
    server = await startServer({
      SOURCES: 'sim',
      SIM_RATE: '900',
      SIM_EVENTS: '200',
      WS_MAX_CONNECTIONS: '5000',
      WS_RECOVERY_WINDOW_SEC: String(RECOVERY_WINDOW_SEC),
      METRICS_PROCESS_DEFAULTS: 'true',
    });
    const s = server;
    const pid = s.proc.child.pid as number;
    crowd = await WsCrowd.connect(s.port, CLIENTS);
    const t0 = Date.now();
    const startSeq = await roomSeq(s.port);
    let baseline = 0;
    const lags: number[] = [];
    const rss: number[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const lag = await lagP99Ms(s);
      if (Date.now() - t0 < WARMUP_SECONDS * 1000) continue;
      baseline ||= rssMb(pid);
      lags.push(lag);
      rss.push(rssMb(pid));
    }
    const endSeq = await roomSeq(s.port);
    const rate = (endSeq - startSeq) / ((Date.now() - t0) / 1000);
    assert.ok(await crowd.reach(crowd.members, endSeq, 60_000), 'every client reaches the room position');
    const dropped = crowd.members.filter((m) => m.gaps > 0 || m.client.ended).length;
    const last = rss.at(-1) ?? 0;
    const growth = (100 * (last - baseline)) / baseline;
    const sorted = [...lags].sort((a, b) => a - b);
    const lagP99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
    const report = `rate ${rate.toFixed(0)}/s, RSS ${baseline.toFixed(0)} → ${last.toFixed(0)} MB (${growth.toFixed(1)}%), window lag p99s max ${lagP99.toFixed(1)} ms`;
    process.stderr.write(`soak: ${report}\n`);
    assert.equal(dropped, 0, `${dropped} clients missed a message or were disconnected (${report})`);
    assert.ok(growth < 10, `RSS grew ${growth.toFixed(1)}% (${report})`);
    assert.ok(lagP99 < 50, `event-loop lag p99 ${lagP99.toFixed(1)} ms (${report})`);
    assert.ok(s.alive());
  });
});
