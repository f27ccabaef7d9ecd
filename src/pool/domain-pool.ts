/**
 * A pool of interchangeable upstream base URLs ("domains") ranked by health, as seed 000 §8 describes:
 *
 *   score = successRate × healthBonus × recencyBonus
 *   successRate  = 1 − failures / totalRequests   (1 before the first request)
 *   healthBonus  = 1.0 when healthy, 0.1 while in cooldown
 *   recencyBonus = 1.2 when it succeeded in the last 5 minutes, else 1.0
 *
 * Consecutive failures put a domain in cooldown for 30 s, 2 min, 5 min, 10 min, then 30 min. `pick()` takes
 * the highest-scoring healthy domain, else (all cooling down) the one whose cooldown ends first. A success
 * resets the consecutive failures and clears the cooldown. Every time comes from an injectable clock.
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';

/** Cooldown after 1, 2, 3, 4 and 5+ consecutive failures (ms). */
export const COOLDOWN_STEPS_MS: readonly number[] = [30_000, 120_000, 300_000, 600_000, 1_800_000];
/** A success this recent earns the recency bonus. */
export const RECENT_SUCCESS_MS = 5 * 60_000;
/** healthBonus: 1.0 when healthy, 0.1 while in cooldown. */
export const HEALTH_BONUS = { healthy: 1.0, cooldown: 0.1 } as const;
/** recencyBonus: 1.2 after a success in the last 5 minutes, else 1.0. */
export const RECENCY_BONUS = { recent: 1.2, stale: 1.0 } as const;

/** Why a request to a domain failed (block detection and transport errors). */
export type FailureReason =
  | 'http_403'
  | 'http_429'
  | 'http_503'
  | 'http_error'
  | 'challenge'
  | 'login_page'
  | 'blank_page'
  | 'timeout'
  | 'network'
  | 'selector'
  | 'browser_crash';

/** What the pool knows about one domain; the shape kept in the store and shown in /status. */
export interface DomainState {
  url: string;
  /** Optional HTTP proxy used for this domain. */
  proxy: string | null;
  totalRequests: number;
  failures: number;
  consecutiveFailures: number;
  /** Epoch ms the cooldown ends; null when healthy. */
  cooldownUntil: number | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastFailureReason: FailureReason | null;
  lastFailureDetail: string | null;
}

/** A domain state plus its derived view at a given time. */
export interface DomainView extends DomainState {
  healthy: boolean;
  score: number;
}

/** Cooldown for the n-th consecutive failure (n ≥ 1). */
export function cooldownFor(consecutiveFailures: number): number {
  const i = Math.min(Math.max(consecutiveFailures, 1), COOLDOWN_STEPS_MS.length) - 1;
  return COOLDOWN_STEPS_MS[i] as number;
}

/** True when the domain is not cooling down at `now`. */
export function isHealthy(d: DomainState, now: number): boolean {
  return d.cooldownUntil === null || d.cooldownUntil <= now;
}

/** The seed §8 score of a domain at `now`. */
export function scoreOf(d: DomainState, now: number): number {
  const successRate = d.totalRequests === 0 ? 1 : 1 - d.failures / d.totalRequests;
  const health = isHealthy(d, now) ? HEALTH_BONUS.healthy : HEALTH_BONUS.cooldown;
  const recent = d.lastSuccessAt !== null && now - d.lastSuccessAt <= RECENT_SUCCESS_MS;
  return successRate * health * (recent ? RECENCY_BONUS.recent : RECENCY_BONUS.stale);
}

/** Normalises a base URL so the same site is one domain ("https://a.com/" = "https://a.com"). */
export function normalizeDomain(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) URL: ${url}`);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

function freshState(url: string, proxy: string | null): DomainState {
  return {
    url,
    proxy,
    totalRequests: 0,
    failures: 0,
    consecutiveFailures: 0,
    cooldownUntil: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastFailureReason: null,
    lastFailureDetail: null,
  };
}

/** Options of a pool. */
export interface DomainPoolOptions {
  name: string;
  urls: readonly string[];
  /** HTTP proxies handed out round-robin to the domains (optional). */
  proxies?: readonly string[];
  clock?: Clock;
}

/** The health-ranked pool of one upstream's domains. */
export class DomainPool {
  readonly name: string;
  private readonly clock: Clock;
  private readonly proxies: readonly string[];
  private readonly domains = new Map<string, DomainState>();
  private readonly listeners = new Set<() => void>();

  constructor(opts: DomainPoolOptions) {
    this.name = opts.name;
    this.clock = opts.clock ?? systemClock;
    this.proxies = opts.proxies ?? [];
    for (const u of opts.urls) this.add(u);
  }

  /** Adds a domain (no-op when present); returns its normalised URL. */
  add(url: string): string {
    const key = normalizeDomain(url);
    if (!this.domains.has(key)) {
      const proxy = this.proxies.length
        ? (this.proxies[this.domains.size % this.proxies.length] ?? null)
        : null;
      this.domains.set(key, freshState(key, proxy));
      this.changed();
    }
    return key;
  }

  /** Removes a domain; false when it was not in the pool. */
  remove(url: string): boolean {
    const ok = this.domains.delete(normalizeDomain(url));
    if (ok) this.changed();
    return ok;
  }

  /** Number of domains. */
  get size(): number {
    return this.domains.size;
  }

  /**
   * The domain to use now: the best-scoring healthy one (ties: the earlier added), else the one whose
   * cooldown ends first. Null when the pool is empty.
   */
  pick(): DomainView | null {
    const now = this.clock();
    const all = this.list();
    const healthy = all.filter((d) => d.healthy);
    if (healthy.length > 0) return healthy.reduce((best, d) => (d.score > best.score ? d : best));
    if (all.length === 0) return null;
    return all.reduce((best, d) => ((d.cooldownUntil ?? now) < (best.cooldownUntil ?? now) ? d : best));
  }

  /** Records a successful request: consecutive failures and cooldown cleared. */
  success(url: string): void {
    const d = this.domains.get(normalizeDomain(url));
    if (!d) return;
    d.totalRequests++;
    d.consecutiveFailures = 0;
    d.cooldownUntil = null;
    d.lastSuccessAt = this.clock();
    this.changed();
  }

  /** Records a failed request with its reason; the domain cools down by its consecutive failures. */
  failure(url: string, reason: FailureReason, detail: string | null = null): void {
    const d = this.domains.get(normalizeDomain(url));
    if (!d) return;
    const now = this.clock();
    d.totalRequests++;
    d.failures++;
    d.consecutiveFailures++;
    d.cooldownUntil = now + cooldownFor(d.consecutiveFailures);
    d.lastFailureAt = now;
    d.lastFailureReason = reason;
    d.lastFailureDetail = detail;
    this.changed();
  }

  /** Every domain with its score and health at the pool clock's now, in insertion order. */
  list(): DomainView[] {
    const now = this.clock();
    return [...this.domains.values()].map((d) => ({
      ...d,
      healthy: isHealthy(d, now),
      score: scoreOf(d, now),
    }));
  }

  /** Plain states (what is persisted). */
  states(): DomainState[] {
    return [...this.domains.values()].map((d) => ({ ...d }));
  }

  /**
   * Restores persisted counters for domains still configured, and adds persisted domains that were added
   * at runtime. Unknown fields are ignored.
   */
  restore(states: readonly DomainState[]): void {
    for (const s of states) {
      const key = normalizeDomain(s.url);
      const cur = this.domains.get(key) ?? freshState(key, s.proxy ?? null);
      this.domains.set(key, { ...cur, ...pickCounters(s), url: key });
    }
    this.changed();
  }

  /** Calls `fn` after every change (persistence); returns an unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

function pickCounters(s: DomainState): Partial<DomainState> {
  return {
    totalRequests: s.totalRequests,
    failures: s.failures,
    consecutiveFailures: s.consecutiveFailures,
    cooldownUntil: s.cooldownUntil,
    lastSuccessAt: s.lastSuccessAt,
    lastFailureAt: s.lastFailureAt,
    lastFailureReason: s.lastFailureReason,
    lastFailureDetail: s.lastFailureDetail,
  };
}
