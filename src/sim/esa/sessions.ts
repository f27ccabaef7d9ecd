/**
 * Accounts and session tokens of the simulated Betfair endpoints: one app key, one user, session tokens
 * issued by login and accepted by the stream and the JSON-RPC API until they expire (keepAlive extends
 * them) or are invalidated on command.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  appKey?: string;
  username?: string;
  password?: string;
  /** Session lifetime without keepAlive. Default 12 h (Betfair's international default). */
  ttlMs?: number;
  now?: Clock;
}

/** Why a session check failed, as the stream and the API name it. */
export type SessionProblem = 'NO_APP_KEY' | 'INVALID_APP_KEY' | 'NO_SESSION' | 'INVALID_SESSION_INFORMATION';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Credentials and live sessions. */
export class SessionStore {
  readonly appKey: string;
  readonly username: string;
  readonly password: string;
  readonly ttlMs: number;
  private readonly now: Clock;
  private readonly sessions = new Map<string, number>();
  /** Counters for tests and the admin route. */
  readonly stats = { logins: 0, certLogins: 0, keepAlives: 0, failedLogins: 0 };

  constructor(opts: SessionStoreOptions = {}) {
    this.appKey = opts.appKey ?? `simAppKey${randomBytes(6).toString('hex')}`;
    this.username = opts.username ?? 'sim-user';
    this.password = opts.password ?? randomBytes(9).toString('base64url');
    this.ttlMs = opts.ttlMs ?? 12 * 3_600_000;
    this.now = opts.now ?? Date.now;
  }

  /** Issues a new session token. */
  issue(): string {
    const token = randomBytes(24).toString('base64');
    this.sessions.set(token, this.now() + this.ttlMs);
    return token;
  }

  /** True for the configured username and password. */
  checkPassword(username: string, password: string): boolean {
    return safeEqual(username, this.username) && safeEqual(password, this.password);
  }

  /** Checks an app key and session as both the stream and the API do; null when both are good. */
  check(appKey: string | undefined, session: string | undefined): SessionProblem | null {
    if (!appKey) return 'NO_APP_KEY';
    if (!safeEqual(appKey, this.appKey)) return 'INVALID_APP_KEY';
    if (!session) return 'NO_SESSION';
    return this.valid(session) ? null : 'INVALID_SESSION_INFORMATION';
  }

  /** True while the session exists and has not expired. */
  valid(session: string): boolean {
    const until = this.sessions.get(session);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.sessions.delete(session);
    return false;
  }

  /** Extends a live session by the lifetime; false when it is unknown or expired. */
  keepAlive(session: string): boolean {
    if (!this.valid(session)) return false;
    this.sessions.set(session, this.now() + this.ttlMs);
    this.stats.keepAlives++;
    return true;
  }

  /** Ends a session. */
  logout(session: string): boolean {
    return this.sessions.delete(session);
  }

  /** Invalidates every session (fault injection: "the session expired"). */
  expireAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }
}
