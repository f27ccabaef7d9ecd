/**
 * One connection's market subscription on the simulated Exchange Stream API: the markets it covers, the
 * SUB_IMAGE or RESUB_DELTA that starts it, then live changes (projected onto its fields, conflated when
 * `conflateMs` > 0, held back while the stream is degraded), heartbeats when idle, and segmentation of
 * large messages. Clocks handed to the client are opaque tokens naming the hub clock and this subscription,
 * so a later resubscription knows which markets the client already holds.
 */
import type { Clock } from '../../core/clock.js';
import type { ProjectedMarketChange as MarketChange, StreamMarketChange } from '../stream-types.js';
import type { EsaHub, HubEntry } from './hub.js';
import { ChangeMerger } from './merge.js';
import { Projector } from './projection.js';
import { matchesFilter, type MarketSubscription } from './subscription.js';

/** Hub clock and subscription instance a clock token names. */
export interface ClockToken {
  clk: number;
  instance: number;
}

/** Encodes a clock token (base64, opaque to clients like Betfair's). */
export function encodeClk(t: ClockToken): string {
  return Buffer.from(`${t.clk}.${t.instance}`).toString('base64');
}

/** Decodes a clock token; null when it is not one of ours. */
export function decodeClk(s: string): ClockToken | null {
  const m = /^(\d+)\.(\d+)$/.exec(Buffer.from(s, 'base64').toString('latin1'));
  return m ? { clk: Number(m[1]), instance: Number(m[2]) } : null;
}

/** Settings shared by every feed. */
export interface FeedSettings {
  /** Messages larger than this are segmented (when the subscription allows it). */
  maxSegmentBytes: number;
  /** Publish-time clock for heartbeats and status messages (the simulator's clock). */
  now: Clock;
}

type Header = {
  ct: 'SUB_IMAGE' | 'RESUB_DELTA';
  initialClk: string;
  conflateMs: number;
  heartbeatMs: number;
};

/** A live market subscription of one connection. */
export class MarketFeed {
  private readonly projector: Projector;
  private readonly merger = new ChangeMerger();
  private currentClk: number;
  private sentClk: number;
  private lastSentAt = Date.now();
  private degraded = false;
  private timers: NodeJS.Timeout[] = [];
  /** Output suppressed entirely (fault: the connection stalls). */
  stalled = false;

  constructor(
    readonly sub: MarketSubscription,
    readonly instance: number,
    /** Markets covered; grows as new markets matching the filter appear. Shared with the hub registry. */
    readonly markets: Set<string>,
    private readonly hub: EsaHub,
    private readonly send: (line: string) => void,
    private readonly settings: FeedSettings,
  ) {
    this.projector = new Projector(sub, hub.state);
    this.currentClk = this.sentClk = hub.clk;
  }

  /** Sends the SUB_IMAGE, or the RESUB_DELTA from `since` for markets in `held`, then starts the timers. */
  start(resume: { entries: HubEntry[] | null; held: ReadonlySet<string> | null } | null): void {
    const header: Header = {
      ct: resume ? 'RESUB_DELTA' : 'SUB_IMAGE',
      initialClk: this.hub.initialClk,
      conflateMs: this.sub.conflateMs,
      heartbeatMs: this.sub.heartbeatMs,
    };
    const items = resume ? this.resumeChanges(resume.entries, resume.held) : this.imageChanges();
    this.sendChanges(items, this.hub.clk, this.hub.pt, header);
    const hb = setInterval(() => this.heartbeat(), Math.max(50, Math.floor(this.sub.heartbeatMs / 2)));
    this.timers.push(hb);
    if (this.sub.conflateMs > 0) this.timers.push(setInterval(() => this.flush(), this.sub.conflateMs));
  }

  /** Stops the timers (the subscription was replaced or the connection closed). */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Handles one hub entry. */
  onEntry(e: HubEntry): void {
    this.currentClk = e.clk;
    if (this.stalled) return;
    const mine: StreamMarketChange[] = [];
    for (const mc of e.mc) {
      if (this.markets.has(mc.id)) mine.push(mc);
      else if (matchesFilter(this.sub.filter, mc.id, this.hub.state.markets.get(mc.id)?.definition ?? null)) {
        this.markets.add(mc.id);
        mine.push(mc.img === true ? mc : { id: mc.id, img: true });
      }
    }
    if (mine.length === 0) return;
    if (this.degraded || this.sub.conflateMs > 0) {
      for (const mc of mine) this.merger.add(mc);
      return;
    }
    this.sendChanges(
      mine.map((mc) => ({ mc, merged: 1 })),
      e.clk,
      e.pt,
    );
  }

  /** Degraded (status 503): changes are held and a status message replaces heartbeats; off: held changes go out. */
  setDegraded(on: boolean): void {
    if (this.degraded === on) return;
    this.degraded = on;
    if (on) this.sendStatus503();
    else this.flush();
  }

  private imageChanges(): { mc: StreamMarketChange; merged: number }[] {
    return [...this.markets].map((id) => ({ mc: { id, img: true }, merged: 1 }));
  }

  private resumeChanges(
    entries: HubEntry[] | null,
    held: ReadonlySet<string> | null,
  ): { mc: StreamMarketChange; merged: number }[] {
    const replay = entries !== null && held !== null && this.projector.replaysDeltas;
    if (replay) {
      for (const e of entries)
        for (const mc of e.mc) if (this.markets.has(mc.id) && held.has(mc.id)) this.merger.add(mc);
    }
    // Replayed changes are merged per market to form the delta, but that is not conflation: `con` is
    // only set when conflateMs (or a held-back stream) actually combined live changes.
    const items = this.merger.drain().map((it) => ({ mc: it.mc, merged: 1 }));
    for (const id of this.markets) {
      if (!replay || !held.has(id)) items.push({ mc: { id, img: true }, merged: 1 });
    }
    return items;
  }

  private flush(): void {
    if (this.stalled || this.degraded || this.merger.size === 0) return;
    this.sendChanges(this.merger.drain(), this.currentClk, this.hub.pt);
  }

  private heartbeat(): void {
    if (this.stalled || Date.now() - this.lastSentAt < this.sub.heartbeatMs) return;
    if (this.degraded) return this.sendStatus503();
    const clk = this.merger.size === 0 ? this.currentClk : this.sentClk;
    this.emit(
      { op: 'mcm', id: this.sub.id, clk: this.token(clk), pt: this.settings.now(), ct: 'HEARTBEAT' },
      clk,
    );
  }

  private sendStatus503(): void {
    if (this.stalled) return;
    this.lastSentAt = Date.now();
    this.send(JSON.stringify({ op: 'mcm', id: this.sub.id, pt: this.settings.now(), status: 503 }));
  }

  private token(clk: number): string {
    return encodeClk({ clk, instance: this.instance });
  }

  private sendChanges(
    items: { mc: StreamMarketChange; merged: number }[],
    clk: number,
    pt: number,
    header?: Header,
  ): void {
    const mc: MarketChange[] = [];
    for (const it of items) {
      const p = this.projector.project(it.mc, it.merged > 1);
      if (p) mc.push(p);
    }
    if (mc.length === 0 && !header) return;
    const base = { op: 'mcm', id: this.sub.id };
    const whole = { ...base, ...header, clk: this.token(clk), pt, mc };
    const line = JSON.stringify(whole);
    if (!this.sub.segmentationEnabled || line.length <= this.settings.maxSegmentBytes || mc.length < 2) {
      return this.emit(whole, clk, line);
    }
    const chunks = this.segmentChunks(mc);
    chunks.forEach((chunk, i) => {
      const first = i === 0;
      const last = i === chunks.length - 1;
      const segmentType = first ? 'SEG_START' : last ? 'SEG_END' : 'SEG';
      const msg = {
        ...base,
        ...(first ? header : {}),
        ...(last ? { clk: this.token(clk) } : {}),
        pt,
        segmentType,
        mc: chunk,
      };
      this.emit(msg, clk);
    });
  }

  private segmentChunks(mc: MarketChange[]): MarketChange[][] {
    const chunks: MarketChange[][] = [[]];
    let size = 0;
    for (const m of mc) {
      const len = JSON.stringify(m).length;
      const current = chunks[chunks.length - 1] as MarketChange[];
      if (current.length > 0 && size + len > this.settings.maxSegmentBytes) {
        chunks.push([m]);
        size = len;
      } else {
        current.push(m);
        size += len;
      }
    }
    return chunks;
  }

  private emit(msg: object, clk: number, line?: string): void {
    this.lastSentAt = Date.now();
    this.sentClk = clk;
    this.send(line ?? JSON.stringify(msg));
  }
}
