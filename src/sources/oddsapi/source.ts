import type { AppLogger as Logger } from '../../logger.js';
import type { Config } from '../../config/index.js';
import type { SourceState, SourceStatus, SourceUpdate } from '../../model/index.js';
import type { Source, UpdateSink } from '../types.js';
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { Backoff, NO_JITTER } from '../../core/backoff.js';
import { OddsApiClient } from './client.js';
import { OddsApiError } from './errors.js';
import { GameBooks } from './games.js';
import { ODDSAPI_SOURCE } from './normalizer.js';
import { QuotaPlan } from './quota.js';
import {
  dueJobs,
  inPlayGames,
  nextDueAt,
  sportWeight,
  type Job,
  type ScheduleOptions,
  type SportState,
} from './schedule.js';
import { sportIdOf } from './sports.js';
import type { OddsApiEvent, OddsApiScore, OddsApiSport } from './types.js';

/** Options of OddsApiSource (see config `oddsApi`). */
export interface OddsApiSourceOptions {
  baseUrl: string;
  apiKey: string;
  monthlyQuota: number;
  quotaResetDay: number;
  regions: readonly string[];
  markets: readonly string[];
  /** Sport keys to poll; empty: the active match sports of /v4/sports, at most `maxSports`. */
  sports: readonly string[];
  maxSports: number;
  minIntervalMs: number;
  inPlayWeight: number;
  /** `daysFrom` of scores requests (1–3); 0 disables scores polling. */
  scoresDaysFrom: number;
  timeoutMs: number;
  logger: Logger;
  clock?: Clock;
  /** false: no timers; the caller drives polling with step() (tests with a controllable clock). */
  autoSchedule?: boolean;
}

/** What one step did. */
export type StepResult = 'sports' | 'odds' | 'scores' | 'idle' | 'blocked' | 'failed';

const SPORTS_REFRESH_MS = 6 * 3600_000;
const MAX_GAME_MS = 6 * 3600_000;
const BACKOFF_MIN_MS = 5000;
const BACKOFF_MAX_MS = 10 * 60_000;
const AUTH_RETRY_MS = 3600_000;
const TIMER_MIN_MS = 250;
const TIMER_MAX_MS = 60_000;
/**
 * The Odds API v4 source ("oddsapi"): polls odds per sport within a monthly quota (more often for sports
 * with games in play), scores for games in play, and pushes each bookmaker's prices as a book of its own.
 * 401, 422, 429 and a spent quota show in its status with a clear message; the quota is in its details.
 */
export class OddsApiSource implements Source {
  readonly name = ODDSAPI_SOURCE;
  private readonly client: OddsApiClient;
  private readonly quota: QuotaPlan;
  private readonly clock: Clock;
  private readonly schedule: ScheduleOptions;
  private readonly sports = new Map<string, SportState>();
  private readonly games = new GameBooks();
  private sink: UpdateSink | null = null;
  private state: SourceState = 'stopped';
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private lastErrorCode: string | null = null;
  private lastUpdateAt: number | null = null;
  private frames = 0;
  private requests = 0;
  private sportsFetchedAt: number | null = null;
  private blockedUntil = 0;
  private readonly backoff = new Backoff({
    baseMs: BACKOFF_MIN_MS,
    maxMs: BACKOFF_MAX_MS,
    jitter: NO_JITTER,
  });
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<StepResult> | null = null;

  constructor(private readonly opts: OddsApiSourceOptions) {
    this.clock = opts.clock ?? systemClock;
    this.client = new OddsApiClient({
      baseUrl: opts.baseUrl,
      apiKey: opts.apiKey,
      timeoutMs: opts.timeoutMs,
    });
    this.quota = new QuotaPlan(
      { monthlyQuota: opts.monthlyQuota, resetDay: opts.quotaResetDay },
      this.clock(),
    );
    this.schedule = {
      oddsCost: Math.max(1, opts.markets.length) * Math.max(1, opts.regions.length),
      scoresCost: opts.scoresDaysFrom > 0 ? 2 : 0,
      inPlayWeight: opts.inPlayWeight,
      minIntervalMs: opts.minIntervalMs,
      maxGameMs: MAX_GAME_MS,
    };
  }

  /** Starts polling (with autoSchedule, the default); resolves at once. */
  async start(sink: UpdateSink): Promise<void> {
    this.sink = sink;
    this.state = 'starting';
    if (this.opts.autoSchedule !== false) this.arm(0);
  }

  /** Stops polling and closes the HTTP pool. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.sink = null;
    await this.running?.catch(() => undefined);
    this.state = 'stopped';
    await this.client.close();
  }

  /** Makes at most one request if one is due (the timer calls this; tests call it with a manual clock). */
  step(): Promise<StepResult> {
    if (this.running) return this.running;
    this.running = this.stepOnce().finally(() => (this.running = null));
    return this.running;
  }

  status(): SourceStatus {
    const now = this.clock();
    return {
      source: this.name,
      kind: 'http-poll',
      state: this.state,
      connected: this.state === 'connected' || this.state === 'degraded',
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastUpdateAt: this.lastUpdateAt,
      frames: this.frames,
      markets: this.games.openMarkets(),
      details: {
        url: this.opts.baseUrl,
        quota: this.quota.snapshot(now),
        requests: this.requests,
        errorCode: this.lastErrorCode,
        blockedUntil: this.blockedUntil > now ? new Date(this.blockedUntil).toISOString() : null,
        sportsPolled: this.sports.size,
        regions: [...this.opts.regions],
        markets: [...this.opts.markets],
        sports: [...this.sports.values()].map((s) => ({
          key: s.key,
          sportId: s.sportId,
          weight: sportWeight(s, now, this.schedule),
          games: s.games.size,
          inPlay: inPlayGames(s, now, this.schedule),
          lastOddsAt: s.lastOddsAt === null ? null : new Date(s.lastOddsAt).toISOString(),
          lastScoresAt: s.lastScoresAt === null ? null : new Date(s.lastScoresAt).toISOString(),
          disabled: s.disabled,
        })),
      },
    };
  }

  private async stepOnce(): Promise<StepResult> {
    const now = this.clock();
    if (!this.sink) return 'idle';
    if (now < this.blockedUntil) return 'blocked';
    try {
      if (this.sportsFetchedAt === null || now - this.sportsFetchedAt >= SPORTS_REFRESH_MS) {
        await this.refreshSports(now);
        return 'sports';
      }
      const job = dueJobs(this.sports.values(), now, this.schedule).find(() => true);
      if (!job || !this.quota.canSpend(job.cost, now)) {
        if (this.quota.snapshot(now).exhausted)
          this.degrade(
            'QUOTA_RESERVE',
            'monthly quota spent down to its reserve; polling resumes when it renews',
            now,
          );
        return 'idle';
      }
      await this.run(job, now);
      return job.kind;
    } catch (err) {
      this.onError(err, now);
      return 'failed';
    }
  }

  private async refreshSports(now: number): Promise<void> {
    let listed: OddsApiSport[] = [];
    try {
      const res = await this.client.sports();
      this.requests++;
      this.quota.spend(0, res.quota, now);
      listed = res.data;
    } catch (err) {
      // with configured sports the list only adds titles: carry on without it
      if (this.opts.sports.length === 0 || (err instanceof OddsApiError && err.code === 'UNAUTHORIZED'))
        throw err;
    }
    this.sportsFetchedAt = now;
    this.trackSports(listed);
    this.onSuccess();
  }

  private trackSports(listed: readonly OddsApiSport[]): void {
    const byKey = new Map(listed.map((s) => [s.key, s]));
    const wanted =
      this.opts.sports.length > 0
        ? [...this.opts.sports]
        : listed
            .filter((s) => s.active && !s.has_outrights && sportIdOf(s.group, s.key) !== null)
            .map((s) => s.key);
    for (const key of wanted.slice(0, this.opts.sports.length > 0 ? undefined : this.opts.maxSports)) {
      const meta = byKey.get(key);
      const sportId = sportIdOf(meta?.group, key);
      if (sportId === null) continue;
      const prev = this.sports.get(key);
      if (prev) prev.disabled = null;
      else
        this.sports.set(key, {
          key,
          title: meta?.title ?? key,
          sportId,
          lastOddsAt: null,
          lastScoresAt: null,
          games: new Map(),
          disabled: null,
        });
    }
  }

  private async run(job: Job, now: number): Promise<void> {
    if (job.kind === 'odds') {
      job.sport.lastOddsAt = now;
      const res = await this.client.odds(job.sport.key, {
        regions: this.opts.regions,
        markets: this.opts.markets,
      });
      this.account(job.cost, res.quota, now);
      this.onOdds(job.sport, res.data, now);
    } else {
      job.sport.lastScoresAt = now;
      const res = await this.client.scores(job.sport.key, this.opts.scoresDaysFrom);
      this.account(job.cost, res.quota, now);
      this.onScores(job.sport, res.data, now);
    }
    this.onSuccess();
  }

  private account(cost: number, quota: Parameters<QuotaPlan['spend']>[1], now: number): void {
    this.requests++;
    this.frames++;
    this.quota.spend(cost, quota, now);
  }

  private onOdds(sport: SportState, events: readonly OddsApiEvent[], now: number): void {
    if (events.length > 0) this.lastUpdateAt = now;
    this.push(this.games.fromOdds(sport, events, now));
  }

  private onScores(sport: SportState, scores: readonly OddsApiScore[], now: number): void {
    const updates = this.games.fromScores(sport, scores);
    if (updates.length > 0) this.lastUpdateAt = now;
    this.push(updates);
  }

  private push(updates: SourceUpdate[]): void {
    if (updates.length > 0) this.sink?.(updates);
  }

  private onSuccess(): void {
    this.state = 'connected';
    this.backoff.reset();
  }

  private degrade(code: string, message: string, now: number): void {
    this.state = 'degraded';
    if (this.lastErrorCode === code && this.lastError === message) return;
    this.lastErrorCode = code;
    this.lastError = message;
    this.lastErrorAt = now;
    this.opts.logger.warn({ code }, `odds API: ${message}`);
  }

  private onError(err: unknown, now: number): void {
    const e =
      err instanceof OddsApiError ? err : new OddsApiError('NETWORK', (err as Error).message ?? String(err));
    const backoff = () => {
      this.blockedUntil = now + this.backoff.next();
    };
    switch (e.code) {
      case 'UNAUTHORIZED':
        this.blockedUntil = now + AUTH_RETRY_MS;
        this.degrade(e.code, `${e.message}; check ODDS_API_KEY (retrying hourly)`, now);
        this.state = 'disconnected';
        return;
      case 'QUOTA_EXHAUSTED':
        this.blockedUntil = Date.parse(this.quota.snapshot(now).periodEndsAt);
        this.degrade(e.code, `${e.message}; polling resumes when the quota renews`, now);
        return;
      case 'RATE_LIMITED':
        if (e.retryAfterSec !== null) this.blockedUntil = now + e.retryAfterSec * 1000;
        else backoff();
        this.degrade(e.code, `${e.message}; backing off`, now);
        return;
      case 'INVALID_REQUEST':
        this.disableLastSport(e.message);
        this.degrade(e.code, e.message, now);
        return;
      default:
        backoff();
        this.degrade(e.code, e.message, now);
        if (e.code === 'NETWORK') this.state = 'disconnected';
    }
  }

  /** After a 422 the sport just polled is left out until the sports list is refreshed. */
  private disableLastSport(message: string): void {
    let last: SportState | undefined;
    for (const s of this.sports.values()) {
      const t = Math.max(s.lastOddsAt ?? -Infinity, s.lastScoresAt ?? -Infinity);
      if (!last || t > Math.max(last.lastOddsAt ?? -Infinity, last.lastScoresAt ?? -Infinity)) last = s;
    }
    if (last) last.disabled = message;
  }

  /** Schedules the next step: soon after a request, else when a job or the quota next allows one. */
  private arm(delayMs: number): void {
    if (!this.sink) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.step().then((r) => this.arm(this.delayAfter(r)));
    }, delayMs);
    this.timer.unref?.();
  }

  private delayAfter(r: StepResult): number {
    const now = this.clock();
    if (r === 'sports' || r === 'odds' || r === 'scores') return TIMER_MIN_MS;
    let at = Math.max(
      nextDueAt(this.sports.values(), this.schedule),
      this.quota.nextAt(this.schedule.oddsCost, now),
    );
    if (now < this.blockedUntil) at = this.blockedUntil;
    return Math.min(TIMER_MAX_MS, Math.max(TIMER_MIN_MS, at - now));
  }
}

/** The registry factory: an OddsApiSource from config `oddsApi` (ODDS_API_* variables). */
export function createOddsApiSource(config: Config, logger: Logger): Source {
  const o = config.oddsApi;
  if (!o.apiKey) {
    throw new Error(
      'invalid configuration: oddsApi.apiKey (ODDS_API_KEY): required when SOURCES includes oddsapi',
    );
  }
  return new OddsApiSource({
    baseUrl: o.url,
    apiKey: o.apiKey,
    monthlyQuota: o.monthlyQuota,
    quotaResetDay: o.quotaResetDay,
    regions: o.regions,
    markets: o.markets,
    sports: o.sports,
    maxSports: o.maxSports,
    minIntervalMs: o.minIntervalSec * 1000,
    inPlayWeight: o.inPlayWeight,
    scoresDaysFrom: o.scoresDaysFrom,
    timeoutMs: o.timeoutMs,
    logger,
  });
}
