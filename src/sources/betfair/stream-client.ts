/**
 * The Exchange Stream API client: connects over TLS, authenticates (app key + session), subscribes to
 * markets (and orders), watches heartbeats, and reconnects with exponential backoff and jitter, resuming
 * with the last `initialClk`/`clk` so Betfair answers with a RESUB_DELTA instead of a new image. Every
 * status error code is handled as the protocol defines it (see stream-errors.ts).
 *
 * It hands every line to `onLine` (the pipeline, a recorder) and learns about `status` messages from its
 * owner through {@link BetfairStreamClient.onStatus} (the pipeline's listener parses each line once).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff, type BackoffOptions } from '../../core/backoff.js';
import type { StatusMessage } from './protocol.js';
import { BetfairStreamError, classifyStreamError } from './stream-errors.js';
import { openStreamConnection, type StreamConnection } from './stream-connection.js';
import { StreamRequests } from './stream-requests.js';
import { silentLogger, type BetfairLogger } from './types.js';
import { OddsgateError } from '../../core/errors.js';

/** What the client needs of the session manager. */
export interface SessionSource {
  token(): Promise<string>;
  invalidate(token: string): void;
  readonly canLogin: boolean;
}

/** Options of {@link BetfairStreamClient}. */
export interface StreamClientOptions {
  host: string;
  port: number;
  /** PEM of the CA to trust instead of the system CAs. */
  ca?: string;
  servername?: string;
  appKey: string;
  session: SessionSource;
  /** The market filter to subscribe with now; null: nothing to stream (the client stays disconnected). */
  marketFilter: () => Record<string, unknown> | null;
  fields: readonly string[];
  ladderLevels: number;
  conflateMs: number;
  /** Heartbeat asked of Betfair; nothing received for twice this long → reconnect. */
  heartbeatMs: number;
  /** Subscribe to the order stream too. */
  orders?: boolean;
  /** The market subscription's clocks to resume from (null when there are none). */
  clocks: () => { initialClk: string | null; clk: string | null };
  /** Forgets the clocks (after INVALID_CLOCK the next subscription is a fresh one). */
  resetClocks: () => void;
  onLine: (line: string) => void;
  /** Betfair refused the subscription without closing (SUBSCRIPTION_LIMIT_EXCEEDED). */
  onSubscriptionRefused?: (status: StatusMessage) => void;
  /** The stream is subscribed (true) or not (false). */
  onState?: (state: StreamClientState) => void;
  backoff?: BackoffOptions;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  logger?: BetfairLogger;
}

/** Where the client is. */
export type StreamClientState = 'stopped' | 'idle' | 'connecting' | 'subscribed' | 'waiting';

/** Counters and last error, for status reports. */
export interface StreamClientStats {
  connects: number;
  disconnects: number;
  heartbeatTimeouts: number;
  subscriptions: number;
  /** Subscriptions sent with clocks (answered by a RESUB_DELTA). */
  resumed: number;
  invalidClocks: number;
  authFailures: number;
  refusedSubscriptions: number;
  lastError: string | null;
  lastErrorCode: string | null;
  lastErrorAt: number | null;
  connectedAt: number | null;
  disconnectedAt: number | null;
}

/** The stream client. */
export class BetfairStreamClient {
  private _state: StreamClientState = 'stopped';
  private conn: StreamConnection | null = null;
  private token: string | null = null;
  private readonly requests: StreamRequests;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wake: AbortController = new AbortController();
  private subscribing: Promise<void> | null = null;
  private readonly backoff: Backoff;
  private readonly log: BetfairLogger;
  readonly stats: StreamClientStats = {
    connects: 0,
    disconnects: 0,
    heartbeatTimeouts: 0,
    subscriptions: 0,
    resumed: 0,
    invalidClocks: 0,
    authFailures: 0,
    refusedSubscriptions: 0,
    lastError: null,
    lastErrorCode: null,
    lastErrorAt: null,
    connectedAt: null,
    disconnectedAt: null,
  };

  constructor(private readonly opts: StreamClientOptions) {
    this.backoff = new Backoff(opts.backoff);
    this.requests = new StreamRequests(opts.requestTimeoutMs ?? 10_000);
    this.log = opts.logger ?? silentLogger;
  }

  /** Current state. */
  get state(): StreamClientState {
    return this._state;
  }

  /** Reconnect attempts since the last good connection. */
  get attempts(): number {
    return this.backoff.attempts;
  }

  /** Starts connecting (in the background). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Disconnects and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    this.conn?.close();
    await this.loop;
    this.loop = null;
    this.setState('stopped');
  }

  /** The owner passes every `status` message here (answers to requests, and errors). */
  onStatus(msg: StatusMessage): void {
    if (!this.requests.answer(msg) && msg.statusCode === 'FAILURE') this.onFailure(msg);
  }

  /**
   * The wanted markets changed: a new subscription (with the clocks, so only what is new arrives as images)
   * replaces the current one on the open connection; idle, the client connects. Resolves once Betfair has
   * answered the new subscription (at once when there is no connection to resubscribe on).
   */
  resubscribe(): Promise<void> {
    if (this._state === 'idle') this.wake.abort();
    const conn = this.conn;
    if (this._state !== 'subscribed' || !conn) return Promise.resolve();
    const next = (this.subscribing ?? Promise.resolve())
      .then(() => (this.conn === conn ? this.subscribeMarkets(conn) : undefined))
      .catch((err: unknown) => {
        if (err instanceof StatusFailure) this.onFailure(err.status);
        else this.record(err, 'resubscription failed');
      })
      .finally(() => {
        if (this.subscribing === next) this.subscribing = null;
      });
    this.subscribing = next;
    return next;
  }

  private setState(s: StreamClientState): void {
    if (this._state === s) return;
    this._state = s;
    this.opts.onState?.(s);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (!this.opts.marketFilter()) {
        this.setState('idle');
        await this.pause(Infinity);
        continue;
      }
      const delay = await this.connectOnce();
      if (this.stopping) break;
      this.setState('waiting');
      await this.pause(delay);
    }
  }

  /** Waits `ms` (or until resubscribe()/stop() wakes the loop). */
  private async pause(ms: number): Promise<void> {
    if (this.wake.signal.aborted) this.wake = new AbortController();
    const signal = this.wake.signal;
    await (ms === Infinity
      ? new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }))
      : sleep(ms, undefined, { signal }).catch(() => undefined));
  }

  /** One connection from connect to close; returns the delay before the next attempt. */
  private async connectOnce(): Promise<number> {
    this.setState('connecting');
    let token: string;
    try {
      token = await this.opts.session.token();
    } catch (err) {
      this.record(err, 'no betfair session');
      return this.backoff.longest();
    }
    this.token = token;
    if (this.stopping) return 0;
    let conn: StreamConnection;
    try {
      conn = await openStreamConnection({
        host: this.opts.host,
        port: this.opts.port,
        onLine: this.opts.onLine,
        ...(this.opts.ca ? { ca: this.opts.ca } : {}),
        ...(this.opts.servername ? { servername: this.opts.servername } : {}),
        ...(this.opts.connectTimeoutMs ? { connectTimeoutMs: this.opts.connectTimeoutMs } : {}),
      });
    } catch (err) {
      this.record(err, 'betfair stream connect failed');
      return this.backoff.next();
    }
    // stop() came while connecting: it had no connection to close, so nothing would end this one.
    if (this.stopping) {
      conn.close();
      return 0;
    }
    this.conn = conn;
    this.stats.connects++;
    // Requests in flight fail as soon as the connection is gone, not when their timeout expires.
    void conn.closed.then(() =>
      this.requests.failAll(new BetfairStreamError('DISCONNECTED', 'connection closed'), conn),
    );
    const watchdog = this.startWatchdog(conn);
    try {
      return await this.serve(conn, token);
    } catch (err) {
      if (err instanceof StatusFailure) return this.afterFailure(err.status, conn);
      this.record(err, 'betfair stream request failed');
      return this.backoff.next();
    } finally {
      clearInterval(watchdog);
      conn.close();
      this.conn = null;
      this.requests.failAll(new BetfairStreamError('DISCONNECTED', 'connection closed'));
      this.stats.disconnects++;
      this.stats.disconnectedAt = Date.now();
      if (this._state === 'subscribed') this.setState('waiting');
    }
  }

  /** Authenticates and subscribes, then waits for the connection to end. */
  private async serve(conn: StreamConnection, token: string): Promise<number> {
    const auth = await this.request(conn, { op: 'authentication', appKey: this.opts.appKey, session: token });
    if (auth.statusCode !== 'SUCCESS') throw new StatusFailure(auth);
    await this.subscribeMarkets(conn);
    if (this.opts.orders) {
      const st = await this.request(conn, {
        op: 'orderSubscription',
        orderFilter: { includeOverallPosition: false },
        segmentationEnabled: true,
      });
      if (st.statusCode !== 'SUCCESS') this.onFailure(st);
    }
    this.stats.connectedAt = Date.now();
    this.backoff.reset();
    this.setState('subscribed');
    this.log.info({ connects: this.stats.connects }, 'betfair stream subscribed');
    const reason = await conn.closed;
    if (this.stopping) return 0;
    this.record(
      reason ?? new BetfairStreamError('CLOSED', 'connection closed by Betfair'),
      'betfair stream disconnected',
    );
    return this.backoff.next();
  }

  private async subscribeMarkets(conn: StreamConnection): Promise<void> {
    const filter = this.opts.marketFilter();
    if (!filter) {
      conn.close();
      return;
    }
    const { initialClk, clk } = this.opts.clocks();
    const resume = initialClk !== null && clk !== null;
    const msg = {
      op: 'marketSubscription',
      marketFilter: filter,
      marketDataFilter: { fields: [...this.opts.fields], ladderLevels: this.opts.ladderLevels },
      conflateMs: this.opts.conflateMs,
      heartbeatMs: this.opts.heartbeatMs,
      segmentationEnabled: true,
      ...(resume ? { initialClk, clk } : {}),
    };
    this.stats.subscriptions++;
    if (resume) this.stats.resumed++;
    const st = await this.request(conn, msg);
    if (st.statusCode === 'SUCCESS') return;
    const { closes } = classifyStreamError(st.errorCode);
    if (st.connectionClosed === true || closes) throw new StatusFailure(st);
    this.onFailure(st);
  }

  private request(conn: StreamConnection, msg: Record<string, unknown>): Promise<StatusMessage> {
    return this.requests.send(conn, msg);
  }

  private startWatchdog(conn: StreamConnection): NodeJS.Timeout {
    const limit = 2 * this.opts.heartbeatMs;
    return setInterval(
      () => {
        if (this._state !== 'subscribed' || Date.now() - conn.lastReceivedAt <= limit) return;
        this.stats.heartbeatTimeouts++;
        conn.close(new BetfairStreamError('HEARTBEAT_TIMEOUT', `nothing received for ${limit} ms`));
      },
      Math.max(100, Math.floor(this.opts.heartbeatMs / 4)),
    );
  }

  /** An error status outside a request: acts on its code, closing when Betfair closes. */
  private onFailure(st: StatusMessage): void {
    const { action, closes } = classifyStreamError(st.errorCode);
    this.recordStatus(st);
    if (action === 'report') {
      this.stats.refusedSubscriptions++;
      this.opts.onSubscriptionRefused?.(st);
    }
    if (action === 'fresh') this.freshNext();
    if (action === 'relogin' && this.token) this.opts.session.invalidate(this.token);
    if (st.connectionClosed === true || (st.connectionClosed === undefined && closes)) {
      this.conn?.close(
        new BetfairStreamError(st.errorCode ?? 'FAILURE', st.errorMessage ?? 'closed by Betfair'),
      );
    }
  }

  /** A request was refused and the connection closes: decides the delay before reconnecting. */
  private afterFailure(st: StatusMessage, conn: StreamConnection): number {
    const { action } = classifyStreamError(st.errorCode);
    this.recordStatus(st);
    conn.close();
    switch (action) {
      case 'relogin':
        if (this.token) this.opts.session.invalidate(this.token);
        return this.opts.session.canLogin ? this.backoff.next() : this.backoff.longest();
      case 'fatal':
        this.stats.authFailures++;
        return this.backoff.longest();
      case 'fresh':
        this.freshNext();
        return 0;
      default:
        return this.backoff.next();
    }
  }

  private freshNext(): void {
    this.stats.invalidClocks++;
    this.opts.resetClocks();
    this.log.warn({}, 'betfair stream clock refused (INVALID_CLOCK): subscribing afresh');
  }

  private recordStatus(st: StatusMessage): void {
    const code = st.errorCode ?? 'FAILURE';
    this.stats.lastErrorCode = code;
    this.stats.lastError = `${code}: ${st.errorMessage ?? ''}`.trim();
    this.stats.lastErrorAt = Date.now();
    this.log.warn(
      { errorCode: code, errorMessage: st.errorMessage, connectionClosed: st.connectionClosed },
      'betfair stream status error',
    );
  }

  private record(err: unknown, msg: string): void {
    const code = (err as { code?: unknown })?.code;
    this.stats.lastErrorCode = typeof code === 'string' ? code : 'ERROR';
    this.stats.lastError = err instanceof Error ? err.message : String(err);
    this.stats.lastErrorAt = Date.now();
    this.log.warn({ code: this.stats.lastErrorCode, error: this.stats.lastError }, msg);
  }
}

/** A request answered with FAILURE. */
class StatusFailure extends OddsgateError {
  constructor(readonly status: StatusMessage) {
    super(status.errorCode ?? 'FAILURE', `${status.errorCode ?? 'FAILURE'}: ${status.errorMessage ?? ''}`);
  }
}
