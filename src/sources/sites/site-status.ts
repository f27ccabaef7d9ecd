/**
 * What a site source reports about itself: connection state, the last error with its reason, poll and
 * scrape timings, selector problems (a changed site layout), the browser's restarts and memory, and the
 * domain pool per domain (shown by Diamond /status and /api/v1/admin/accounts).
 */
import type { SourceState, SourceStatus } from '../../model/index.js';
import type { DomainPool, FailureReason } from '../../pool/domain-pool.js';
import type { Clock } from '../../core/clock.js';
import type { BrowserSessionStats } from '../browser/session.js';

/** Live facts the status is built from. */
export interface SiteStatusInputs {
  openMarkets: number;
  domain: string | null;
  pool: DomainPool;
  browser: BrowserSessionStats;
  browserRunning: boolean;
  tabs: Record<string, number>;
  scrapeLoads: number;
  recordedFrames: number | null;
}

const KEEP_SELECTOR_ERRORS = 10;
/** Selector problems this recent keep the source "degraded". */
const SELECTOR_PROBLEM_MS = 5 * 60_000;

/** A proxy URL without its password. */
export function redactProxy(proxy: string): string {
  try {
    const u = new URL(proxy);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '[invalid proxy URL]';
  }
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

/** Accumulates a site source's counters and renders its SourceStatus. */
export class SiteStatusTracker {
  private state: SourceState = 'starting';
  private everConnected = false;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private lastReason: FailureReason | null = null;
  private lastUpdateAt: number | null = null;
  private polls = 0;
  private pollFailures = 0;
  private consecutivePollFailures = 0;
  private lastPollMs: number | null = null;
  private scrapes = 0;
  private lastScrapeMs: number | null = null;
  private served = { cache: 0, shared: 0, loaded: 0 };
  private events = 0;
  private sports = 0;
  private storageProblems: string[] = [];
  private selectorErrors: { at: number; message: string }[] = [];
  private memoryMb: number | null = null;

  constructor(
    private readonly source: string,
    private readonly clock: Clock,
  ) {}

  /** A poll succeeded. */
  pollOk(ms: number, _domain: string): void {
    this.polls++;
    this.consecutivePollFailures = 0;
    this.lastPollMs = ms;
    this.lastUpdateAt = this.clock();
    this.everConnected = true;
    this.state = 'connected';
  }

  /** A poll failed on every domain tried. */
  pollFailed(reason: FailureReason, message: string): void {
    this.polls++;
    this.pollFailures++;
    this.consecutivePollFailures++;
    this.error(reason, message);
    this.state = this.everConnected && this.consecutivePollFailures < 3 ? 'degraded' : 'disconnected';
  }

  /** Any error (kept as the last error). */
  error(reason: FailureReason, message: string): void {
    this.lastReason = reason;
    this.lastError = `${reason}: ${message}`;
    this.lastErrorAt = this.clock();
  }

  /** What the last storage snapshot held. */
  storage(events: number, sports: number, problems: string[]): void {
    this.events = events;
    this.sports = sports;
    this.storageProblems = problems;
  }

  /** A scrape finished; `problems` are selector problems seen on the page. */
  scraped(ms: number, problems: string[]): void {
    this.scrapes++;
    this.lastScrapeMs = ms;
    const at = this.clock();
    for (const message of problems) {
      this.selectorErrors.push({ at, message });
      this.error('selector', message);
    }
    this.selectorErrors = this.selectorErrors.slice(-KEEP_SELECTOR_ERRORS);
  }

  /** How a full-markets request was served. */
  fullMarkets(from: 'cache' | 'shared' | 'loaded'): void {
    this.served[from]++;
  }

  /** Browser memory at the last check. */
  memory(mb: number | null): void {
    this.memoryMb = mb;
  }

  /** The source was stopped. */
  stopped(): void {
    this.state = 'stopped';
  }

  private currentState(): SourceState {
    if (this.state !== 'connected') return this.state;
    const recent = this.selectorErrors.some((e) => this.clock() - e.at < SELECTOR_PROBLEM_MS);
    return recent ? 'degraded' : 'connected';
  }

  /** The SourceStatus. */
  status(i: SiteStatusInputs): SourceStatus {
    const state = this.currentState();
    return {
      source: this.source,
      kind: 'browser',
      state,
      connected: state === 'connected' || state === 'degraded',
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastUpdateAt: this.lastUpdateAt,
      frames: this.polls + this.scrapes,
      markets: i.openMarkets,
      details: {
        sportsPolled: this.sports,
        gamesCount: this.events,
        domain: i.domain,
        lastErrorReason: this.lastReason,
        polls: this.polls,
        pollFailures: this.pollFailures,
        lastPollMs: this.lastPollMs,
        scrapes: this.scrapes,
        scrapeLoads: i.scrapeLoads,
        lastScrapeMs: this.lastScrapeMs,
        fullMarketsServed: { ...this.served },
        selectorErrors: this.selectorErrors.map((e) => ({ at: iso(e.at), message: e.message })),
        storageProblems: this.storageProblems,
        browser: { ...i.browser, running: i.browserRunning, memoryMb: this.memoryMb },
        tabs: i.tabs,
        recordedFrames: i.recordedFrames,
        domains: i.pool.list().map((d) => ({
          ...d,
          proxy: d.proxy === null ? null : redactProxy(d.proxy),
          cooldownUntil: iso(d.cooldownUntil),
          lastSuccessAt: iso(d.lastSuccessAt),
          lastFailureAt: iso(d.lastFailureAt),
        })),
      },
    };
  }
}
