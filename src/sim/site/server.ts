/**
 * The simulated Vue 3 betting site on loopback (`oddsgate simulate --site-port P`): an app shell that loads
 * the real `vue` browser build from node_modules and the app in ./static, a small JSON API behind a demo
 * login, and fault modes (slow, 403, challenge page, blank page, changed selectors) for tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { authTokens, casinoCatalogue, openBets, stakeButtons, userInfo } from './account-data.js';
import {
  appShell,
  BLANK_PAGE,
  CHALLENGE_PAGE,
  CHANGED_CLASSES,
  FORBIDDEN_PAGE,
  NORMAL_CLASSES,
} from './pages.js';
import {
  findFixture,
  matchMarkets,
  siteEvent,
  siteEvents,
  siteSports,
  type SiteDataOptions,
} from './site-data.js';

/** How the site misbehaves (none = healthy). */
export type SiteFault = 'none' | 'slow' | 'forbidden' | 'challenge' | 'blank' | 'selector';
/** Every fault mode (for flag validation). */
export const SITE_FAULTS: readonly SiteFault[] = [
  'none',
  'slow',
  'forbidden',
  'challenge',
  'blank',
  'selector',
];

/** Options of the simulated site. */
export interface SiteOptions {
  port?: number;
  host?: string;
  seed?: number;
  speed?: number;
  events?: number;
  /** How often the app refreshes localStorage (ms). */
  refreshMs?: number;
  /** How often a match page refreshes its markets (ms). */
  matchRefreshMs?: number;
  /** Prices move once per tick (ms). */
  tickMs?: number;
  /** Delay of every response in the "slow" fault (ms). */
  slowMs?: number;
  fault?: SiteFault;
  /** Credentials the username/password form accepts. */
  username?: string;
  password?: string;
  clock?: Clock;
}

/** Requests the site has served, by kind (what tests count). */
export interface SiteStats {
  /** API calls refused for want of a valid session. */
  unauthorized: number;
  pageLoads: number;
  matchPageLoads: number;
  homeApiCalls: number;
  matchApiCalls: number;
  logins: number;
}

/** Defaults: the simulator's schedule defaults, a 2 s app refresh. */
export const SITE_DEFAULTS = {
  seed: 20261122,
  speed: 1,
  events: 40,
  refreshMs: 2000,
  matchRefreshMs: 1000,
  tickMs: 1000,
  slowMs: 4000,
  username: 'demo',
  password: 'demo',
} as const;

const STATIC_DIR = new URL('./static/', import.meta.url);
const require = createRequire(import.meta.url);

function loadAsset(name: string): Buffer {
  if (name === 'vue.global.prod.js') return readFileSync(require.resolve('vue/dist/vue.global.prod.js'));
  return readFileSync(new URL(name, STATIC_DIR));
}

const ASSET_TYPES: Readonly<Record<string, string>> = {
  'vue.global.prod.js': 'text/javascript; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** A running simulated site. */
export class SiteServer {
  readonly stats: SiteStats = {
    unauthorized: 0,
    pageLoads: 0,
    matchPageLoads: 0,
    homeApiCalls: 0,
    matchApiCalls: 0,
    logins: 0,
  };
  fault: SiteFault;
  private readonly server: Server;
  private readonly tokens = new Set<string>();
  private readonly assets = new Map<string, Buffer>();
  private readonly data: SiteDataOptions;
  private readonly clock: Clock;
  private readonly opts: Required<Omit<SiteOptions, 'clock' | 'fault' | 'port' | 'host'>>;

  constructor(opts: SiteOptions = {}) {
    this.opts = { ...SITE_DEFAULTS, ...stripUndefined(opts) };
    this.fault = opts.fault ?? 'none';
    this.clock = opts.clock ?? systemClock;
    this.data = {
      seed: this.opts.seed,
      speed: this.opts.speed,
      events: this.opts.events,
      tickMs: this.opts.tickMs,
    };
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 2000;
  }

  /** Listens; resolves with the base URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return this.url;
  }

  /** Base URL, e.g. http://127.0.0.1:7302. */
  get url(): string {
    const a = this.server.address() as AddressInfo | null;
    if (!a) throw new Error('site is not listening');
    return `http://${a.address.includes(':') ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /** Switches the fault mode at runtime. */
  setFault(fault: SiteFault): void {
    this.fault = fault;
  }

  /** Forgets every login (the app finds itself on the login page again). */
  expireSessions(): void {
    this.tokens.clear();
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://site');
      if (url.pathname.startsWith('/__sim/')) return this.control(url, res);
      if (this.fault === 'slow') await delay(this.opts.slowMs);
      // A blocking CDN answers every request (pages, assets, API) the same way.
      if (this.fault === 'forbidden') return send(res, 403, 'text/html; charset=utf-8', FORBIDDEN_PAGE);
      if (this.fault === 'challenge') return send(res, 200, 'text/html; charset=utf-8', CHALLENGE_PAGE);
      if (this.fault === 'blank') return send(res, 200, 'text/html; charset=utf-8', BLANK_PAGE);
      if (url.pathname.startsWith('/assets/')) return this.asset(url.pathname.slice(8), res);
      if (url.pathname.startsWith('/api/')) return await this.api(req, url, res);
      return this.page(url, res);
    } catch (err) {
      send(res, 500, 'text/plain; charset=utf-8', `error: ${(err as Error).message}`);
    }
  }

  private page(url: URL, res: ServerResponse): void {
    this.stats.pageLoads++;
    if (url.pathname.startsWith('/match/')) this.stats.matchPageLoads++;
    const classes = this.fault === 'selector' ? CHANGED_CLASSES : NORMAL_CLASSES;
    const html = appShell({
      refreshMs: this.opts.refreshMs,
      matchRefreshMs: this.opts.matchRefreshMs,
      classes,
    });
    send(res, 200, 'text/html; charset=utf-8', html);
  }

  private asset(name: string, res: ServerResponse): void {
    const type = ASSET_TYPES[name];
    if (!type) return send(res, 404, 'text/plain; charset=utf-8', 'not found');
    let body = this.assets.get(name);
    if (!body) {
      body = loadAsset(name);
      this.assets.set(name, body);
    }
    res.writeHead(200, { 'content-type': type, 'cache-control': 'max-age=3600' });
    res.end(body);
  }

  private async api(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    const path = url.pathname;
    if (req.method === 'POST' && path === '/api/v1/auth/demo') return this.login(res);
    if (req.method === 'POST' && path === '/api/v1/auth/login') {
      const body = await readJson(req);
      if (body?.username === this.opts.username && body?.password === this.opts.password)
        return this.login(res);
      return json(res, 401, { success: false, message: 'Invalid username or password' });
    }
    if (!this.authorized(req)) {
      this.stats.unauthorized++;
      return json(res, 401, { success: false, message: 'Session expired' });
    }
    if (path === '/api/v1/home') return json(res, 200, this.home());
    const m = /^\/api\/v1\/match\/(\d+)$/.exec(path);
    if (m) return this.match(Number(m[1]), res);
    return json(res, 404, { success: false, message: 'Not found' });
  }

  private login(res: ServerResponse): void {
    this.stats.logins++;
    const token = randomBytes(18).toString('base64url');
    this.tokens.add(token);
    json(res, 200, { success: true, token });
  }

  private authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization;
    return typeof h === 'string' && h.startsWith('Bearer ') && this.tokens.has(h.slice(7));
  }

  private home(): Record<string, unknown> {
    this.stats.homeApiCalls++;
    const now = this.clock();
    const events = siteEvents(this.data, now);
    const tokens = authTokens(this.opts.seed, now, 'https://api.site.example');
    const bets = openBets(events, this.opts.seed);
    return {
      serverTime: now,
      sports: siteSports(events),
      events,
      casino: casinoCatalogue(),
      openBets: bets,
      stakes: stakeButtons(),
      userInfo: userInfo(bets.exposure, String(tokens.casinoToken)),
      tokens,
    };
  }

  private match(gmid: number, res: ServerResponse): void {
    this.stats.matchApiCalls++;
    const now = this.clock();
    const fixture = findFixture(this.data, now, gmid);
    if (!fixture) return json(res, 404, { success: false, message: 'Match not found' });
    json(res, 200, {
      event: siteEvent(fixture, this.data, now),
      markets: matchMarkets(fixture, this.data, now),
    });
  }

  private control(url: URL, res: ServerResponse): void {
    if (url.pathname === '/__sim/stats') return json(res, 200, { fault: this.fault, ...this.stats });
    if (url.pathname === '/__sim/fault') {
      const mode = url.searchParams.get('mode') as SiteFault | null;
      if (!mode || !SITE_FAULTS.includes(mode))
        return json(res, 400, { error: `mode: ${SITE_FAULTS.join('|')}` });
      this.setFault(mode);
      return json(res, 200, { fault: mode });
    }
    json(res, 404, { error: 'not found' });
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const MAX_BODY = 16 * 1024;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(c as Buffer);
  }
  try {
    const v: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Starts the simulated site (the `simulate --site-port P` hook); resolves once it listens.
 * `port` 0 picks a free port; read the URL from `site.url`.
 */
export async function startSite(opts: SiteOptions = {}): Promise<SiteServer> {
  const site = new SiteServer(opts);
  await site.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  return site;
}
