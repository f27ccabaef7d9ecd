import type { RawData } from 'ws';
import { secretMatcher } from '../http/auth.js';
import { CloseCode, ErrorCode } from './close-codes.js';
import type { ClientConnection } from './connection.js';
import type { Broker, ConnectInfo } from './broker.js';
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

function keyAccepted(broker: Broker, given: unknown): boolean {
  const auth = broker.authenticate;
  if (auth) return typeof given === 'string' && auth(given);
  return keyMatcher(broker.apiKeys)(given);
}

/**
 * One client's protocol state: authentication (API key in the query or a `login` frame within the
 * timeout), the per-key/IP connection slot, inbound flood limits, and dispatch of actions to the broker.
 */
export class ClientSession {
  private authed: boolean;
  private slot: string | null = null;
  private loginTimer: NodeJS.Timeout | null = null;
  private frameWindowStart = 0;
  private framesInWindow = 0;
  private errorWindowStart = 0;
  private errorsInWindow = 0;

  constructor(
    readonly conn: ClientConnection,
    private readonly broker: Broker,
    private readonly info: ConnectInfo,
  ) {
    this.authed = !broker.authRequired;
  }

  /** Checks the key and the connection limit, greets the client and starts reading its frames. */
  start(): void {
    const { conn, broker } = this;
    conn.ws.on('pong', () => (conn.alive = true));
    conn.ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    if (broker.authRequired && this.info.apiKey !== undefined) {
      if (!keyAccepted(broker, this.info.apiKey)) return conn.close(CloseCode.AUTH_FAILED);
      this.authed = true;
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
    });
  }

  /** Releases the connection slot and timers (the socket closed). */
  dispose(): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.slot) this.broker.limiter.release(this.slot);
    this.slot = null;
    this.conn.dispose();
  }

  /** The limiter key: the API key once known, else the client IP. */
  private slotKey(): string {
    return this.broker.authRequired && this.authed && this.info.apiKey !== undefined
      ? `key:${this.info.apiKey}`
      : `ip:${this.info.ip}`;
  }

  private takeSlot(): boolean {
    const key = this.slotKey();
    if (this.slot === key) return true;
    if (!this.broker.limiter.acquire(key)) {
      this.conn.close(CloseCode.TOO_MANY_CONNECTIONS);
      return false;
    }
    if (this.slot) this.broker.limiter.release(this.slot);
    this.slot = key;
    return true;
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    const conn = this.conn;
    conn.alive = true;
    if (conn.isClosing) return;
    if (!this.countFrame()) return conn.close(CloseCode.FLOOD);
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
    const err = this.dispatch(parsed);
    if (err) this.refuse({ action: parsed.action, ...err });
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

  private login(apiKey: string, id: RequestId | undefined): null {
    if (this.broker.authRequired) {
      if (!keyAccepted(this.broker, apiKey)) {
        this.conn.close(CloseCode.AUTH_FAILED);
        return null;
      }
      this.info.apiKey = apiKey;
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

function omitUndefined(err: ProtocolError): { id?: RequestId; action?: string } {
  return { ...(err.id !== undefined ? { id: err.id } : {}), ...(err.action ? { action: err.action } : {}) };
}
