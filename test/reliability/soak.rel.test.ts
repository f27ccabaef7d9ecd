import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pick } from './helpers/short.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { CrowdProcs } from './helpers/crowd-procs.js';
import { brokerStats, roomSeq } from './helpers/ws-crowd.js';

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

/**
 * Event-loop lag (ms) since the previous scrape, as the server's /metrics reports it (prom-client reads
 * the process's monitorEventLoopDelay histogram and resets it at each scrape).
 */
async function loopLag(s: RunningServer): Promise<{ p50: number; p99: number; max: number }> {
  const text = await (await fetch(`${s.base}/metrics`)).text();
  const read = (name: string) => {
    const m = new RegExp(`^nodejs_eventloop_lag_${name}_seconds\\s+([0-9.e+-]+)$`, 'm').exec(text);
    return m ? Number(m[1]) * 1000 : NaN;
  };
  return { p50: read('p50'), p99: read('p99'), max: read('max') };
}

/** When clients' connections ended, in seconds since the crowd was connected: a burst points at a stall. */
function endedWhen(span: [number, number] | null, t0: number): string {
  if (!span) return '';
  const at = (t: number) => ((t - t0) / 1000).toFixed(1);
  return `, ended between ${at(span[0])} s and ${at(span[1])} s`;
}

describe('soak', () => {
  let server: RunningServer | null = null;
  let crowd: CrowdProcs | null = null;
  after(async () => {
    await crowd?.close();
    await server?.proc.stop();
  });

  // Longer than the runner's default per-test limit (300 s): the run itself, plus the crowd's connect (≤ 180 s)
  // and the final catch-up (≤ 60 s).
  const timeout = (SECONDS + 300) * 1000;
  test(
    `${SECONDS} s at ${CLIENTS} clients and ~500 updates/s: RSS growth < 10%, no dropped message, loop lag p99 < 50 ms`,
    { timeout },
    async () => {
      server = await startServer({
        SOURCES: 'sim',
        // ~500 published updates/s: the simulator spends whole-market requotes from its change budget
        // (one update for several changes), so 600 changes/s published ~425 updates/s.
        SIM_RATE: '720',
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
      const rss: number[] = [];
      // The loop lag is measured over the whole period after the warm-up: one scrape at its start (which
      // resets the histogram) and one at the end, so its p99 is the p99 of every sample of the soak, not of
      // one window. Nothing else scrapes /metrics meanwhile.
      await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000 - (Date.now() - t0)));
      await loopLag(s);
      while (Date.now() - t0 < SECONDS * 1000) {
        await new Promise((r) => setTimeout(r, SAMPLE_MS));
        rss.push(rssMb(pid));
      }
      const lag = await loopLag(s);
      const endSeq = await roomSeq(s.port);
      const rate = (endSeq - startSeq) / ((Date.now() - t0) / 1000);
      const reached = await c.until((st) => st.good.minLast >= endSeq, 60_000);
      const dropped = reached.status.good.gaps + reached.status.good.ended;
      const slowClosed = (await brokerStats(s.port)).slow_consumers_closed;
      // Growth of the mean RSS of the second half of the run over the first half (after the warm-up): a
      // leak grows it; the garbage collector's saw-tooth does not.
      const half = Math.floor(rss.length / 2);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      const first = mean(rss.slice(0, half));
      const second = mean(rss.slice(half));
      const growth = (100 * (second - first)) / first;
      const report = `rate ${rate.toFixed(0)}/s, ${CLIENTS} clients, RSS mean ${first.toFixed(0)} → ${second.toFixed(0)} MB (${growth.toFixed(1)}%; samples ${rss.map((x) => x.toFixed(0)).join(' ')}), loop lag p50 ${lag.p50.toFixed(1)} p99 ${lag.p99.toFixed(1)} max ${lag.max.toFixed(0)} ms, ${reached.status.good.minReceived}+ messages per client, ${dropped} dropped (${reached.status.good.gaps} gaps, ${reached.status.good.ended} ended, close codes [${reached.status.good.codes.join(' ')}]${endedWhen(reached.status.good.endedSpan, t0)}, ${slowClosed} closed as slow consumers)`;
      process.stderr.write(`soak: ${report}\n`);
      assert.ok(rate >= 450, `the soak ran at ${rate.toFixed(0)} updates/s, not ~500 (${report})`);
      assert.ok(reached.ok, `every client reaches the room position (${report})`);
      assert.equal(dropped, 0, `${dropped} gaps or disconnects (${report})`);
      assert.ok(growth < 10, `RSS grew ${growth.toFixed(1)}% (${report})`);
      assert.ok(lag.p99 < 50, `event-loop lag p99 ${lag.p99.toFixed(1)} ms (${report})`);
      assert.ok(s.alive());
    },
  );
});
