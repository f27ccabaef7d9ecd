/**
 * A Vue betting site read through one warm stealth browser (seed 000's imatchodds upstream, done better):
 * polls localStorage every `pollMs` (polls never overlap), emits only changes, scrapes match pages on demand
 * in a bounded tab pool with single-flight and a short cache, rotates domains by health (seed §8), and
 * restarts the browser after a crash, a hang or a memory threshold.
 */
import type { SourceStatus } from '../../model/index.js';
import type { AppLogger as Logger } from '../../logger.js';
import type { DomainPool } from '../../pool/domain-pool.js';
import type { Source, UpdateSink } from '../types.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import {
  BrowserSourceError,
  BrowserTimeoutError,
  messageOf,
  reasonOf,
  withTimeout,
} from '../browser/errors.js';
import { BrowserSession } from '../browser/session.js';
import { SingleFlightCache } from '../browser/single-flight.js';
import { TabPool } from '../browser/tab-pool.js';
import type { SiteAccountData } from './account.js';
import { storageKeys } from './normalize.js';
import type { SiteProfile } from './profile.js';
import { SiteRecorder } from './recorder.js';
import { MARKET_KINDS, type SiteFullMarket } from './scraped.js';
import { SiteClient } from './site-client.js';
import { SiteFeed } from './site-feed.js';
import { SiteStatusTracker } from './site-status.js';

/** Options of a site source. */
export interface SiteSourceOptions {
  name: string;
  profile: SiteProfile;
  pool: DomainPool;
  log: Logger;
  /** Chromium binary; undefined: resolveChromium picks one. */
  executablePath?: string | undefined;
  headless: boolean;
  pollMs: number;
  navTimeoutMs: number;
  scrapeTimeoutMs: number;
  fullMarketsTtlMs: number;
  tabs: number;
  maxMemoryMb: number;
  liveScrapes: number;
  credentials?: { username?: string | undefined; password?: string | undefined };
  recordFile?: string | undefined;
  clock?: Clock;
}

/** What one poll did. */
export interface PollOutcome {
  ok: boolean;
  domain: string | null;
  ms: number;
  updates: number;
  error?: string;
}

const MAX_ATTEMPTS_PER_POLL = 3;
const RECOVERY_DELAY_MS = 1000;

/** The live browser source of one site profile. */
export class SiteSource implements Source {
  readonly name: string;
  readonly feed: SiteFeed;
  readonly session: BrowserSession;
  readonly tabs: TabPool;
  readonly flights: SingleFlightCache<SiteFullMarket[]>;
  private readonly client: SiteClient;
  private readonly tracker: SiteStatusTracker;
  private readonly clock: Clock;
  private readonly keys: string[];
  private sink: UpdateSink | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<PollOutcome> | null = null;
  private liveRunning = false;
  private liveCursor = 0;
  private stopped = false;
  private recorder: SiteRecorder | null = null;

  constructor(private readonly opts: SiteSourceOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.feed = new SiteFeed(opts.profile, opts.name);
    this.keys = storageKeys(opts.profile);
    this.session = new BrowserSession({
      executablePath: opts.executablePath,
      headless: opts.headless,
      launchTimeoutMs: Math.max(opts.navTimeoutMs, 30_000),
      log: opts.log,
    });
    this.client = new SiteClient(opts.profile, this.session, {
      navTimeoutMs: opts.navTimeoutMs,
      refreshWaitMs: Math.min(opts.navTimeoutMs, 5000),
      credentials: opts.credentials ?? {},
      log: opts.log,
    });
    this.tabs = new TabPool({
      max: opts.tabs,
      maxWaiting: 50,
      create: () => this.session.newPage(this.client.currentProxy),
    });
    this.flights = new SingleFlightCache({
      ttlMs: opts.fullMarketsTtlMs,
      maxEntries: 500,
      clock: this.clock,
    });
    this.tracker = new SiteStatusTracker(opts.name, this.clock);
    this.session.onCrash(() => this.onCrash());
  }

  /** Starts polling; the first poll runs now (its failure is reported in the status, not thrown). */
  async start(sink: UpdateSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    if (this.opts.recordFile) this.recorder = new SiteRecorder(this.opts.recordFile);
    this.schedule(0);
  }

  /** Stops polling and closes the browser. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
    await this.tabs.close();
    this.client.reset();
    await this.session.close();
    await this.recorder?.close();
    this.tracker.stopped();
  }

  /** One poll now (or the one already running: polls never overlap). */
  pollOnce(): Promise<PollOutcome> {
    if (!this.polling) {
      this.polling = this.runPoll().finally(() => {
        this.polling = null;
      });
    }
    return this.polling;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollOnce().then(() => this.schedule(this.opts.pollMs));
    }, delayMs);
  }

  private onCrash(): void {
    this.client.reset();
    this.tabs.reset();
    this.tracker.error('browser_crash', 'browser crashed; relaunching');
    this.schedule(RECOVERY_DELAY_MS);
  }

  private async runPoll(): Promise<PollOutcome> {
    const t0 = this.clock();
    // Hang detection only: every step has its own timeout, an attempt takes at most ~8 of them.
    const budget = this.opts.navTimeoutMs * 8 * MAX_ATTEMPTS_PER_POLL;
    try {
      const { domain, updates } = await withTimeout(this.pollWithFailover(), budget, 'poll');
      const ms = this.clock() - t0;
      this.tracker.pollOk(ms, domain);
      await this.checkMemory();
      this.liveScrapes();
      return { ok: true, domain, ms, updates };
    } catch (err) {
      if (err instanceof BrowserTimeoutError && err.what === 'poll') {
        this.client.reset();
        await this.session.restart('poll hung');
      }
      this.tracker.pollFailed(reasonOf(err), messageOf(err));
      return {
        ok: false,
        domain: this.client.base,
        ms: this.clock() - t0,
        updates: 0,
        error: messageOf(err),
      };
    }
  }

  /**
   * Polls the best domain; a domain that fails is recorded and the next best is tried. A domain is tried
   * once per poll, except right after a login page (an expired session is logged into again at once).
   */
  private async pollWithFailover(): Promise<{ domain: string; updates: number }> {
    let last: unknown = new BrowserSourceError('network', `no domains in the ${this.opts.pool.name} pool`);
    const tried = new Set<string>();
    for (let i = 0; i < MAX_ATTEMPTS_PER_POLL && !this.stopped; i++) {
      const pick = this.opts.pool.pick();
      if (!pick || (tried.has(pick.url) && reasonOf(last) !== 'login_page')) break;
      tried.add(pick.url);
      try {
        if (this.client.base !== pick.url) await this.client.connect(pick.url, pick.proxy);
        const snapshot = await this.client.poll(this.keys);
        this.opts.pool.success(pick.url);
        return { domain: pick.url, updates: this.applySnapshot(snapshot) };
      } catch (err) {
        last = err;
        this.opts.pool.failure(pick.url, reasonOf(err), messageOf(err));
        this.opts.log.warn(
          { domain: pick.url, reason: reasonOf(err), err: messageOf(err) },
          'site poll failed',
        );
        this.client.reset();
      }
    }
    throw last;
  }

  private applySnapshot(snapshot: Record<string, string | null>): number {
    const at = this.clock();
    this.recorder?.write({ t: at, type: 'storage', data: snapshot });
    const applied = this.feed.applyStorage(snapshot, at);
    this.tracker.storage(applied.events, applied.sports, applied.problems);
    if (applied.updates.length > 0) this.sink?.(applied.updates);
    return applied.updates.length;
  }

  private async checkMemory(): Promise<void> {
    const mb = await this.session.memoryMb().catch(() => null);
    this.tracker.memory(mb);
    if (mb !== null && mb > this.opts.maxMemoryMb) {
      this.client.reset();
      this.tabs.reset();
      await this.session.restart(`memory ${mb} MB > ${this.opts.maxMemoryMb} MB`);
    }
  }

  /** Background scrapes of a few fancy/bookmaker events after a poll (in play first, in rotation). */
  private liveScrapes(): void {
    if (this.opts.liveScrapes <= 0 || this.liveRunning || this.stopped) return;
    const candidates = this.feed
      .eventList()
      .filter((e) => e.event.hasFancy || e.event.hasBookmaker)
      .sort(
        (a, b) =>
          Number(b.event.inPlay) - Number(a.event.inPlay) ||
          a.event.startTime.localeCompare(b.event.startTime),
      );
    if (candidates.length === 0) return;
    const n = Math.min(this.opts.liveScrapes, candidates.length);
    const picked = Array.from({ length: n }, (_, i) => candidates[(this.liveCursor + i) % candidates.length]);
    this.liveCursor = (this.liveCursor + n) % candidates.length;
    this.liveRunning = true;
    void Promise.allSettled(picked.map((e) => (e ? this.fullMarketsFor(e.upstreamEventId) : null))).finally(
      () => {
        this.liveRunning = false;
      },
    );
  }

  /**
   * Every market of a game, scraped from its match page: shared by concurrent callers, cached for
   * `fullMarketsTtlMs`. Null when the site does not list the game. Throws BrowserSourceError on a timeout
   * or a block.
   */
  async fullMarketsFor(gmid: string): Promise<SiteFullMarket[] | null> {
    if (!this.feed.event(gmid)) return null;
    const flight = await this.flights.get(gmid, () => this.scrape(gmid));
    this.tracker.fullMarkets(flight.from);
    return flight.value;
  }

  private async scrape(gmid: string): Promise<SiteFullMarket[]> {
    const ev = this.feed.event(gmid);
    if (!ev) throw new BrowserSourceError('network', `game ${gmid} is not listed by ${this.name}`);
    const t0 = this.clock();
    // right after a crash or a domain switch the poll in progress logs in again: wait for it
    if (!this.client.base && this.polling) {
      await withTimeout(this.polling, this.opts.scrapeTimeoutMs, 'waiting for the site session');
    }
    const domain = this.client.base;
    const lease = await withTimeout(
      this.tabs.acquire(),
      this.opts.scrapeTimeoutMs,
      'waiting for a scrape tab',
    );
    try {
      const page = await withTimeout(
        this.client.scrape(lease.page, gmid, ev.siteSportId),
        this.opts.scrapeTimeoutMs,
        `scrape of game ${gmid}`,
      );
      lease.release();
      const at = this.clock();
      const missing = MARKET_KINDS.filter((k) => expects(ev.event, k) && !page.counts[k]);
      this.recorder?.write({ t: at, type: 'scrape', gmid, markets: page.markets });
      const { updates, view } = this.feed.applyScrape(
        { gmid, at, markets: page.markets },
        missing.length > 0,
      );
      if (updates.length > 0) this.sink?.(updates);
      this.tracker.scraped(
        at - t0,
        missing.map((k) => this.selectorProblem(k, page.url)),
      );
      if (page.markets.length === 0 && missing.length > 0) {
        throw new BrowserSourceError('selector', this.selectorProblem(missing[0] ?? 'MatchOdds', page.url));
      }
      return view;
    } catch (err) {
      lease.discard();
      const reason = reasonOf(err);
      if (domain && reason !== 'selector' && reason !== 'browser_crash')
        this.opts.pool.failure(domain, reason, messageOf(err));
      this.tracker.error(reason, messageOf(err));
      throw err;
    }
  }

  private selectorProblem(kind: string, url: string): string {
    const sel = this.opts.profile.match.kinds[kind as keyof SiteProfile['match']['kinds']]?.block ?? '?';
    return `selector "${sel}" (${kind}) matched nothing on ${url} although the game lists ${kind} markets: the site layout may have changed`;
  }

  /** Key of this source's events' upstream ids (its own name). */
  get feedName(): string {
    return this.name;
  }

  /** The site's account data (casino, open bets, betslips, user info, tokens). */
  accountData(): SiteAccountData | null {
    return this.feed.accountData();
  }

  /** Status for /status and /api/v1/admin/accounts, with the domain pool per domain. */
  status(): SourceStatus {
    return this.tracker.status({
      openMarkets: this.feed.openMarkets,
      domain: this.client.base,
      pool: this.opts.pool,
      browser: this.session.stats,
      browserRunning: this.session.running,
      tabs: this.tabs.stats(),
      scrapeLoads: this.flights.loads,
      recordedFrames: this.recorder?.frames ?? null,
    });
  }
}

function expects(
  ev: { hasFancy?: boolean | undefined; hasBookmaker?: boolean | undefined },
  kind: string,
): boolean {
  if (kind === 'Fancy') return ev.hasFancy === true;
  if (kind === 'BookMaker') return ev.hasBookmaker === true;
  return true;
}
