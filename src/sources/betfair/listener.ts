import type {
  ChangeMessageBase,
  ConnectionMessage,
  MarketChangeMessage,
  OrderChangeMessage,
  StatusMessage,
} from './protocol.js';
import { BETFAIR_DEFAULTS, silentLogger, type BetfairLogger, type ChangeStream } from './types.js';

/** A line or message the listener could not use. */
export interface MalformedReport {
  /** Malformed frames so far (this one included). */
  count: number;
  error: string;
  /** The start of the offending line (or of its JSON). */
  excerpt: string;
}

/** Protocol state of one subscription (market or order) on the connection. */
export interface SubscriptionState {
  /** `id` of the subscription request the messages answer (absent in historical files). */
  id: number | null;
  initialClk: string | null;
  /** Latest clock: resubscribe with it to receive only what was missed. */
  clk: string | null;
  conflateMs: number | null;
  heartbeatMs: number | null;
  messages: number;
  heartbeats: number;
  /** Segmented messages reassembled (SEG_START … SEG_END). */
  segmented: number;
  /** The last change message carried `status` (503: the stream is degraded, keep the connection). */
  degraded: boolean;
  status: number | null;
}

/** The last error status Betfair sent. */
export interface StreamError {
  statusCode: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  connectionClosed: boolean;
  connectionId: string | null;
}

/** Options of {@link BetfairStreamListener}. */
export interface ListenerOptions {
  marketStream?: ChangeStream<MarketChangeMessage>;
  orderStream?: ChangeStream<OrderChangeMessage>;
  logger?: BetfairLogger;
  onMalformed?: (report: MalformedReport) => void;
  onStatus?: (msg: StatusMessage) => void;
  onConnection?: (msg: ConnectionMessage) => void;
}

function newSubscription(): SubscriptionState {
  return {
    id: null,
    initialClk: null,
    clk: null,
    conflateMs: null,
    heartbeatMs: null,
    messages: 0,
    heartbeats: 0,
    segmented: 0,
    degraded: false,
    status: null,
  };
}

type ChangeMessage = MarketChangeMessage | OrderChangeMessage;

/**
 * First stage of listener → stream → cache: parses stream lines, tracks the connection and each
 * subscription's protocol state (id, clocks, segmentation, 503 degradation, error statuses) and dispatches
 * change messages by `op` and `ct` to the market or order stream. Never throws: bad input is counted and
 * reported through `onMalformed` and the logger.
 */
export class BetfairStreamListener {
  connectionId: string | null = null;
  readonly market: SubscriptionState = newSubscription();
  readonly order: SubscriptionState = newSubscription();
  /** The last `op: "status"` message. */
  lastStatus: StatusMessage | null = null;
  /** The last FAILURE status. */
  lastError: StreamError | null = null;
  /** Betfair said it closed the connection (`connectionClosed: true`). */
  connectionClosed = false;
  frames = 0;
  malformed = 0;
  lastMalformed: MalformedReport | null = null;
  private readonly segments: Record<'mcm' | 'ocm', ChangeMessage[] | null> = { mcm: null, ocm: null };

  constructor(private readonly opts: ListenerOptions = {}) {}

  /** True while the last change message of either subscription carried a `status` (e.g. 503). */
  get degraded(): boolean {
    return this.market.degraded || this.order.degraded;
  }

  /** Handles one line of the stream (one JSON message). */
  handleLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch (err) {
      this.frames++;
      this.reportMalformed(err instanceof Error ? err.message : String(err), line);
      return;
    }
    this.handleMessage(msg);
  }

  /** Handles one already-parsed message. */
  handleMessage(msg: unknown): void {
    this.frames++;
    if (typeof msg !== 'object' || msg === null || typeof (msg as { op?: unknown }).op !== 'string') {
      this.reportMalformed('not a stream message (no "op")', msg);
      return;
    }
    try {
      this.dispatch(msg as { op: string });
    } catch (err) {
      this.reportMalformed(`processing failed: ${err instanceof Error ? err.message : String(err)}`, msg);
    }
  }

  private dispatch(msg: { op: string }): void {
    switch (msg.op) {
      case 'mcm':
        return this.onChange(msg as MarketChangeMessage, this.market, this.opts.marketStream);
      case 'ocm':
        return this.onChange(msg as OrderChangeMessage, this.order, this.opts.orderStream);
      case 'connection':
        return this.onConnection(msg as ConnectionMessage);
      case 'status':
        return this.onStatus(msg as StatusMessage);
      default:
        return; // other subscriptions (race, cricket) are not consumed
    }
  }

  private onConnection(msg: ConnectionMessage): void {
    this.connectionId = typeof msg.connectionId === 'string' ? msg.connectionId : null;
    this.connectionClosed = false;
    this.opts.logger?.info({ connectionId: this.connectionId }, 'betfair stream connected');
    this.opts.onConnection?.(msg);
  }

  private onStatus(msg: StatusMessage): void {
    this.lastStatus = msg;
    if (msg.connectionClosed === true) this.connectionClosed = true;
    if (msg.statusCode === 'FAILURE') {
      this.lastError = {
        statusCode: msg.statusCode,
        errorCode: msg.errorCode ?? null,
        errorMessage: msg.errorMessage ?? null,
        connectionClosed: msg.connectionClosed === true,
        connectionId: msg.connectionId ?? this.connectionId,
      };
      (this.opts.logger ?? silentLogger).error({ ...this.lastError }, 'betfair stream status FAILURE');
    }
    this.opts.onStatus?.(msg);
  }

  private onChange<M extends ChangeMessage>(
    msg: M,
    sub: SubscriptionState,
    stream: ChangeStream<M> | undefined,
  ): void {
    this.trackStatus(msg, sub);
    const whole = msg.segmentType ? (this.reassemble(msg) as M | null) : msg;
    if (!whole) return;
    sub.messages++;
    updateSubscription(sub, whole);
    if (!stream) return;
    switch (whole.ct) {
      case 'SUB_IMAGE':
        return stream.onSubscribe(whole);
      case 'RESUB_DELTA':
        return stream.onResubscribe(whole);
      case 'HEARTBEAT':
        sub.heartbeats++;
        return stream.onHeartbeat(whole);
      default:
        return stream.onUpdate(whole);
    }
  }

  private trackStatus(msg: ChangeMessageBase, sub: SubscriptionState): void {
    const status = typeof msg.status === 'number' ? msg.status : null;
    if (status !== null && !sub.degraded) {
      (this.opts.logger ?? silentLogger).warn({ status }, 'betfair stream degraded (keeping the connection)');
    }
    sub.degraded = status !== null;
    sub.status = status;
  }

  /** Buffers SEG_START/SEG frames; at SEG_END returns the whole message, else null. */
  private reassemble(msg: ChangeMessage): ChangeMessage | null {
    const key = msg.op;
    const buffered = this.segments[key];
    if (msg.segmentType === 'SEG_START') {
      if (buffered) this.reportMalformed('segmented message interrupted by a new SEG_START', buffered[0]);
      this.segments[key] = [msg];
      return null;
    }
    if (!buffered) {
      this.reportMalformed(`${msg.segmentType} without SEG_START`, msg);
      return null;
    }
    buffered.push(msg);
    if (msg.segmentType !== 'SEG_END') return null;
    this.segments[key] = null;
    (key === 'mcm' ? this.market : this.order).segmented++;
    return mergeSegments(buffered);
  }

  private reportMalformed(error: string, input: unknown): void {
    this.malformed++;
    const text = typeof input === 'string' ? input : safeStringify(input);
    const report = {
      count: this.malformed,
      error,
      excerpt: text.slice(0, BETFAIR_DEFAULTS.malformedExcerpt),
    };
    this.lastMalformed = report;
    if (this.malformed <= BETFAIR_DEFAULTS.malformedLogFirst || this.malformed % 1000 === 0) {
      (this.opts.logger ?? silentLogger).warn(report, 'betfair stream: malformed frame skipped');
    }
    this.opts.onMalformed?.(report);
  }
}

function updateSubscription(sub: SubscriptionState, msg: ChangeMessageBase): void {
  if (typeof msg.id === 'number') sub.id = msg.id;
  if (msg.initialClk) sub.initialClk = msg.initialClk;
  if (msg.clk) sub.clk = msg.clk;
  if (typeof msg.conflateMs === 'number') sub.conflateMs = msg.conflateMs;
  if (typeof msg.heartbeatMs === 'number') sub.heartbeatMs = msg.heartbeatMs;
}

/** Joins segments: the first one's header, every segment's changes, the last clocks and publish time. */
function mergeSegments(parts: ChangeMessage[]): ChangeMessage {
  const first = parts[0] as ChangeMessage;
  const merged: Record<string, unknown> = { ...first, segmentType: undefined };
  const listKey = first.op === 'mcm' ? 'mc' : 'oc';
  const changes: unknown[] = [];
  for (const p of parts) {
    const list = (p as unknown as Record<string, unknown>)[listKey];
    if (Array.isArray(list)) for (const c of list) changes.push(c);
    if (p.clk) merged.clk = p.clk;
    if (p.initialClk) merged.initialClk = p.initialClk;
    if (typeof p.pt === 'number') merged.pt = p.pt;
  }
  merged[listKey] = changes;
  return merged as unknown as ChangeMessage;
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
