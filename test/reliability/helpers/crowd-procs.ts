import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkTs, nextMessage, stopChild } from '../../../bench/lib/child.js';
import type { CrowdCommand, CrowdEvent, CrowdStatus } from './crowd-ipc.js';

/**
 * A crowd of cheap WebSocket clients in one room, spread over `procs` child processes. Every member checks
 * that the room's seqs arrive exactly once and in order; every `slowEvery`-th member can be told to stop
 * reading (a slow consumer) and to read again.
 */
export class CrowdProcs {
  private constructor(private readonly procs: ChildProcess[]) {}

  /** Connects `count` members to ws://127.0.0.1:<port>/ws, subscribed to `room`; resolves when all are. */
  static async connect(
    port: number,
    count: number,
    opts: { room?: string; slowEvery?: number; procs?: number; favoured?: boolean } = {},
  ): Promise<CrowdProcs> {
    const n = opts.procs ?? 2;
    const file = fileURLToPath(new URL('./crowd-process.ts', import.meta.url));
    const procs = Array.from({ length: n }, () => forkTs(file));
    const crowd = new CrowdProcs(procs);
    const per = Math.ceil(count / n);
    const connected = procs.map((p, i) => {
      const wait = nextMessage<CrowdEvent>(p, (m) => m.ev === 'connected', 'crowd connected', 180_000);
      const c: CrowdCommand = {
        cmd: 'connect',
        port,
        count: Math.min(per, count - i * per),
        room: opts.room ?? 'all',
        slowEvery: opts.slowEvery ?? 0,
        offset: i * per,
        favoured: opts.favoured ?? false,
      };
      p.send(c);
      return wait;
    });
    const replies = await Promise.all(connected);
    const got = replies.reduce((s, m) => s + (m.ev === 'connected' ? m.n : 0), 0);
    if (got !== count) {
      const why = replies.flatMap((m) => (m.ev === 'connected' ? m.why : []));
      const counts = [...new Set(why)].map((w) => `${w} ×${why.filter((x) => x === w).length}`);
      await crowd.close();
      throw new Error(`crowd: ${got}/${count} members subscribed (${counts.join(', ')})`);
    }
    return crowd;
  }

  /** The slow members stop reading. */
  pauseSlow(): void {
    for (const p of this.procs) p.send({ cmd: 'pause' } satisfies CrowdCommand);
  }

  /** The slow members read again. */
  resumeSlow(): void {
    for (const p of this.procs) p.send({ cmd: 'resume' } satisfies CrowdCommand);
  }

  /** What every member saw so far, summed over the processes. */
  async status(): Promise<CrowdStatus> {
    const parts = await Promise.all(
      this.procs.map((p) => {
        const w = nextMessage<CrowdEvent>(p, (m) => m.ev === 'status', 'crowd status');
        p.send({ cmd: 'status' } satisfies CrowdCommand);
        return w;
      }),
    );
    const all = parts.map((m) => (m.ev === 'status' ? m.status : null)).filter((s) => s !== null);
    return {
      good: {
        count: all.reduce((n, s) => n + s.good.count, 0),
        minLast: Math.min(...all.map((s) => s.good.minLast)),
        gaps: all.reduce((n, s) => n + s.good.gaps, 0),
        ended: all.reduce((n, s) => n + s.good.ended, 0),
        minReceived: Math.min(...all.map((s) => s.good.minReceived)),
        codes: [...new Set(all.flatMap((s) => s.good.codes))],
        endedSpan: spanOf(all.map((s) => s.good.endedSpan)),
      },
      slow: {
        count: all.reduce((n, s) => n + s.slow.count, 0),
        ended: all.reduce((n, s) => n + s.slow.ended, 0),
        codes: [...new Set(all.flatMap((s) => s.slow.codes))],
      },
    };
  }

  /** Polls status() every 500 ms until `pred` holds; returns the last status and whether it held. */
  async until(pred: (s: CrowdStatus) => boolean, ms: number): Promise<{ ok: boolean; status: CrowdStatus }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const status = await this.status();
      if (pred(status)) return { ok: true, status };
      if (Date.now() > deadline) return { ok: false, status };
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Closes every member and ends the processes. */
  async close(): Promise<void> {
    for (const p of this.procs) if (p.connected) p.send({ cmd: 'stop' } satisfies CrowdCommand);
    await Promise.all(this.procs.map((p) => stopChild(p)));
  }
}

/** The earliest start and latest end of several spans. */
function spanOf(spans: ([number, number] | null)[]): [number, number] | null {
  const present = spans.filter((x) => x !== null);
  if (present.length === 0) return null;
  return [Math.min(...present.map((x) => x[0])), Math.max(...present.map((x) => x[1]))];
}
