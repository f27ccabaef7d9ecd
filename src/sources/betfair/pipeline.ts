import type { SourceUpdate } from '../../model/index.js';
import type { UpdateSink } from '../types.js';
import type { Clock } from '../../core/clock.js';
import { BetfairStreamListener, type MalformedReport, type StreamError } from './listener.js';
import type { MarketCache } from './market-cache.js';
import { MarketStream, type MarketTouch } from './market-stream.js';
import { MarketNormalizer } from './market-normalizer.js';
import { OrderStream, type OrderChangeHook } from './order-stream.js';
import type { MarketChangeMessage, MarketDefinition, StatusMessage } from './protocol.js';
import { silentLogger, type BetfairLogger } from './types.js';

/** Options of {@link createBetfairPipeline}. */
export interface BetfairPipelineOptions {
  /** Source name put on every update (and the key of upstream ids). */
  source: string;
  /** Receives the updates of each message (one call per message that changed a market). */
  sink: UpdateSink;
  logger?: BetfairLogger;
  clock?: Clock;
  /** Closed markets are forgotten by the cache this long after closing (publish time). Default 1 h. */
  closedMarketTtlMs?: number;
  /** Latency warning threshold in ms; null disables (replays of old files). Default 2000. */
  maxLatencyMs?: number | null;
  /** Order stream hook (`ocm`): the order caches a message touched. */
  onOrderChange?: OrderChangeHook;
  onMalformed?: (report: MalformedReport) => void;
  onStatus?: (msg: StatusMessage) => void;
}

/** What the pipeline reports about itself. */
export interface BetfairPipelineStatus {
  frames: number;
  markets: number;
  clk: string | null;
  initialClk: string | null;
  subscriptionId: number | null;
  connectionId: string | null;
  lastPt: number | null;
  latencyMs: number | null;
  degraded: boolean;
  /** The `status` value of the last change message (503 while degraded). */
  streamStatus: number | null;
  malformed: number;
  lastMalformed: MalformedReport | null;
  lastError: StreamError | null;
  connectionClosed: boolean;
  heartbeats: number;
  images: number;
  conflated: number;
  evicted: number;
  /** Events whose markets the pipeline holds (the index combining an event's status over its markets). */
  events: number;
  marketsWithoutDefinition: number;
  updatesPushed: number;
  sinkErrors: number;
  /** Clock time of the last update pushed to the sink. */
  lastUpdateAt: number | null;
  orderMarkets: number;
  orderClk: string | null;
}

/** The Betfair stream pipeline: lines or messages in, model updates out to the sink. */
export interface BetfairPipeline {
  handleLine(line: string): void;
  handleMessage(msg: unknown): void;
  readonly listener: BetfairStreamListener;
  readonly stream: MarketStream;
  readonly orders: OrderStream;
  status(): BetfairPipelineStatus;
}

/**
 * Wires listener → market/order stream → caches → normalizer → sink. Fed by the live TLS client, the
 * simulator's stream and historical replays alike. Per message, every touched market yields one market
 * update; an event update comes first when the market is new or its definition changed.
 */
export function createBetfairPipeline(opts: BetfairPipelineOptions): BetfairPipeline {
  const log = opts.logger ?? silentLogger;
  const clock = opts.clock ?? Date.now;
  const events = new EventIndex();
  const counters = { updatesPushed: 0, sinkErrors: 0, lastUpdateAt: null as number | null };
  const normalizer = new MarketNormalizer(opts.source);

  const onMarkets = (touched: MarketTouch[], _msg: MarketChangeMessage): void => {
    const updates: SourceUpdate[] = [];
    for (let i = 0; i < touched.length; i++) {
      const t = touched[i] as MarketTouch;
      const siblings = t.definitionChanged ? events.siblings(t.cache, stream) : undefined;
      normalizer.append(updates, t.cache, t.raw, t.definitionChanged, siblings);
    }
    if (updates.length === 0) return;
    counters.updatesPushed += updates.length;
    counters.lastUpdateAt = stream.lastMessageAt ?? clock();
    try {
      opts.sink(updates);
    } catch (err) {
      counters.sinkErrors++;
      log.error({ err, source: opts.source }, 'betfair pipeline: sink failed');
    }
  };

  const stream = new MarketStream({
    onChange: onMarkets,
    logger: log,
    clock,
    ...(opts.closedMarketTtlMs !== undefined ? { closedMarketTtlMs: opts.closedMarketTtlMs } : {}),
    onForget: (cache) => events.forget(cache),
    ...(opts.maxLatencyMs !== undefined ? { maxLatencyMs: opts.maxLatencyMs } : {}),
  });
  const orders = new OrderStream(opts.onOrderChange);
  const listener = new BetfairStreamListener({
    marketStream: stream,
    orderStream: orders,
    logger: log,
    ...(opts.onMalformed ? { onMalformed: opts.onMalformed } : {}),
    ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
  });

  return {
    handleLine: (line) => listener.handleLine(line),
    handleMessage: (msg) => listener.handleMessage(msg),
    listener,
    stream,
    orders,
    status: () => pipelineStatus(listener, stream, orders, counters, events.size),
  };
}

function pipelineStatus(
  listener: BetfairStreamListener,
  stream: MarketStream,
  orders: OrderStream,
  counters: { updatesPushed: number; sinkErrors: number; lastUpdateAt: number | null },
  events: number,
): BetfairPipelineStatus {
  const s = stream.counters();
  return {
    frames: listener.frames,
    markets: s.markets,
    clk: listener.market.clk,
    initialClk: listener.market.initialClk,
    subscriptionId: listener.market.id,
    connectionId: listener.connectionId,
    lastPt: s.lastPt,
    latencyMs: s.latencyMs,
    degraded: listener.degraded,
    streamStatus: listener.market.status ?? listener.order.status,
    malformed: listener.malformed,
    lastMalformed: listener.lastMalformed,
    lastError: listener.lastError,
    connectionClosed: listener.connectionClosed,
    heartbeats: listener.market.heartbeats,
    images: s.images,
    conflated: s.conflated,
    evicted: s.evicted,
    events,
    marketsWithoutDefinition: s.withoutDefinition,
    updatesPushed: counters.updatesPushed,
    sinkErrors: counters.sinkErrors,
    lastUpdateAt: counters.lastUpdateAt,
    orderMarkets: orders.size,
    orderClk: listener.order.clk,
  };
}

/**
 * Event id → its market ids, to combine an event's status over its markets. A market leaves it when the
 * stream forgets its cache, and an event with it when it has no market left (it kept every event ever seen).
 */
class EventIndex {
  private readonly byEvent = new Map<string, Set<string>>();

  /** Events indexed. */
  get size(): number {
    return this.byEvent.size;
  }

  /** The stream forgot a market. */
  forget(market: MarketCache): void {
    const eventId = market.definition?.eventId;
    if (eventId === undefined) return;
    const key = String(eventId);
    const ids = this.byEvent.get(key);
    if (!ids?.delete(market.marketId) || ids.size > 0) return;
    this.byEvent.delete(key);
  }

  /** Records the market under its event and returns the definitions of the event's other markets. */
  siblings(market: MarketCache, stream: MarketStream): MarketDefinition[] {
    const eventId = market.definition?.eventId;
    if (eventId === undefined) return [];
    const key = String(eventId);
    let ids = this.byEvent.get(key);
    if (!ids) this.byEvent.set(key, (ids = new Set()));
    ids.add(market.marketId);
    const out: MarketDefinition[] = [];
    for (const id of ids) {
      if (id === market.marketId) continue;
      const cache = stream.get(id);
      if (!cache) ids.delete(id);
      else if (cache.definition) out.push(cache.definition);
    }
    return out;
  }
}
