import { createHash } from 'node:crypto';
import type { RawData } from 'ws';
import type { ApiKeyEntry } from '../config/operations.js';
import { secretMatcher } from '../core/auth.js';
import { CloseCode, ErrorCode } from './close-codes.js';
import type { ClientConnection } from './connection.js';
import type { Broker, ConnectInfo, RequestVerdict } from './broker.js';
import {
  isProtocolError,
  parseClientFrame,
  type ClientAction,
  type ProtocolError,
  type RequestId,
} from './protocol.js';

const ERROR_WINDOW_MS = 60_000;
const matchers = new WeakMap<readonly string[], (given: unknown) => boolean>();

function keyMatcher(keys: readonly string[]): (given: unknown) => boolean {
  let m = matchers.get(keys);
  if (!m) matchers.set(keys, (m = secretMatcher(keys)));
  return m;
}

/** An accepted API key as a session holds it: its limiter slot (by digest) and its entry, when known. */
interface KeyIdentity {
  slot: string;
  entry: ApiKeyEntry | null;
}

/** The identity of a presented key, or null when it is not accepted. */
function identify(broker: Broker, given: unknown): KeyIdentity | null {
  if (typeof given !== 'string') return null;
  const { identify: byEntry, authenticate } = broker;
  if (byEntry) {
    const entry = byEntry(given);
    return entry ? { slot: `key:${entry.sha256}`, entry } : null;
  }
  const ok = authenticate ? authenticate(given) : keyMatcher(broker.apiKeys)(given);
  return ok ? { slot: `key:${createHash('sha256').update(given, 'utf8').digest('hex')}`, entry: null } : null;
}

/** Actions that read data (like REST requests): each counts against the key's rate limit. */
type RequestAction = Extract<ClientAction, { action: 'get_odds' | 'get_matches' | 'get_stats' }>;

function isRequest(a: ClientAction): a is RequestAction {
  return a.action === 'get_odds' || a.action === 'get_matches' || a.action === 'get_stats';
}

/**
 * One client's protocol state: authentication (one API key per connection: the `X-API-Key` header,
 * `?apiKey=` or a `login` frame within the timeout; two different ones are refused), the per-key (or, before
 * a key, per-IP) connection slot, the key's request rate limit, inbound flood limits, and dispatch of
 * actions to the broker. Frames are handled in order: while a request waits for its rate-limit verdict,
 * later frames wait too (a bounded number, see onFrame).
 */
export class ClientSession {
  private authed: boolean;
  /** The connection's API key, once presented and accepted. */
  private key: KeyIdentity | null = null;
  private slot: string | null = null;
  private loginTimer: NodeJS.Timeout | null = null;
  private frameWindowStart = 0;
  private framesInWindow = 0;
  private errorWindowStart = 0;
  private errorsInWindow = 0;
  /** Frames that arrived while a request waits for its rate-limit verdict (null: none waits). */
  private held: Array<{ data: RawData; isBinary: boolean }> | null = null;

  constructor(
    readonly conn: ClientConnection,
    private readonly broker: Broker,
    private readonly info: ConnectInfo,
  ) {
    this.authed = !broker.authRequired;
  }

  /** Checks the key and the connection limit, greets the client and starts reading its frames. */
  start(): void {
    const { conn, broker, info } = this;
    conn.ws.on('pong', () => (conn.alive = true));
    conn.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    if (broker.authRequired) {
      const given = new Set([info.headerKey, info.queryKey, info.apiKey].filter((k) => k !== undefined));
      if (given.size > 1) return this.conflict('the X-API-Key header and ?apiKey= name different keys');
      if (given.size === 1) {
        const key = identify(broker, given.values().next().value);
        if (!key) return conn.close(CloseCode.AUTH_FAILED);
        this.key = key;
        this.authed = true;
      }
    }
    if (!this.takeSlot()) return;
    if (!this.authed) {
      this.loginTimer = setTimeout(() => conn.close(CloseCode.LOGIN_TIMEOUT), broker.config.loginTimeoutMs);
      this.loginTimer.unref();
    }
    conn.send({
      type: 'connected',
      clientId: conn.id,
      stats: broker.stats(),
      auth: this.authed ? 'ok' : 'required',
      epoch: broker.epoch,
    });
  }

  /** Releases the connection slot and timers (the socket closed). */
  dispose(): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.slot) this.broker.limiter.release(this.slot);
    this.slot = null;
    this.held = null;
    this.conn.dispose();
  }

  /**
   * Takes the connection's slot: its API key's (`ws.maxConnectionsPerKey`, instance-wide) once known, else
   * its IP's (`ws.maxConnections`). Over the limit the connection is closed with 4029.
   */
  private takeSlot(): boolean {
    const { broker, key } = this;
    const slot = key ? key.slot : `ip:${this.info.ip}`;
    if (this.slot === slot) return true;
    const max = key ? broker.config.maxConnectionsPerKey : broker.config.maxConnections;
    if (!broker.limiter.acquire(slot, max)) {
      this.conn.close(
        CloseCode.TOO_MANY_CONNECTIONS,
        key ? `too many connections for this api key (${max})` : undefined,
      );
      return false;
    }
    if (this.slot) broker.limiter.release(this.slot);
    this.slot = slot;
    return true;
  }

  /** Refuses a second, different key: an AUTH_CONFLICT error, then close 4001. */
  private conflict(error: string, id?: RequestId): void {
    this.conn.send({
      type: 'error',
      error,
      code: ErrorCode.AUTH_CONFLICT,
      ...(id !== undefined ? { id } : {}),
    });
    this.conn.close(CloseCode.AUTH_FAILED, 'conflicting api keys');
  }

  /**
   * Counts an inbound frame against the flood limit and handles it, or holds it while a request waits for
   * its rate-limit verdict: at most `ws.maxInboundPerSec` frames are held; more closes with 4030.
   */
  private onFrame(data: RawData, isBinary: boolean): void {
    const conn = this.conn;
    conn.alive = true;
    if (conn.isClosing) return;
    if (!this.countFrame()) return conn.close(CloseCode.FLOOD);
    if (this.held) {
      if (this.held.length >= this.broker.config.maxInboundPerSec) return conn.close(CloseCode.FLOOD);
      this.held.push({ data, isBinary });
      return;
    }
    this.handle(data, isBinary);
  }

  /** Runs a request once the key's rate limit allowed it (RATE_LIMITED otherwise), then the held frames. */
  private afterCount(a: RequestAction, verdict: RequestVerdict | null): void {
    const held = this.held ?? [];
    this.held = null;
    if (this.conn.isClosing) return;
    if (verdict && !verdict.allowed) {
      this.refuse({
        code: ErrorCode.RATE_LIMITED,
        error: `rate limit exceeded: ${verdict.limit} requests per minute for this key; retry in ${verdict.retryAfterSec} s`,
        action: a.action,
        id: a.id,
        retryAfter: verdict.retryAfterSec,
      });
    } else this.run(a);
    for (let i = 0; i < held.length; i++) {
      if (this.conn.isClosing) return;
      if (this.held) {
        // A held request started its own check: the rest wait for that one, in order.
        (this.held as Array<{ data: RawData; isBinary: boolean }>).push(...held.slice(i));
        return;
      }
      const f = held[i] as { data: RawData; isBinary: boolean };
      this.handle(f.data, f.isBinary);
    }
  }

  private handle(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.refuse({ code: ErrorCode.BAD_FRAME, error: 'binary frames are not accepted' });
    const text = Array.isArray(data)
      ? Buffer.concat(data).toString('utf8')
      : Buffer.from(data as Buffer).toString('utf8');
    const parsed = parseClientFrame(text);
    if (isProtocolError(parsed)) return this.refuse(parsed);
    if (!this.authed && parsed.action !== 'login' && parsed.action !== 'ping') {
      return this.refuse({
        code: ErrorCode.AUTH_REQUIRED,
        error: 'send {"action":"login","apiKey"} first',
        ...idOf(parsed),
      });
    }
    const entry = this.key?.entry;
    const count = this.broker.countRequest;
    if (entry && count && isRequest(parsed)) {
      this.held = [];
      count(entry).then(
        (verdict) => this.afterCount(parsed, verdict),
        // The limiter's store is unreachable: requests pass, as on REST.
        () => this.afterCount(parsed, null),
      );
      return;
    }
    this.run(parsed);
  }

  private run(a: ClientAction): void {
    const err = this.dispatch(a);
    if (err) this.refuse({ action: a.action, ...err });
  }

  private dispatch(a: ClientAction): ProtocolError | null {
    const { conn, broker } = this;
    switch (a.action) {
      case 'subscribe':
        return broker.subscribe(conn, a);
      case 'unsubscribe':
        return broker.unsubscribe(conn, a.room, a.id);
      case 'get_stats':
        conn.send({ type: 'stats', data: broker.stats(), ...idOf(a) });
        return null;
      case 'get_matches': {
        const data = broker.matches();
        conn.send({ type: 'matches', count: data.length, data, ...idOf(a) });
        return null;
      }
      case 'get_odds': {
        const data = broker.odds(a.matchId);
        if (data === null)
          return { code: ErrorCode.NOT_FOUND, error: `unknown match "${a.matchId.slice(0, 64)}"`, id: a.id };
        conn.send({ type: 'odds', matchId: a.matchId, data, ...idOf(a) });
        return null;
      }
      case 'ping':
        conn.send({ type: 'pong', ts: Date.now(), ...idOf(a) });
        return null;
      case 'login':
        return this.login(a.apiKey, a.id);
    }
  }

  /**
   * `login`: the connection's key, unless it already has one (from the header, `?apiKey=` or an earlier
   * login): the same key again is a no-op, a different one is refused (AUTH_CONFLICT, close 4001).
   */
  private login(apiKey: string, id: RequestId | undefined): null {
    if (this.broker.authRequired) {
      const key = identify(this.broker, apiKey);
      if (!key) {
        this.conn.close(CloseCode.AUTH_FAILED);
        return null;
      }
      if (this.key && this.key.slot !== key.slot) {
        this.conflict('this connection already presented a different api key', id);
        return null;
      }
      this.key = key;
      this.authed = true;
      if (this.loginTimer) clearTimeout(this.loginTimer);
      if (!this.takeSlot()) return null;
    }
    this.conn.send({ type: 'login', ok: true, ...(id !== undefined ? { id } : {}) });
    return null;
  }

  /** Replies with an error; too many errors in a minute close the connection (4030). */
  private refuse(err: ProtocolError): void {
    const now = Date.now();
    if (now - this.errorWindowStart > ERROR_WINDOW_MS) {
      this.errorWindowStart = now;
      this.errorsInWindow = 0;
    }
    if (++this.errorsInWindow > this.broker.config.maxErrors) return this.conn.close(CloseCode.FLOOD);
    this.conn.send({ type: 'error', error: err.error, code: err.code, ...omitUndefined(err) });
  }

  /** Counts an inbound frame; false when over the per-second limit. */
  private countFrame(): boolean {
    const now = Date.now();
    if (now - this.frameWindowStart >= 1000) {
      this.frameWindowStart = now;
      this.framesInWindow = 0;
    }
    return ++this.framesInWindow <= this.broker.config.maxInboundPerSec;
  }
}

function idOf(a: { id?: RequestId }): { id?: RequestId } {
  return a.id === undefined ? {} : { id: a.id };
}

function omitUndefined(err: ProtocolError): { id?: RequestId; action?: string; retryAfter?: number } {
  return {
    ...(err.id !== undefined ? { id: err.id } : {}),
    ...(err.action ? { action: err.action } : {}),
    ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
  };
}
