import { MarketCache } from './market-cache.js';
import type { MarketChange, MarketChangeMessage } from './protocol.js';
import { BETFAIR_DEFAULTS, silentLogger, type BetfairLogger, type ChangeStream } from './types.js';
import type { Clock } from '../../core/clock.js';

/** One market touched by a message: its cache after the change and what changed. */
export interface MarketTouch {
  readonly cache: MarketCache;
  /** The raw market change; an array when one message changed the market several times. */
  readonly raw: MarketChange | MarketChange[];
  /** First time this market is seen (or it was replaced by an image after being evicted). */
  readonly isNew: boolean;
  /** The change carried a market definition (or the market is new). */
  readonly definitionChanged: boolean;
  /** The change was an image (`img: true`, or part of a SUB_IMAGE). */
  readonly image: boolean;
}

/** Options of {@link MarketStream}. */
export interface MarketStreamOptions {
  /** Called once per message with every market it touched, in order of first appearance. */
  onChange?: (touched: MarketTouch[], msg: MarketChangeMessage) => void;
  logger?: BetfairLogger;
  clock?: Clock;
  /** Closed markets are forgotten this long (by publish time) after they closed. */
  closedMarketTtlMs?: number;
  /** Called for every market cache the stream forgets (evicted, forgotten, or dropped by a new image). */
  onForget?: (cache: MarketCache) => void;
  /** Latency (now − pt) above which a warning is logged; null: never (replays). */
  maxLatencyMs?: number | null;
}

/** Counters of a market stream. */
export interface MarketStreamStats {
  markets: number;
  lastPt: number | null;
  /** now − pt of the last update, ms. */
  latencyMs: number | null;
  updatesProcessed: number;
  images: number;
  conflated: number;
  evicted: number;
  /** Markets held without any market definition yet (subscribe with EX_MARKET_DEF); they emit nothing. */
  withoutDefinition: number;
}

/**
 * The market stream (second stage of listener → stream → cache): holds one {@link MarketCache} per market,
 * applies images and deltas, tracks publish time and latency, counts conflation and forgets markets that
 * have been CLOSED for longer than `closedMarketTtlMs` (eviction is by publish time, so replays are
 * deterministic; it frees memory only and is not reported as a removal).
 */
export class MarketStream implements ChangeStream<MarketChangeMessage> {
  private readonly caches = new Map<string, MarketCache>();
  private readonly onChange: NonNullable<MarketStreamOptions['onChange']>;
  private readonly log: BetfairLogger;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** Publish time between eviction sweeps: a tenth of the TTL, between 1 s and evictionSweepMs. */
  private readonly sweepEveryMs: number;
  private readonly onForget: ((cache: MarketCache) => void) | undefined;
  private readonly maxLatencyMs: number | null;
  private readonly noDefinition = new Set<string>();
  private lastSweepPt = 0;
  private lastLatencyWarnAt = -Infinity;
  private stats = { lastPt: null as number | null, latencyMs: null as number | null, updates: 0, images: 0 };
  private conflatedTotal = 0;
  private evictedTotal = 0;
  /** Clock time at which an update was last received (read on every 16th update). */
  lastMessageAt: number | null = null;
  private sampled = 0;
  private messageSeq = 0;
  /**
   * The cache last looked up by id: most messages touch the market the previous one touched, and comparing
   * the id costs less than hashing it for the map. Dropped whenever a cache leaves or replaces another.
   */
  private lastCache: MarketCache | undefined = undefined;

  constructor(opts: MarketStreamOptions = {}) {
    this.onChange = opts.onChange ?? (() => {});
    this.log = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? Date.now;
    this.ttlMs = opts.closedMarketTtlMs ?? BETFAIR_DEFAULTS.closedMarketTtlMs;
    // A closed market stays at most ~10% past its TTL (a fixed minute was 4× a 15-s TTL).
    this.sweepEveryMs = Math.min(BETFAIR_DEFAULTS.evictionSweepMs, Math.max(1000, this.ttlMs / 10));
    this.onForget = opts.onForget;
    this.maxLatencyMs = opts.maxLatencyMs === undefined ? BETFAIR_DEFAULTS.maxLatencyMs : opts.maxLatencyMs;
  }

  /** A full image: every market in it is replaced, markets absent from it are forgotten. */
  onSubscribe(msg: MarketChangeMessage): void {
    this.lastMessageAt = this.clock();
    this.clear();
    this.process(msg, true);
  }

  /** Deltas since the resubscription clock; `img: true` markets are replaced. */
  onResubscribe(msg: MarketChangeMessage): void {
    this.lastMessageAt = this.clock();
    this.process(msg, false);
  }

  /** Nothing changed; only the publish time moves. */
  onHeartbeat(msg: MarketChangeMessage): void {
    if (typeof msg.pt === 'number') this.stats.lastPt = msg.pt;
  }

  /**
   * An ordinary update: the changes are applied; latency is measured on every 16th update (reading the
   * clock costs as much as applying a small change).
   */
  onUpdate(msg: MarketChangeMessage): void {
    if ((++this.sampled & 15) === 1) {
      if (typeof msg.pt === 'number') this.checkLatency(msg.pt);
      else this.lastMessageAt = this.clock();
    }
    this.process(msg, false);
  }

  /** The cache of a market. */
  get(marketId: string): MarketCache | undefined {
    return this.caches.get(marketId);
  }

  /** Every market cache, in order of arrival. */
  markets(): IterableIterator<MarketCache> {
    return this.caches.values();
  }

  /** Number of markets held. */
  get size(): number {
    return this.caches.size;
  }

  /** Forgets every market. */
  clear(): void {
    if (this.onForget) for (const c of this.caches.values()) this.onForget(c);
    this.caches.clear();
    this.lastCache = undefined;
  }

  /** Forgets one market (it left the subscription); true when it was held. */
  forget(marketId: string): boolean {
    this.lastCache = undefined;
    const cache = this.caches.get(marketId);
    if (cache) this.onForget?.(cache);
    return this.caches.delete(marketId);
  }

  /** Counters for status reports. */
  counters(): MarketStreamStats {
    return {
      markets: this.caches.size,
      lastPt: this.stats.lastPt,
      latencyMs: this.stats.latencyMs,
      updatesProcessed: this.stats.updates,
      images: this.stats.images,
      conflated: this.conflatedTotal,
      evicted: this.evictedTotal,
      withoutDefinition: this.countWithoutDefinition(),
    };
  }

  private countWithoutDefinition(): number {
    let n = 0;
    for (const c of this.caches.values()) if (!c.definition) n++;
    return n;
  }

  private process(msg: MarketChangeMessage, subImage: boolean): void {
    const pt = typeof msg.pt === 'number' ? msg.pt : null;
    if (pt !== null) this.stats.lastPt = pt;
    const mcs = msg.mc;
    if (!Array.isArray(mcs) || mcs.length === 0) return;
    let anyImage = subImage;
    const touched: MarketTouch[] = [];
    const seq = ++this.messageSeq;
    for (const mc of mcs) {
      if (!mc || typeof mc.id !== 'string') continue;
      const t = this.applyOne(mc, pt, subImage);
      anyImage ||= t.image;
      if (t.cache.touchedIn === seq) mergeTouch(touched, t);
      else touched.push(t);
      t.cache.touchedIn = seq;
    }
    if (pt !== null && (anyImage || pt - this.lastSweepPt >= this.sweepEveryMs)) this.sweep(pt);
    if (touched.length > 0) this.onChange(touched, msg);
  }

  private applyOne(mc: MarketChange, pt: number | null, subImage: boolean): MarketTouch {
    const last = this.lastCache;
    const prev = last !== undefined && last.marketId === mc.id ? last : this.caches.get(mc.id);
    const image = subImage || mc.img === true;
    let cache = prev;
    if (!cache || image) {
      cache = new MarketCache(mc.id, pt);
      if (prev?.definition && !mc.marketDefinition) cache.inheritDefinition(prev.definition);
      if (prev) cache.touchedIn = prev.touchedIn;
      this.caches.set(mc.id, cache);
      if (image) this.stats.images++;
    }
    this.lastCache = cache;
    if (!cache.definition && !mc.marketDefinition) this.warnNoDefinition(mc.id);
    if (mc.con === true) this.conflatedTotal++;
    const hasDefinition = cache.apply(mc, pt);
    this.stats.updates++;
    return { cache, raw: mc, isNew: !prev, definitionChanged: hasDefinition || !prev, image };
  }

  private checkLatency(pt: number): void {
    const now = this.clock();
    this.lastMessageAt = now;
    const latency = now - pt;
    this.stats.latencyMs = latency;
    if (this.maxLatencyMs === null || latency <= this.maxLatencyMs) return;
    if (now - this.lastLatencyWarnAt < BETFAIR_DEFAULTS.latencyWarnEveryMs) return;
    this.lastLatencyWarnAt = now;
    this.log.warn({ latencyMs: latency, maxLatencyMs: this.maxLatencyMs }, 'betfair stream latency high');
  }

  private warnNoDefinition(marketId: string): void {
    if (this.noDefinition.has(marketId)) return;
    if (this.noDefinition.size >= 10_000) this.noDefinition.clear(); // warn-once memory stays bounded
    this.noDefinition.add(marketId);
    this.log.warn(
      { marketId },
      'betfair market change without marketDefinition (subscribe with EX_MARKET_DEF)',
    );
  }

  private sweep(pt: number): void {
    this.lastSweepPt = pt;
    for (const [id, cache] of this.caches) {
      if (cache.closedAt !== null && pt - cache.closedAt > this.ttlMs) {
        this.caches.delete(id);
        this.lastCache = undefined;
        this.evictedTotal++;
        this.onForget?.(cache);
        this.log.info({ marketId: id, markets: this.caches.size }, 'betfair closed market evicted');
      }
    }
  }
}

/** Adds a touch, merging with an earlier touch of the same market in the same message. */
function mergeTouch(touched: MarketTouch[], t: MarketTouch): void {
  const i = touched.findIndex((x) => x.cache.marketId === t.cache.marketId);
  if (i === -1) {
    touched.push(t);
    return;
  }
  const prev = touched[i] as MarketTouch;
  const raws = Array.isArray(prev.raw) ? [...prev.raw] : [prev.raw];
  raws.push(t.raw as MarketChange);
  touched[i] = {
    cache: t.cache,
    raw: raws,
    isNew: prev.isNew || t.isNew,
    definitionChanged: prev.definitionChanged || t.definitionChanged,
    image: prev.image || t.image,
  };
}
