/**
 * The simulated Betfair HTTP endpoints on loopback: identity (interactive `login`, `keepAlive`, `logout`;
 * certificate `certlogin` on its own HTTPS listener that requires a client certificate), the API-NG
 * betting and account endpoints (JSON-RPC, and the REST-style `/exchange/<api>/rest/v1.0/<op>/` paths),
 * and an admin route to inject faults and place orders.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { X509Certificate, randomUUID } from 'node:crypto';
import type { CertificatePair } from './cert.js';
import type { CatalogueData } from './catalogue-data.js';
import {
  ApiError,
  MarketBookParamsSchema,
  MarketCatalogueParamsSchema,
  parseParams,
  readFilter,
} from './catalogue-data.js';
import type { BettingOperations } from '../betting/operations.js';
import type { SimOrders } from './orders.js';
import type { EsaServer, StreamFault } from './server.js';
import type { SessionStore } from './sessions.js';

/** The JSON-RPC path, as on api.betfair.com. */
export const JSON_RPC_PATH = '/exchange/betting/json-rpc/v1';
/** The account API's JSON-RPC path. */
export const ACCOUNT_JSON_RPC_PATH = '/exchange/account/json-rpc/v1';
const METHOD_PREFIX = 'SportsAPING/v1.0/';
const ACCOUNT_PREFIX = 'AccountAPING/v1.0/';
/** REST-style paths: `/exchange/betting/rest/v1.0/<op>/` and `/exchange/account/rest/v1.0/<op>/`. */
const REST_PATH = /^\/exchange\/(betting|account)\/rest\/v1\.0\/([A-Za-z]+)\/?$/;
const MAX_BODY = 1024 * 1024;

const ANGX: Readonly<Record<string, string>> = {
  TOO_MUCH_DATA: 'ANGX-0001',
  INVALID_INPUT_DATA: 'ANGX-0002',
  INVALID_SESSION_INFORMATION: 'ANGX-0003',
  NO_APP_KEY: 'ANGX-0004',
  NO_SESSION: 'ANGX-0005',
  UNEXPECTED_ERROR: 'ANGX-0006',
  INVALID_APP_KEY: 'ANGX-0007',
  TOO_MANY_REQUESTS: 'ANGX-0008',
};

/** Faults of the HTTP API, on top of the stream server's. */
export type ApiFault =
  | StreamFault
  | { fault: 'expireSessions' }
  | { fault: 'apiStatus'; status: number; times?: number }
  | { fault: 'apiDelay'; ms: number; times?: number };

/** Options of {@link BetfairApiServer}. */
export interface BetfairApiServerOptions {
  catalogue: CatalogueData;
  /** The betting and account operations (placeOrders…, getAccountFunds). */
  betting: BettingOperations;
  sessions: SessionStore;
  orders: SimOrders;
  esa: EsaServer;
  host?: string;
  port?: number;
}

type Api = 'betting' | 'account';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void | Promise<void>;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The simulated identity, betting and admin HTTP endpoints. */
export class BetfairApiServer {
  private readonly server: Server;
  private certServer: HttpsServer | null = null;
  private readonly allowedCerts = new Set<string>();
  private failures: { status: number; remaining: number } | null = null;
  private delay: { ms: number; remaining: number } | null = null;
  private base = '';
  /** Requests per JSON-RPC method, for tests and the admin state. */
  readonly calls = new Map<string, number>();

  constructor(private readonly opts: BetfairApiServerOptions) {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.keepAliveTimeout = 5000;
  }

  /** Starts listening; resolves with the base URL. */
  async listen(): Promise<string> {
    const host = this.opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, host, () => resolve());
    });
    this.base = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  /** URLs clients are given. */
  urls(): { api: string; identity: string } {
    return { api: `${this.base}${JSON_RPC_PATH}`, identity: `${this.base}/api` };
  }

  /**
   * Starts the certificate-login endpoint (HTTPS, client certificate required) and allows `clientCert`;
   * resolves with its identity base URL (`<url>/certlogin`).
   */
  async startCertLogin(serverCert: CertificatePair, clientCert: string): Promise<string> {
    this.allowedCerts.add(new X509Certificate(clientCert).fingerprint256);
    if (!this.certServer) {
      this.certServer = createHttpsServer(
        { cert: serverCert.cert, key: serverCert.key, requestCert: true, rejectUnauthorized: false },
        (req, res) => void this.certLogin(req, res),
      );
      await new Promise<void>((resolve) =>
        this.certServer?.listen(0, this.opts.host ?? '127.0.0.1', () => resolve()),
      );
    }
    const port = (this.certServer.address() as AddressInfo).port;
    return `https://${this.opts.host ?? '127.0.0.1'}:${port}/api`;
  }

  /** Stops both listeners, closing kept-alive connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.certServer) {
      this.certServer.closeAllConnections();
      await new Promise<void>((resolve) => this.certServer?.close(() => resolve()));
    }
  }

  /** Applies a fault (stream faults go to the stream server). */
  inject(f: ApiFault): unknown {
    switch (f.fault) {
      case 'expireSessions':
        return { expired: this.opts.sessions.expireAll() };
      case 'apiStatus':
        this.failures = { status: f.status, remaining: f.times ?? 1 };
        return { ok: true };
      case 'apiDelay':
        this.delay = { ms: f.ms, remaining: f.times ?? 1 };
        return { ok: true };
      default:
        return { connections: this.opts.esa.inject(f) };
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const routes: Record<string, Handler> = {
      'POST /api/login': (r, b, s) => this.login(r, b, s),
      'POST /api/keepAlive': (r, _b, s) => this.keepAlive(r, s),
      'POST /api/logout': (r, _b, s) => this.logout(r, s),
      [`POST ${JSON_RPC_PATH}`]: (r, b, s) => this.jsonRpc(r, b, s, 'betting'),
      [`POST ${ACCOUNT_JSON_RPC_PATH}`]: (r, b, s) => this.jsonRpc(r, b, s, 'account'),
      'GET /admin/state': (_r, _b, s) => send(s, 200, this.state()),
      'POST /admin/fault': (_r, b, s) => send(s, 200, this.inject(JSON.parse(b) as ApiFault)),
      'POST /admin/orders': (_r, b, s) => send(s, 200, { betId: this.opts.orders.place(JSON.parse(b)) }),
    };
    const rest = req.method === 'POST' ? REST_PATH.exec(path ?? '') : null;
    const handler =
      routes[`${req.method} ${path}`] ??
      (rest ? (r, b, s) => this.restCall(r, b, s, rest[1] as Api, rest[2] as string) : undefined);
    try {
      const body = await readBody(req);
      if (!handler) return send(res, 404, { error: 'not found' });
      await handler(req, body, res);
    } catch (err) {
      if (!res.headersSent) send(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private state(): Record<string, unknown> {
    return {
      esa: this.opts.esa.state(),
      sessions: this.opts.sessions.stats,
      calls: Object.fromEntries(this.calls),
      orders: { markets: this.opts.orders.size },
    };
  }

  private login(req: IncomingMessage, body: string, res: ServerResponse): void {
    const sessions = this.opts.sessions;
    const form = new URLSearchParams(body);
    const product = header(req, 'x-application') ?? '';
    if (!sessions.checkPassword(form.get('username') ?? '', form.get('password') ?? '')) {
      sessions.stats.failedLogins++;
      return send(res, 200, { token: '', product, status: 'FAIL', error: 'INVALID_USERNAME_OR_PASSWORD' });
    }
    sessions.stats.logins++;
    send(res, 200, { token: sessions.issue(), product, status: 'SUCCESS', error: '' });
  }

  private keepAlive(req: IncomingMessage, res: ServerResponse): void {
    const token = header(req, 'x-authentication') ?? '';
    const product = header(req, 'x-application') ?? '';
    const ok = token !== '' && this.opts.sessions.keepAlive(token);
    send(res, 200, { token, product, status: ok ? 'SUCCESS' : 'FAIL', error: ok ? '' : 'NO_SESSION' });
  }

  private logout(req: IncomingMessage, res: ServerResponse): void {
    const token = header(req, 'x-authentication') ?? '';
    const ok = this.opts.sessions.logout(token);
    send(res, 200, { token, product: '', status: ok ? 'SUCCESS' : 'FAIL', error: ok ? '' : 'NO_SESSION' });
  }

  private async certLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req).catch(() => '');
    const peer = (req.socket as TLSSocket).getPeerCertificate();
    const form = new URLSearchParams(body);
    const sessions = this.opts.sessions;
    if (!peer?.fingerprint256 || !this.allowedCerts.has(peer.fingerprint256)) {
      return send(res, 200, { loginStatus: 'CERT_AUTH_REQUIRED' });
    }
    if (!sessions.checkPassword(form.get('username') ?? '', form.get('password') ?? '')) {
      sessions.stats.failedLogins++;
      return send(res, 200, { loginStatus: 'INVALID_USERNAME_OR_PASSWORD' });
    }
    sessions.stats.certLogins++;
    send(res, 200, { sessionToken: sessions.issue(), loginStatus: 'SUCCESS' });
  }

  private async jsonRpc(req: IncomingMessage, body: string, res: ServerResponse, api: Api): Promise<void> {
    if (await this.faulted(res)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, 200, { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null });
    }
    const problem = this.opts.sessions.check(header(req, 'x-application'), header(req, 'x-authentication'));
    const answer = (call: unknown) => this.call(call as Record<string, unknown>, problem, api);
    send(res, 200, Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed));
  }

  /** Applies the injected delay and failure faults; true when the request was answered with a failure. */
  private async faulted(res: ServerResponse): Promise<boolean> {
    if (this.delay && this.delay.remaining-- > 0)
      await new Promise((r) => setTimeout(r, this.delay?.ms ?? 0));
    if (this.failures && this.failures.remaining-- > 0) {
      send(res, this.failures.status, { error: 'simulated failure' });
      return true;
    }
    return false;
  }

  /**
   * A REST-style call (`POST /exchange/<api>/rest/v1.0/<op>/`, the params as the body): the result is the
   * body; an APINGException is HTTP 400 with `faultcode`, `faultstring` and `detail` as Betfair answers.
   */
  private async restCall(req: IncomingMessage, body: string, res: ServerResponse, api: Api, op: string) {
    if (await this.faulted(res)) return;
    const method = (api === 'account' ? ACCOUNT_PREFIX : METHOD_PREFIX) + op;
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    try {
      const problem = this.opts.sessions.check(header(req, 'x-application'), header(req, 'x-authentication'));
      if (problem) throw new ApiError(problem, 'session check failed');
      let params: unknown;
      try {
        params = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new ApiError('INVALID_INPUT_DATA', 'the body is not JSON');
      }
      const result = await this.dispatch(method, (params ?? {}) as Record<string, unknown>, api);
      if (result === undefined) return send(res, 404, { error: 'not found' });
      send(res, 200, result);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'UNEXPECTED_ERROR';
      send(res, 400, {
        faultcode: 'Client',
        faultstring: ANGX[code] ?? 'ANGX-0006',
        detail: {
          APINGException: {
            errorCode: code,
            errorDetails: (err as Error).message,
            requestUUID: randomUUID(),
          },
          exceptionname: 'APINGException',
        },
      });
    }
  }

  private async call(call: Record<string, unknown>, problem: string | null, api: Api): Promise<unknown> {
    const id = call.id ?? null;
    const method = typeof call.method === 'string' ? call.method : '';
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    try {
      if (problem) throw new ApiError(problem, 'session check failed');
      const result = await this.dispatch(method, (call.params ?? {}) as Record<string, unknown>, api);
      if (result === undefined)
        return { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id };
      return { jsonrpc: '2.0', result, id };
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'UNEXPECTED_ERROR';
      const exceptionname = api === 'account' ? 'AccountAPINGException' : 'APINGException';
      const data = {
        [exceptionname]: { errorCode: code, errorDetails: (err as Error).message, requestUUID: randomUUID() },
        exceptionname,
      };
      return { jsonrpc: '2.0', error: { code: -32099, message: ANGX[code] ?? 'ANGX-0006', data }, id };
    }
  }

  private async dispatch(method: string, p: Record<string, unknown>, api: Api): Promise<unknown> {
    if (api === 'account') {
      const op = method.startsWith(ACCOUNT_PREFIX) ? method.slice(ACCOUNT_PREFIX.length) : '';
      return op !== '' && this.opts.betting.has(op) ? this.opts.betting.call(op, p) : undefined;
    }
    const c = this.opts.catalogue;
    const op = method.startsWith(METHOD_PREFIX) ? method.slice(METHOD_PREFIX.length) : method;
    if (this.opts.betting.has(op) && !op.startsWith('getAccount')) return this.opts.betting.call(op, p);
    const filter = readFilter(p.filter);
    switch (op) {
      case 'listEventTypes':
        return c.listEventTypes(filter);
      case 'listCompetitions':
        return c.listCompetitions(filter);
      case 'listEvents':
        return c.listEvents(filter);
      case 'listMarketCatalogue': {
        const q = parseParams(MarketCatalogueParamsSchema, p);
        return c.listMarketCatalogue(filter, q.marketProjection ?? [], q.maxResults);
      }
      case 'listMarketBook': {
        const q = parseParams(MarketBookParamsSchema, p);
        const pp = q.priceProjection;
        const books = c.listMarketBook(
          q.marketIds,
          pp?.priceData ?? [],
          pp?.exBestOffersOverrides?.bestPricesDepth ?? 3,
        ) as Record<string, unknown>[];
        if (q.orderProjection === undefined && q.matchProjection === undefined) return books;
        return books.map((b) => ({
          ...b,
          runners: this.opts.betting.withOrders(
            b.marketId as string,
            b.runners as Record<string, unknown>[],
            q.orderProjection,
            q.matchProjection,
            q.betIds,
          ),
        }));
      }
      default:
        return undefined;
    }
  }
}
