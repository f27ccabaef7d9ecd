import WebSocket from 'ws';

/** A `recovery` reply as the server sent it. */
export interface Recovery {
  recovered: boolean;
  since: number;
  seq: number;
  count?: number;
}

/** A `market_odds` push: its position and the market as rendered (`data`, the /event/:id/odds market). */
export interface MarketPush {
  seq: number;
  ts: number;
  matchId: string;
  version: number;
  data: Record<string, unknown>;
}

/**
 * One bot following one room over a real WebSocket (the `ws` package), checking what it is shown: every
 * push's `seq` must be the previous one + 1 (a gap, a repeat or disorder is recorded), across reconnects
 * too. With `reconnect`, a closed connection is reopened to the next URL (several instances) and the room
 * resumed with `since` = the last seq seen, as the protocol tells a bot to do. Keeps the last few
 * `market_odds` pushes of every market, to compare what WebSocket and REST show.
 */
export class RoomFollower {
  /** Seq of the last push (or of the `subscribed` reply); -1 before. */
  last = -1;
  received = 0;
  /** `expected→got` for every push whose seq was not last + 1. */
  readonly gaps: string[] = [];
  readonly recoveries: Recovery[] = [];
  /** Connections that closed (not by close()). */
  disconnects = 0;
  /** Server `ts` of the newest push. */
  newestTs = 0;
  subscribed = false;
  /** market id → its last pushes (newest last). */
  readonly markets = new Map<string, MarketPush[]>();
  private ws: WebSocket | null = null;
  private urlIndex = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly urls: readonly string[],
    readonly room = 'all',
    private readonly reconnect = false,
  ) {
    this.open();
  }

  /** Waits (bounded) until the first `subscribed` reply. */
  async ready(ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.subscribed) {
      if (Date.now() > deadline) throw new Error(`follower of ${this.room}: not subscribed after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The last push of `marketId` at `version`, if it was seen. */
  at(marketId: string, version: number): MarketPush | undefined {
    return this.markets.get(marketId)?.find((p) => p.version === version);
  }

  /** The newest version of `marketId` seen (-1: none). */
  version(marketId: string): number {
    return this.markets.get(marketId)?.at(-1)?.version ?? -1;
  }

  /** Closes for good. */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.terminate();
    this.ws = null;
  }

  private open(): void {
    const url = this.urls[this.urlIndex % this.urls.length] as string;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.on('message', (d: Buffer) => this.onMessage(ws, d.toString('utf8')));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = null;
      this.disconnects++;
      if (!this.reconnect) return;
      this.urlIndex++;
      this.timer = setTimeout(() => this.open(), 250);
    });
  }

  private onMessage(ws: WebSocket, text: string): void {
    const m = JSON.parse(text) as Record<string, unknown>;
    const type = m.type;
    if (type === 'connected') {
      const since = this.last >= 0 ? { since: this.last } : {};
      ws.send(JSON.stringify({ action: 'subscribe', room: this.room, ...since }));
      return;
    }
    if (type === 'subscribed') {
      if (this.last < 0) this.last = Number(m.seq);
      this.subscribed = true;
      return;
    }
    if (type === 'recovery') {
      const r = m as unknown as Recovery;
      this.recoveries.push({ recovered: r.recovered, since: r.since, seq: r.seq, count: r.count });
      // Not recovered: a snapshot stands for the missed messages; live resumes after its position.
      if (!r.recovered) this.last = r.seq;
      return;
    }
    if (m.room !== this.room || typeof m.seq !== 'number' || m.snapshot === true) return;
    if (m.seq !== this.last + 1) this.gaps.push(`${this.last + 1}→${m.seq}`);
    this.last = m.seq;
    this.received++;
    const ts = Number(m.ts);
    if (ts > this.newestTs) this.newestTs = ts;
    if (type === 'market_odds' && typeof m.marketId === 'string') {
      const data = m.data as Record<string, unknown>;
      const list = this.markets.get(m.marketId) ?? [];
      list.push({ seq: m.seq, ts, matchId: String(m.matchId), version: Number(data.version), data });
      if (list.length > 20) list.shift();
      this.markets.set(m.marketId, list);
    }
  }
}
