import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScheduledEvent } from '../fixture.js';
import { scheduleAt, type ScheduleOptions } from '../schedule.js';
import {
  BOOKMAKERS,
  MARKET_KEYS,
  REGIONS,
  SPORT_OF_COMPETITION,
  type SimBookmaker,
  type SimOddsSport,
} from './catalog.js';
import { modelFair, type FairSource } from './pricing.js';
import { handleAdmin, type ModeRequest } from './admin.js';
import { oddsEventId, outcomeNames, sidesOf, sportOf, type PlantedArb } from './events.js';
import { oddsEntry, scoreEntry } from './responses.js';
import { SimSportsbook, type BetFault } from './sportsbook.js';
import { SportsbookRoutes, type SportsbookCredentials } from './sportsbook-http.js';

export { oddsEventId, outcomeNames, sidesOf, sportOf, type PlantedArb } from './events.js';

/**
 * A simulated The Odds API v4 on loopback, serving the simulator's own fixtures (same teams, same start
 * times as the simulated exchange) with per-bookmaker prices: /v4/sports, /v4/sports/{sport}/odds,
 * /v4/sports/{sport}/scores, quota headers and a monthly quota, API-key checks, a 429 mode, and admin
 * routes to plant an arbitrage on purpose (/admin/arbs) and to switch modes (/admin/mode). Beside it, a
 * sportsbook that takes bets on its events (`sportsbook.ts`: Pinnacle-style /v1, /v2, /v3 routes with
 * HTTP Basic credentials).
 */

/** Options of OddsApiSimulator. */
export interface OddsApiSimulatorOptions {
  /** The schedule shared with the simulated exchange (seed, speed, events). */
  schedule: ScheduleOptions;
  apiKey: string;
  /** Monthly request quota and what is already used of it. */
  quotaLimit?: number;
  quotaUsed?: number;
  now?: () => number;
  /** Fair prices (default: each event's pre-match model). */
  fair?: FairSource;
  host?: string;
  port?: number;
  /** Credentials of the betting routes (default sim / sim-password). */
  sportsbook?: SportsbookCredentials & { balance?: number; maxRisk?: number };
}

/** Credentials of the simulated sportsbook unless others are given. */
export const DEFAULT_SPORTSBOOK_CREDENTIALS: SportsbookCredentials = {
  username: 'sim',
  password: 'sim-password',
};

/** Switchable behaviour. */
interface Mode {
  /** Requests answered 429 before normal service resumes (Infinity: until switched off). */
  rateLimited: number;
  retryAfterSec: number | null;
}

const DAY = 24 * 3600_000;
const PLANT_BOOKMAKERS = ['bet365', 'williamhill', 'sport888'];

/** The simulated odds API server. */
export class OddsApiSimulator {
  private server: Server | null = null;
  private readonly now: () => number;
  private readonly fairSource: FairSource;
  private readonly seen = new Map<string, ScheduledEvent>();
  private readonly plants = new Map<string, PlantedArb>();
  private readonly mode: Mode = { rateLimited: 0, retryAfterSec: null };
  private apiKey: string;
  /** The sportsbook taking bets on the listed events. */
  readonly sportsbook: SimSportsbook;
  private readonly sportsbookRoutes: SportsbookRoutes;
  quotaLimit: number;
  quotaUsed: number;
  readonly stats = {
    requests: 0,
    oddsRequests: 0,
    charged: 0,
    rejected: 0,
    byPath: {} as Record<string, number>,
  };

  constructor(private readonly opts: OddsApiSimulatorOptions) {
    this.now = opts.now ?? Date.now;
    this.fairSource = opts.fair ?? modelFair(opts.schedule.speed);
    this.apiKey = opts.apiKey;
    this.quotaLimit = opts.quotaLimit ?? 1_000_000;
    this.quotaUsed = opts.quotaUsed ?? 0;
    const sb = opts.sportsbook;
    this.sportsbook = new SimSportsbook({
      now: this.now,
      seed: opts.schedule.seed,
      fair: this.fairSource,
      listed: (t) => this.listed(t),
      ...(sb?.balance !== undefined ? { balance: sb.balance } : {}),
      ...(sb?.maxRisk !== undefined ? { maxRisk: sb.maxRisk } : {}),
    });
    this.sportsbookRoutes = new SportsbookRoutes(this.sportsbook, sb ?? DEFAULT_SPORTSBOOK_CREDENTIALS);
  }

  /** Listens (port 0: any free port) and returns the base URL. */
  async start(): Promise<string> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port ?? 0, this.opts.host ?? '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  /** The base URL (after start). */
  get url(): string {
    const addr = this.server?.address() as AddressInfo | null;
    if (!addr) throw new Error('odds API simulator not started');
    return `http://${addr.address}:${addr.port}`;
  }

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers 429 to the next `n` requests (Infinity: until setRateLimited(0)). */
  setRateLimited(n: number, retryAfterSec: number | null = null): void {
    this.mode.rateLimited = n;
    this.mode.retryAfterSec = retryAfterSec;
  }

  /** Plants an arbitrage on an event not yet started (or the one given): see PlantedArb. */
  plantArb(opts: { eventId?: string; sportKey?: string; edgePct?: number } = {}): PlantedArb {
    const edge = (opts.edgePct ?? 4) / 100;
    const ev = this.listed(this.now()).find((e) => {
      const sport = sportOf(e);
      if (opts.eventId) return oddsEventId(e) === opts.eventId;
      return e.startAt > this.now() + 10 * 60_000 && (!opts.sportKey || sport?.key === opts.sportKey);
    });
    if (!ev) throw new Error('no event to plant an arbitrage on');
    const fair = this.fairSource.fair(ev) ?? [];
    const names = outcomeNames(ev);
    const legs = fair.map((p, i) => ({
      bookmaker: PLANT_BOOKMAKERS[i % PLANT_BOOKMAKERS.length] as string,
      outcome: names[i] as string,
      price: Math.floor(((1 + edge) / p) * 100) / 100,
    }));
    const [home, away] = sidesOf(ev);
    const plant: PlantedArb = {
      id: randomUUID(),
      sportKey: sportOf(ev)?.key ?? '',
      eventId: oddsEventId(ev),
      eventKey: ev.key,
      name: `${home} v ${away}`,
      edgePct: edge * 100,
      sum: legs.reduce((s, l) => s + 1 / l.price, 0),
      legs,
      servedIn: [],
    };
    this.plants.set(plant.id, plant);
    return plant;
  }

  /** Removes a planted arbitrage (the bookmakers requote normally from the next request on). */
  removeArb(id: string): boolean {
    return this.plants.delete(id);
  }

  /** Events listed at `now` (not racing, not finished), start order. */
  listed(now: number): ScheduledEvent[] {
    const out: ScheduledEvent[] = [];
    for (const ev of scheduleAt(this.opts.schedule, now)) {
      if (!sportOf(ev)) continue;
      this.seen.set(ev.key, ev);
      if (now < ev.endAt) out.push(ev);
    }
    for (const [k, ev] of this.seen) if (ev.endAt < now - 3 * DAY) this.seen.delete(k);
    return out;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/admin/')) {
      void handleAdmin(this, req, res, url.pathname);
      return;
    }
    if (SportsbookRoutes.owns(url.pathname)) {
      this.sportsbookRoutes.handle(req, res, url).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    this.stats.requests++;
    this.stats.byPath[url.pathname] = (this.stats.byPath[url.pathname] ?? 0) + 1;
    const key = url.searchParams.get('apiKey');
    if (!key) return this.error(res, 401, 'MISSING_KEY', 'API key is missing');
    if (key !== this.apiKey) return this.error(res, 401, 'INVALID_KEY', 'API key is not valid');
    if (this.mode.rateLimited > 0) {
      this.mode.rateLimited--;
      return this.error(res, 429, 'EXCEEDED_FREQ_LIMIT', 'Requests are being sent too frequently');
    }
    const m = /^\/v4\/sports(?:\/([^/]+)\/(odds|scores))?\/?$/.exec(url.pathname);
    if (!m) return this.error(res, 404, 'NOT_FOUND', 'Not found');
    if (!m[1]) return this.send(res, 0, this.sports());
    const sport = Object.values(SPORT_OF_COMPETITION).find((s) => s.key === m[1]);
    if (!sport) return this.error(res, 404, 'UNKNOWN_SPORT', `Unknown sport ${m[1]}`);
    if (m[2] === 'odds') return this.odds(res, sport, url.searchParams);
    return this.scores(res, sport, url.searchParams);
  }

  private sports() {
    return Object.values(SPORT_OF_COMPETITION).map((s) => ({ ...s, active: true, has_outrights: false }));
  }

  private odds(res: ServerResponse, sport: SimOddsSport, q: URLSearchParams): void {
    const regions = (q.get('regions') ?? '').split(',').filter((r) => r.length > 0);
    const markets = (q.get('markets') ?? 'h2h').split(',').filter((r) => r.length > 0);
    if (regions.length === 0 || regions.some((r) => !REGIONS.has(r))) {
      return this.error(res, 422, 'INVALID_REGION', `Invalid regions: ${q.get('regions') ?? ''}`);
    }
    const bad = markets.find((k) => !MARKET_KEYS.has(k));
    if (bad) return this.error(res, 422, 'INVALID_MARKET', `Invalid market: ${bad}`);
    if ((q.get('oddsFormat') ?? 'decimal') !== 'decimal') {
      return this.error(res, 422, 'INVALID_ODDS_FORMAT', 'Only decimal odds are simulated');
    }
    const now = this.now();
    this.stats.oddsRequests++;
    const bookmakers = BOOKMAKERS.filter((b) => regions.includes(b.region));
    const data = this.listed(now)
      .filter((ev) => sportOf(ev)?.key === sport.key)
      .map((ev) => this.oddsEvent(ev, sport, bookmakers, markets, now));
    this.send(res, markets.length * regions.length, data);
  }

  private oddsEvent(
    ev: ScheduledEvent,
    sport: SimOddsSport,
    bookmakers: SimBookmaker[],
    markets: string[],
    now: number,
  ) {
    const plants = [...this.plants.values()].filter((p) => p.eventKey === ev.key);
    for (const p of plants) {
      if (bookmakers.some((b) => p.legs.some((l) => l.bookmaker === b.key)))
        p.servedIn.push(this.stats.oddsRequests);
    }
    const fair = this.fairSource.fair(ev) ?? [];
    return oddsEntry({ ev, sport, bookmakers, markets, fair, seed: this.opts.schedule.seed, now, plants });
  }

  private scores(res: ServerResponse, sport: SimOddsSport, q: URLSearchParams): void {
    const daysFrom = q.get('daysFrom');
    if (daysFrom !== null && !/^[1-3]$/.test(daysFrom))
      return this.error(res, 422, 'INVALID_DAYS_FROM', 'daysFrom must be 1 to 3');
    const now = this.now();
    this.listed(now);
    const since = daysFrom === null ? now : now - Number(daysFrom) * DAY;
    const data = [...this.seen.values()]
      .filter(
        (ev) =>
          sportOf(ev)?.key === sport.key &&
          ev.startAt - now < 2 * DAY &&
          (ev.endAt > now || ev.endAt >= since),
      )
      .sort((a, b) => a.startAt - b.startAt)
      .map((ev) => scoreEntry(ev, sport, now, ev.startAt <= now ? this.fairSource.score(ev) : null));
    this.send(res, daysFrom === null ? 1 : 2, data);
  }

  /** Charges `cost` against the quota and sends the body with the quota headers (401 when the quota is spent). */
  private send(res: ServerResponse, cost: number, body: unknown): void {
    if (this.quotaUsed + cost > this.quotaLimit) {
      return this.error(res, 401, 'OUT_OF_USAGE_CREDITS', 'Usage quota has been reached');
    }
    this.quotaUsed += cost;
    if (cost > 0) this.stats.charged += cost;
    this.json(res, 200, body, cost);
  }

  private error(res: ServerResponse, status: number, code: string, message: string): void {
    this.stats.rejected++;
    const headers: Record<string, string> = {};
    if (status === 429 && this.mode.retryAfterSec !== null)
      headers['retry-after'] = String(this.mode.retryAfterSec);
    this.json(
      res,
      status,
      {
        message,
        error_code: code,
        details_url: `https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#${code.toLowerCase()}`,
      },
      0,
      headers,
    );
  }

  private json(
    res: ServerResponse,
    status: number,
    body: unknown,
    cost: number,
    extra: Record<string, string> = {},
  ): void {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-requests-remaining': String(Math.max(0, this.quotaLimit - this.quotaUsed)),
      'x-requests-used': String(this.quotaUsed),
      'x-requests-last': String(cost),
      ...extra,
    });
    res.end(JSON.stringify(body));
  }

  /** Switches modes (see ModeRequest) and returns them. */
  configure(m: ModeRequest) {
    if (m.rateLimit !== undefined) {
      const n = m.rateLimit === true ? Infinity : Number(m.rateLimit) || 0;
      this.setRateLimited(n, m.retryAfterSec ?? null);
    }
    if (typeof m.quotaLimit === 'number') this.quotaLimit = m.quotaLimit;
    if (typeof m.quotaUsed === 'number') this.quotaUsed = m.quotaUsed;
    if (typeof m.apiKey === 'string' && m.apiKey.length > 0) this.apiKey = m.apiKey;
    if (m.betFault !== undefined) this.sportsbook.setFault(m.betFault as BetFault | null);
    const rateLimited = this.mode.rateLimited === Infinity ? 'on' : this.mode.rateLimited;
    return { rateLimited, quotaLimit: this.quotaLimit, quotaUsed: this.quotaUsed };
  }

  /** The arbitrages currently planted. */
  plantedArbs(): PlantedArb[] {
    return [...this.plants.values()];
  }
}
