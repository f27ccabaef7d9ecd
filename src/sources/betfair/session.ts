/**
 * The Betfair session token: given, or obtained by interactive login (username + password) or certificate
 * login (client certificate + username + password), kept alive before it expires, and replaced by a new
 * login when Betfair says it is invalid. Shared by the stream client and the JSON-RPC catalogue.
 */
import { Agent, type Dispatcher } from 'undici';
import { silentLogger, type BetfairLogger } from './types.js';
import type { Clock } from '../../core/clock.js';
import { OddsgateError } from '../../core/errors.js';

/** Options of {@link BetfairSession}. */
export interface BetfairSessionOptions {
  appKey: string;
  /** A token to start with (BETFAIR_SESSION_TOKEN); replaced by a login when it dies, if credentials exist. */
  sessionToken?: string;
  username?: string;
  password?: string;
  /** PEM contents of the client certificate and key (certificate login). */
  cert?: string;
  key?: string;
  /** PEM of the CA to trust instead of the system CAs (simulator). */
  ca?: string;
  /** Base of the interactive identity endpoints (`/login`, `/keepAlive`, `/logout` are appended). */
  identityUrl: string;
  /** Base of the certificate login endpoint (`/certlogin` is appended). */
  identityCertUrl: string;
  /** keepAlive is sent this often (well inside Betfair's 12 h session lifetime). Default 1 h. */
  keepAliveMs?: number;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  logger?: BetfairLogger;
  clock?: Clock;
}

/** A login or keep-alive failure, `code` as Betfair names it (INVALID_USERNAME_OR_PASSWORD, ...). */
export class BetfairSessionError extends OddsgateError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'BetfairSessionError';
  }
}

/** How the current token was obtained. */
export type SessionMethod = 'token' | 'interactive' | 'certificate';

/** Session token manager. */
export class BetfairSession {
  private current: string | null;
  private method: SessionMethod | null;
  private pending: Promise<string> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly agent: Dispatcher;
  private readonly certAgent: Dispatcher | null;
  private readonly log: BetfairLogger;
  private readonly clock: Clock;
  readonly stats = { logins: 0, keepAlives: 0, failures: 0, invalidated: 0 };
  lastError: string | null = null;
  loggedInAt: number | null = null;
  lastKeepAliveAt: number | null = null;

  constructor(private readonly opts: BetfairSessionOptions) {
    this.current = opts.sessionToken ?? null;
    this.method = opts.sessionToken ? 'token' : null;
    this.log = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? Date.now;
    const connect = opts.ca ? { ca: opts.ca } : {};
    this.agent = new Agent({ connect, keepAliveTimeout: 30_000 });
    this.certAgent =
      opts.cert && opts.key ? new Agent({ connect: { ...connect, cert: opts.cert, key: opts.key } }) : null;
  }

  /** True when a new token can be obtained (username and password configured). */
  get canLogin(): boolean {
    return Boolean(this.opts.username && this.opts.password);
  }

  /** The current token, logging in first when there is none. Concurrent callers share one login. */
  async token(): Promise<string> {
    if (this.current) return this.current;
    this.pending ??= this.login().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Betfair refused `token`: forget it so the next token() logs in again. */
  invalidate(token: string): void {
    if (this.current !== token) return;
    this.current = null;
    this.stats.invalidated++;
    this.log.warn({ method: this.method }, 'betfair session invalid: logging in again');
  }

  /** Starts the keep-alive timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.keepAlive(), this.opts.keepAliveMs ?? 3_600_000);
    this.timer.unref();
  }

  /** Stops the keep-alive timer and closes connections. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([this.agent.close(), this.certAgent?.close()]);
  }

  /** Sends keepAlive for the current token; a refused one is forgotten (the next use logs in). */
  async keepAlive(): Promise<boolean> {
    const token = this.current;
    if (!token) return false;
    try {
      const body = await this.post(`${this.opts.identityUrl}/keepAlive`, '', token, this.agent);
      if (body.status === 'SUCCESS') {
        this.stats.keepAlives++;
        this.lastKeepAliveAt = this.clock();
        return true;
      }
      this.fail(String(body.error ?? 'keepAlive failed'));
      this.invalidate(token);
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
    }
    return false;
  }

  /** What /status shows (never the token). */
  status(): Record<string, unknown> {
    return {
      method: this.method,
      hasToken: this.current !== null,
      canLogin: this.canLogin,
      certificate: this.certAgent !== null,
      loggedInAt: this.loggedInAt,
      lastKeepAliveAt: this.lastKeepAliveAt,
      lastError: this.lastError,
      ...this.stats,
    };
  }

  private async login(): Promise<string> {
    const { username, password } = this.opts;
    if (!username || !password) {
      throw new BetfairSessionError(
        'NO_CREDENTIALS',
        'no valid session token and no username/password to log in',
      );
    }
    const form = new URLSearchParams({ username, password }).toString();
    try {
      const token = this.certAgent
        ? await this.certLogin(form, this.certAgent)
        : await this.interactiveLogin(form);
      this.current = token;
      this.loggedInAt = this.clock();
      this.stats.logins++;
      this.log.info({ method: this.method }, 'betfair login succeeded');
      return token;
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private async interactiveLogin(form: string): Promise<string> {
    const body = await this.post(`${this.opts.identityUrl}/login`, form, null, this.agent);
    if (body.status !== 'SUCCESS' || typeof body.token !== 'string' || !body.token) {
      throw new BetfairSessionError(
        String(body.error || body.status || 'LOGIN_FAILED'),
        'betfair interactive login refused',
      );
    }
    this.method = 'interactive';
    return body.token;
  }

  private async certLogin(form: string, agent: Dispatcher): Promise<string> {
    const body = await this.post(`${this.opts.identityCertUrl}/certlogin`, form, null, agent);
    if (body.loginStatus !== 'SUCCESS' || typeof body.sessionToken !== 'string' || !body.sessionToken) {
      throw new BetfairSessionError(
        String(body.loginStatus ?? 'LOGIN_FAILED'),
        'betfair certificate login refused',
      );
    }
    this.method = 'certificate';
    return body.sessionToken;
  }

  private async post(
    url: string,
    form: string,
    token: string | null,
    agent: Dispatcher,
  ): Promise<Record<string, unknown>> {
    const timeout = this.opts.timeoutMs ?? 10_000;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      'x-application': this.opts.appKey,
    };
    if (token) headers['x-authentication'] = token;
    const u = new URL(url);
    const signal = AbortSignal.timeout(timeout);
    const timedOut = (err: unknown) => {
      throw signal.aborted
        ? new BetfairSessionError('TIMEOUT', `identity: no answer within ${timeout} ms`)
        : err;
    };
    const res = await agent
      .request({
        origin: u.origin,
        path: `${u.pathname}${u.search}`,
        method: 'POST',
        headers,
        body: form,
        signal,
      })
      .catch(timedOut);
    const text = await res.body.text().catch(timedOut);
    if (res.statusCode >= 400)
      throw new BetfairSessionError(`HTTP_${res.statusCode}`, `identity answered ${res.statusCode}`);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new BetfairSessionError('BAD_RESPONSE', 'identity answer is not JSON');
    }
  }

  private fail(message: string): void {
    this.stats.failures++;
    this.lastError = message;
    this.log.warn({ error: message }, 'betfair session problem');
  }
}
