/**
 * One client connection to the simulated Exchange Stream API: `connection` greeting, `authentication`
 * (app key + session), `heartbeat`, `marketSubscription` (SUB_IMAGE, or RESUB_DELTA with initialClk/clk)
 * and `orderSubscription`, answering every request with a `status` whose errorCode and connectionClosed
 * follow the protocol. A connection with either subscription is not idle (an order-only connection stays
 * open and gets `ocm` heartbeats).
 */
import { randomBytes } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { EsaHub, HubEntry } from './hub.js';
import { decodeClk, MarketFeed, type FeedSettings } from './market-feed.js';
import type { SimOrders } from './orders.js';
import type { SessionStore } from './sessions.js';
import { matchesFilter, parseMarketSubscription, parseOrderSubscription } from './subscription.js';
import { LineReader } from './line-reader.js';
import { LineWriter } from './writer.js';

/** Faults the server may inject into a connection's requests. */
export interface RequestFaults {
  /** Error code to refuse the next authentication with, if any (consumed). */
  takeRefusal(): string | null;
  /** True when the next resubscription with a clock is to be answered INVALID_CLOCK (consumed). */
  takeInvalidClock(): boolean;
  /** The stream is degraded (status 503). */
  readonly degraded: boolean;
}

/** What a connection needs from its server. */
export interface ConnectionContext {
  hub: EsaHub;
  sessions: SessionStore;
  orders: SimOrders;
  faults: RequestFaults;
  feed: FeedSettings;
  /** Not authenticated and subscribed within this long: TIMEOUT, closed. */
  authTimeoutMs: number;
  /** Most markets one subscription may cover. */
  subscriptionLimit: number;
  maxConnectionsPerSession: number;
  /** Live connections authenticated with a session. */
  connectionsOf(session: string): number;
  /** Registers a subscription's market set under a new instance number (for later resubscriptions). */
  register(markets: Set<string>): number;
  /** The market set of an earlier subscription instance, if still known. */
  registered(instance: number): ReadonlySet<string> | null;
  onClose(conn: EsaConnection): void;
}

/** A stream connection on the server side. */
export class EsaConnection {
  readonly connectionId = `sim-${randomBytes(6).toString('hex')}`;
  readonly writer: LineWriter;
  session: string | null = null;
  feed: MarketFeed | null = null;
  stalled = false;
  requests = 0;
  private readonly reader: LineReader;
  private idleTimer: NodeJS.Timeout | null;
  private stopOrders: (() => void) | null = null;
  private orderHeartbeat: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    readonly socket: TLSSocket,
    private readonly ctx: ConnectionContext,
  ) {
    this.writer = new LineWriter(socket);
    this.reader = new LineReader((line) => this.onLine(line));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.reader.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.cleanup());
    this.idleTimer = setTimeout(() => this.idle(), ctx.authTimeoutMs);
    this.writeLine(JSON.stringify({ op: 'connection', connectionId: this.connectionId }));
  }

  /** Passes a hub entry to the market subscription. */
  onEntry(e: HubEntry): void {
    this.feed?.onEntry(e);
  }

  /** Stops all output, heartbeats included (fault: a stalled stream). */
  stall(): void {
    this.stalled = true;
    if (this.feed) this.feed.stalled = true;
  }

  private writeLine(line: string): void {
    if (!this.stalled) this.writer.write(line);
  }

  private status(id: unknown, extra: Record<string, unknown> = {}): void {
    const base: Record<string, unknown> = { op: 'status' };
    if (typeof id === 'number') base.id = id;
    this.writeLine(JSON.stringify({ ...base, statusCode: 'SUCCESS', connectionClosed: false, ...extra }));
  }

  private fail(id: unknown, errorCode: string, errorMessage: string, close = true): void {
    this.status(id, {
      statusCode: 'FAILURE',
      errorCode,
      errorMessage,
      connectionClosed: close,
      connectionId: this.connectionId,
    });
    if (close) this.close();
  }

  private close(): void {
    if (this.closing) return;
    this.closing = true;
    // Let the writer's queued pieces (split/merge modes) go out first.
    setTimeout(() => this.socket.end(), 20);
  }

  private onLine(line: string): void {
    if (this.closing) return;
    this.requests++;
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
      msg = parsed as Record<string, unknown>;
    } catch {
      return this.fail(undefined, 'INVALID_INPUT', 'Invalid JSON');
    }
    switch (msg.op) {
      case 'authentication':
        return this.authenticate(msg);
      case 'heartbeat':
        return this.session
          ? this.status(msg.id)
          : this.fail(msg.id, 'NOT_AUTHORIZED', 'Connection is not authenticated');
      case 'marketSubscription':
        return this.session
          ? this.subscribeMarkets(msg)
          : this.fail(msg.id, 'NOT_AUTHORIZED', 'Connection is not authenticated');
      case 'orderSubscription':
        return this.session
          ? this.subscribeOrders(msg)
          : this.fail(msg.id, 'NOT_AUTHORIZED', 'Connection is not authenticated');
      default:
        return this.fail(msg.id, 'INVALID_REQUEST', `Unknown op: ${String(msg.op)}`);
    }
  }

  private authenticate(msg: Record<string, unknown>): void {
    if (this.session) return this.fail(msg.id, 'INVALID_REQUEST', 'Connection is already authenticated');
    const refusal = this.ctx.faults.takeRefusal();
    if (refusal) return this.fail(msg.id, refusal, 'Authentication refused (simulated)');
    const appKey = typeof msg.appKey === 'string' ? msg.appKey : undefined;
    const session = typeof msg.session === 'string' ? msg.session : undefined;
    const problem = this.ctx.sessions.check(appKey, session);
    if (problem || !session) return this.fail(msg.id, problem ?? 'NO_SESSION', 'Authentication failed');
    const used = this.ctx.connectionsOf(session);
    if (used >= this.ctx.maxConnectionsPerSession) {
      return this.fail(
        msg.id,
        'MAX_CONNECTION_LIMIT_EXCEEDED',
        `At most ${this.ctx.maxConnectionsPerSession} connections`,
      );
    }
    this.session = session;
    this.status(msg.id, { connectionsAvailable: this.ctx.maxConnectionsPerSession - used - 1 });
  }

  private subscribeMarkets(msg: Record<string, unknown>): void {
    const parsed = parseMarketSubscription(msg);
    if ('error' in parsed) return this.fail(msg.id, 'INVALID_INPUT', parsed.error);
    const sub = parsed.sub;
    const hub = this.ctx.hub;
    let resume: Parameters<MarketFeed['start']>[0] = null;
    if (sub.clk !== null || sub.initialClk !== null) {
      const token = sub.clk === null ? null : decodeClk(sub.clk);
      if (this.ctx.faults.takeInvalidClock() || !token || sub.initialClk !== hub.initialClk) {
        return this.fail(sub.id, 'INVALID_CLOCK', 'Invalid clock');
      }
      resume = { entries: hub.since(token.clk), held: this.ctx.registered(token.instance) };
    }
    const markets = new Set(
      hub
        .marketIds()
        .filter((id) => matchesFilter(sub.filter, id, hub.state.markets.get(id)?.definition ?? null)),
    );
    if (markets.size > this.ctx.subscriptionLimit) {
      const text = `Subscription covers ${markets.size} markets; the limit is ${this.ctx.subscriptionLimit}`;
      return this.fail(sub.id, 'SUBSCRIPTION_LIMIT_EXCEEDED', text, false);
    }
    this.clearIdle();
    this.feed?.stop();
    const feed = new MarketFeed(
      sub,
      this.ctx.register(markets),
      markets,
      hub,
      (l) => this.writeLine(l),
      this.ctx.feed,
    );
    feed.stalled = this.stalled;
    this.feed = feed;
    this.status(sub.id);
    feed.start(resume);
    if (this.ctx.faults.degraded) feed.setDegraded(true);
  }

  private subscribeOrders(msg: Record<string, unknown>): void {
    const parsed = parseOrderSubscription(msg);
    if ('error' in parsed) return this.fail(msg.id, 'INVALID_INPUT', parsed.error);
    const { id, heartbeatMs, conflateMs } = parsed.sub;
    this.clearIdle();
    this.stopOrderFeed();
    this.status(id);
    const image = this.ctx.orders.image();
    let clk = image.clk;
    let sentAt = Date.now();
    const send = (m: object): void => {
      sentAt = Date.now();
      this.writeLine(JSON.stringify(m));
    };
    send({ ...image, id, conflateMs, heartbeatMs });
    const stop = this.ctx.orders.onChange((m) => {
      clk = m.clk;
      send({ ...m, id });
    });
    // Like the market stream: a heartbeat when nothing else was sent for heartbeatMs.
    this.orderHeartbeat = setInterval(
      () => {
        if (Date.now() - sentAt >= heartbeatMs)
          send({ op: 'ocm', id, clk, pt: this.ctx.feed.now(), ct: 'HEARTBEAT' });
      },
      Math.max(50, Math.floor(heartbeatMs / 2)),
    );
    this.stopOrders = stop;
  }

  private stopOrderFeed(): void {
    this.stopOrders?.();
    this.stopOrders = null;
    if (this.orderHeartbeat) clearInterval(this.orderHeartbeat);
    this.orderHeartbeat = null;
  }

  private idle(): void {
    this.idleTimer = null;
    if (!this.feed && !this.stopOrders)
      this.fail(
        undefined,
        'TIMEOUT',
        `Connection is not subscribed and is idle: ${this.ctx.authTimeoutMs} ms`,
      );
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private cleanup(): void {
    this.clearIdle();
    this.feed?.stop();
    this.stopOrderFeed();
    this.ctx.onClose(this);
  }
}
