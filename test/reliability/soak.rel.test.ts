import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pick } from './helpers/short.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { CrowdProcs } from './helpers/crowd-procs.js';
import { roomSeq } from './helpers/ws-crowd.js';

const CLIENTS = pick(1000, 300);
const SECONDS = pick(600, 80);
// RSS is compared from after the bounded buffers have filled, as they do by design in the first minutes:
// the broker's recovery window (180 s by default; 10 s in the short variant) and the memory store's update
// log (UPDATE_LOG_MAXLEN entries; lowered so that it is full within the warm-up at ~500 changes/s).
const RECOVERY_WINDOW_SEC = pick(180, 10);
const LOG_MAXLEN = pick(80_000, 8_000);
const WARMUP_SECONDS = pick(200, 30);
// V8 grows the heap lazily (RSS climbs for minutes before major collections settle it); the short run
// caps the old generation at a few times the live set (~130 MB measured) so it reaches that steady state
// within its minute — a leak then shows as growth, and in the end as a crash.
const HEAP_CAP = pick<string | null>(null, '--max-old-space-size=384');
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
  let crowd: CrowdProcs | null = null;
  after(async () => {
    await crowd?.close();
    await server?.proc.stop();
  });

  test(`${SECONDS} s at ${CLIENTS} clients and ~500 updates/s: RSS growth < 10%, no dropped message, loop lag p99 < 50 ms`, async () => {
    server = await startServer({
      SOURCES: 'sim',
      SIM_RATE: '600',
      SIM_EVENTS: '200',
      WS_MAX_CONNECTIONS: '5000',
      WS_RECOVERY_WINDOW_SEC: String(RECOVERY_WINDOW_SEC),
      UPDATE_LOG_MAXLEN: String(LOG_MAXLEN),
      METRICS_PROCESS_DEFAULTS: 'true',
      ...(HEAP_CAP ? { NODE_OPTIONS: HEAP_CAP } : {}),
    });
    const s = server;
    const pid = s.proc.child.pid as number;
    crowd = await CrowdProcs.connect(s.port, CLIENTS);
    const c = crowd;
    const t0 = Date.now();
    const startSeq = await roomSeq(s.port);
    const lags: number[] = [];
    const rss: number[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
      const lag = await lagP99Ms(s);
      if (Date.now() - t0 < WARMUP_SECONDS * 1000) continue;
      lags.push(lag);
      rss.push(rssMb(pid));
    }
    const endSeq = await roomSeq(s.port);
    const rate = (endSeq - startSeq) / ((Date.now() - t0) / 1000);
    const reached = await c.until((st) => st.good.minLast >= endSeq, 60_000);
    assert.ok(reached.ok, 'every client reaches the room position');
    const dropped = reached.status.good.gaps + reached.status.good.ended;
    // Growth of the mean RSS of the second half of the run over the first half (after the warm-up): a
    // leak grows it; the garbage collector's saw-tooth does not.
    const half = Math.floor(rss.length / 2);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const first = mean(rss.slice(0, half));
    const second = mean(rss.slice(half));
    const growth = (100 * (second - first)) / first;
    const sorted = [...lags].sort((a, b) => a - b);
    const lagP99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? NaN;
    const report = `rate ${rate.toFixed(0)}/s, RSS mean ${first.toFixed(0)} → ${second.toFixed(0)} MB (${growth.toFixed(1)}%; samples ${rss.map((x) => x.toFixed(0)).join(' ')}), window lag p99 ${lagP99.toFixed(1)} ms`;
    process.stderr.write(`soak: ${report}\n`);
    assert.equal(dropped, 0, `${dropped} gaps or disconnects (${report})`);
    assert.ok(growth < 10, `RSS grew ${growth.toFixed(1)}% (${report})`);
    assert.ok(lagP99 < 50, `event-loop lag p99 ${lagP99.toFixed(1)} ms (${report})`);
    assert.ok(s.alive());
  });
});
