import type { QuotaHeaders } from './types.js';

/**
 * The polling budget of the odds API: a configured monthly quota (credits), spent evenly over what is
 * left of the quota period, never below a reserve. A token bucket refills at
 * (credits left − reserve) / (time left in the period); a request may go when the bucket holds its cost.
 * The bucket holds at most a small burst, so a fresh start or a quiet spell never turns into a flood.
 * Credits used come from the API's `x-requests-used` header when it gives one (so restarts and other
 * users of the same key count), else from the costs this process paid.
 */

/** Options of QuotaPlan. */
export interface QuotaPlanOptions {
  /** Credits this source may spend per quota period. */
  monthlyQuota: number;
  /** Day of the month (UTC, 1–28) the quota renews. */
  resetDay: number;
  /** Credits never spent (kept for manual use); default 2 % of the quota, at least 1. */
  reserve?: number;
  /** Largest burst in credits (default 2 % of the quota, at least one request's cost). */
  burst?: number;
}

/** What /status shows of the quota. */
export interface QuotaSnapshot {
  monthlyQuota: number;
  used: number;
  /** Credits left of the configured quota this period. */
  remaining: number;
  /** `x-requests-remaining` as last reported by the API (the account's own limit), null before any. */
  apiRemaining: number | null;
  /** `x-requests-last`: the cost of the last request. */
  lastCost: number | null;
  reserve: number;
  /** Credits per hour the plan spends at now. */
  ratePerHour: number;
  periodEndsAt: string;
  /** True when nothing but the reserve is left until the period ends. */
  exhausted: boolean;
}

const HOUR = 3600_000;

/** Start (epoch ms) of the quota period containing `now`. */
export function periodStart(now: number, resetDay: number): number {
  const d = new Date(now);
  let start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), resetDay);
  if (start > now) start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, resetDay);
  return start;
}

/** End (epoch ms, exclusive) of the quota period containing `now`. */
export function periodEnd(now: number, resetDay: number): number {
  const s = new Date(periodStart(now, resetDay));
  return Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + 1, resetDay);
}

/** The quota plan (see the module doc). */
export class QuotaPlan {
  private used = 0;
  private apiRemaining: number | null = null;
  private lastCost: number | null = null;
  private tokens: number;
  private refilledAt: number;
  private period: number;
  readonly reserve: number;
  /** Bucket capacity: the burst, or the largest request cost seen when that is more. */
  private cap: number;

  constructor(
    private readonly opts: QuotaPlanOptions,
    now: number,
  ) {
    this.reserve = opts.reserve ?? Math.max(1, Math.ceil(opts.monthlyQuota * 0.02));
    this.cap = opts.burst ?? Math.max(1, Math.floor(opts.monthlyQuota * 0.02));
    this.tokens = Math.min(this.cap, this.spendable());
    this.refilledAt = now;
    this.period = periodStart(now, opts.resetDay);
  }

  /** Credits left of the configured quota this period (the API's own remaining when lower). */
  remaining(): number {
    const mine = this.opts.monthlyQuota - this.used;
    return Math.max(0, this.apiRemaining === null ? mine : Math.min(mine, this.apiRemaining));
  }

  /** Credits per ms the plan may spend now. */
  rate(now: number): number {
    const left = periodEnd(now, this.opts.resetDay) - now;
    return left > 0 ? this.spendable() / left : 0;
  }

  /** True when a request of `cost` credits may go now. */
  canSpend(cost: number, now: number): boolean {
    this.cap = Math.max(this.cap, cost);
    this.refill(now);
    return cost <= this.spendable() && this.tokens >= cost;
  }

  /** Epoch ms when a request of `cost` may go (now when it may; Infinity when the period's budget is spent). */
  nextAt(cost: number, now: number): number {
    this.cap = Math.max(this.cap, cost);
    this.refill(now);
    if (cost > this.spendable()) return periodEnd(now, this.opts.resetDay);
    const need = cost - this.tokens;
    if (need <= 0) return now;
    const r = this.rate(now);
    return r > 0 ? now + Math.ceil(need / r) : Infinity;
  }

  /** Records a request: its cost (from `x-requests-last`, else `expectedCost`) and the quota headers. */
  spend(expectedCost: number, q: QuotaHeaders, now: number): void {
    this.refill(now);
    const cost = q.last ?? expectedCost;
    this.tokens -= cost;
    this.lastCost = q.last;
    if (q.used !== null) this.used = Math.max(q.used, 0);
    else this.used += cost;
    if (q.remaining !== null) this.apiRemaining = q.remaining;
  }

  /** The quota as /status shows it. */
  snapshot(now: number): QuotaSnapshot {
    this.refill(now);
    return {
      monthlyQuota: this.opts.monthlyQuota,
      used: this.used,
      remaining: this.remaining(),
      apiRemaining: this.apiRemaining,
      lastCost: this.lastCost,
      reserve: this.reserve,
      ratePerHour: Math.round(this.rate(now) * HOUR * 100) / 100,
      periodEndsAt: new Date(periodEnd(now, this.opts.resetDay)).toISOString(),
      exhausted: this.spendable() < 1,
    };
  }

  private spendable(): number {
    return Math.max(0, this.remaining() - this.reserve);
  }

  private refill(now: number): void {
    const p = periodStart(now, this.opts.resetDay);
    if (p !== this.period) {
      // a new period: the quota renews (the API's headers confirm it on the next response)
      this.period = p;
      this.used = 0;
      this.apiRemaining = null;
    }
    const dt = Math.max(0, now - this.refilledAt);
    this.refilledAt = now;
    this.tokens = Math.min(this.cap, this.tokens + dt * this.rate(now));
  }
}
