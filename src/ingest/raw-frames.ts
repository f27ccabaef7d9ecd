import type { Market } from '../model/index.js';
import { LRUCache } from 'lru-cache';

/** A raw upstream frame that changed a market, as kept for /socket-odds. */
export interface RawFrame {
  marketId: string;
  /** Internal event id of the market. */
  eventId: number;
  source: string;
  /** Epoch ms the frame was received by ingest. */
  ts: number;
  /** Market version the frame produced. */
  version: number;
  frame: unknown;
}

export interface RawFrameBufferOptions {
  /** Frames kept per market (newest). */
  perMarket?: number;
  /** Markets kept; the least recently updated market goes first. */
  maxMarkets?: number;
  clock?: () => number;
}

/**
 * Bounded buffer of recent raw upstream frames, per market: at most `perMarket` frames for each of at most
 * `maxMarkets` markets. Fed by ingest's `onRaw` hook; read by /socket-odds and /admin/cache. Markets and
 * events leaving the state are forgotten (forgetMarket/forgetEvent), so it holds only markets that exist.
 */
export class RawFrameBuffer {
  private readonly perMarket: number;
  private readonly maxMarkets: number;
  private readonly clock: () => number;
  /** Market id → its frames, oldest first; least recently updated market first (dropped past maxMarkets). */
  private readonly byMarket: LRUCache<string, RawFrame[]>;
  private readonly byEvent = new Map<number, Set<string>>();
  private frames = 0;

  constructor(opts: RawFrameBufferOptions = {}) {
    this.perMarket = Math.max(1, opts.perMarket ?? 10);
    this.maxMarkets = Math.max(1, opts.maxMarkets ?? 5000);
    this.clock = opts.clock ?? Date.now;
    this.byMarket = new LRUCache({
      max: this.maxMarkets,
      // Evicted or forgotten: its frames and its place in the event index go with it.
      dispose: (list, marketId, reason) => {
        if (reason === 'set') return;
        this.frames -= list.length;
        const first = list[0];
        if (!first) return;
        const ids = this.byEvent.get(first.eventId);
        ids?.delete(marketId);
        if (ids && ids.size === 0) this.byEvent.delete(first.eventId);
      },
    });
  }

  /** Records a raw frame for a market (the ingest `onRaw` hook). */
  readonly push = (market: Market, raw: unknown): void => {
    const list = this.byMarket.peek(market.id) ?? [];
    list.push({
      marketId: market.id,
      eventId: market.eventId,
      source: market.source,
      ts: this.clock(),
      version: market.version,
      frame: raw,
    });
    this.frames++;
    if (list.length > this.perMarket) {
      list.shift();
      this.frames--;
    }
    let ids = this.byEvent.get(market.eventId);
    if (!ids) this.byEvent.set(market.eventId, (ids = new Set()));
    ids.add(market.id);
    this.byMarket.set(market.id, list); // newest end; drops the least recently updated market past the bound
  };

  /** Frames of one market, newest first. */
  forMarket(marketId: string, limit = this.perMarket): RawFrame[] {
    return (this.byMarket.peek(marketId) ?? []).slice(-limit).reverse();
  }

  /** Frames of every market of an event, newest first. */
  forEvent(eventId: number, limit = 100): RawFrame[] {
    const out: RawFrame[] = [];
    for (const id of this.byEvent.get(eventId) ?? []) out.push(...(this.byMarket.peek(id) ?? []));
    return newestFirst(out).slice(0, limit);
  }

  /** The most recent frames across all markets, newest first (scans at most `limit` markets). */
  recent(limit: number): RawFrame[] {
    const out: RawFrame[] = [];
    let markets = 0;
    for (const list of this.byMarket.values()) {
      // most recently updated first
      if (markets++ >= limit) break;
      out.push(...list);
    }
    return newestFirst(out).slice(0, limit);
  }

  /** Counts for diagnostics. */
  stats(): { markets: number; frames: number; perMarket: number; maxMarkets: number } {
    return {
      markets: this.byMarket.size,
      frames: this.frames,
      perMarket: this.perMarket,
      maxMarkets: this.maxMarkets,
    };
  }

  /** Drops a market's frames: it left the state (closed and evicted), so /socket-odds has nothing to show. */
  forgetMarket(marketId: string): void {
    this.byMarket.delete(marketId); // dispose updates the counts and the event index
  }

  /** Drops the frames of every market of an event that left the state. */
  forgetEvent(eventId: number): void {
    for (const id of [...(this.byEvent.get(eventId) ?? [])]) this.forgetMarket(id);
    this.byEvent.delete(eventId);
  }
}

function newestFirst(frames: RawFrame[]): RawFrame[] {
  return frames.sort((a, b) => b.ts - a.ts || b.version - a.version);
}
