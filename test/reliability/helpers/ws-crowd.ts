import { frameSeq, frameType, RawWsClient } from '../../../bench/lib/raw-ws.js';

/** What one crowd member saw of its room. */
export class Member {
  readonly client: RawWsClient;
  /** Seq of the `subscribed` reply, then of the last push. */
  last = -1;
  first = -1;
  received = 0;
  /** Pushes whose seq was not last + 1 (a gap, a repeat or out of order). */
  gaps = 0;
  subscribed = false;

  constructor(port: number, room: string) {
    this.client = new RawWsClient(port, '/ws', (d, p, len) => this.onText(d, p, len, room));
  }

  private onText(d: Buffer, p: number, len: number, room: string): void {
    const type = frameType(d, p, len);
    if (type === 'connected') return this.client.sendText(JSON.stringify({ action: 'subscribe', room }));
    const seq = frameSeq(d, p, len);
    if (type === 'subscribed') {
      this.last = seq;
      this.subscribed = true;
      return;
    }
    if (seq < 0 || type === 'error' || type === 'pong') return;
    if (this.first < 0) this.first = seq;
    if (seq !== this.last + 1) this.gaps++;
    this.last = seq;
    this.received++;
  }
}

/**
 * N cheap WebSocket clients of one oddsgate instance, all in one room, each checking that the room's
 * seqs arrive exactly once and in order. Connects 50 at a time.
 */
export class WsCrowd {
  readonly members: Member[] = [];

  private constructor() {}

  /** Connects `count` members to ws://127.0.0.1:<port>/ws and waits until each is subscribed to `room`. */
  static async connect(port: number, count: number, room = 'all', timeoutMs = 120_000): Promise<WsCrowd> {
    const crowd = new WsCrowd();
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < count; i += 50) {
      const batch: Member[] = [];
      for (let j = i; j < Math.min(count, i + 50); j++) batch.push(new Member(port, room));
      crowd.members.push(...batch);
      const ok = await Promise.all(batch.map((m) => m.client.ready));
      if (ok.includes(false)) throw new Error(`crowd: ${ok.filter((x) => !x).length} upgrades failed`);
    }
    while (crowd.members.some((m) => !m.subscribed)) {
      if (Date.now() > deadline) throw new Error('crowd: not every member got `subscribed`');
      await new Promise((r) => setTimeout(r, 100));
    }
    return crowd;
  }

  /** Waits until every member in `who` has a seq ≥ `seq` (or its connection ended); false on timeout. */
  async reach(who: readonly Member[], seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (who.some((m) => m.last < seq && !m.client.ended)) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  }

  /** Closes every connection. */
  close(): void {
    for (const m of this.members) m.client.destroy();
  }
}

/** The current last seq of `room` on the server: a probe client subscribes and reads `subscribed.seq`. */
export async function roomSeq(port: number, room = 'all'): Promise<number> {
  const probe = new Member(port, room);
  try {
    for (let i = 0; i < 100 && !probe.subscribed; i++) await new Promise((r) => setTimeout(r, 100));
    if (!probe.subscribed) throw new Error('probe not subscribed');
    return probe.last;
  } finally {
    probe.client.destroy();
  }
}

/** The broker stats of the `connected` frame a new connection gets (clients, slow_consumers_closed, …). */
export async function brokerStats(port: number): Promise<Record<string, number>> {
  let stats: Record<string, number> | null = null;
  const probe = new RawWsClient(port, '/ws', (d, p, len) => {
    if (frameType(d, p, len) !== 'connected') return;
    stats = (JSON.parse(d.toString('utf8', p, p + len)) as { stats: Record<string, number> }).stats;
  });
  try {
    for (let i = 0; i < 100 && stats === null; i++) await new Promise((r) => setTimeout(r, 100));
    if (stats === null) throw new Error('no connected frame');
    return stats;
  } finally {
    probe.destroy();
  }
}
