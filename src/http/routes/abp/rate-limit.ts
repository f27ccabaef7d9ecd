/** The decision of one request against its key's limit. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request would be allowed again (0 when allowed). */
  retryAfterSec: number;
}

interface Windows {
  /** Start (ms) of the current fixed minute. */
  start: number;
  current: number;
  previous: number;
}

/**
 * Per-key sliding-window limiter (requests per minute): the sliding-window counter, which weighs the
 * previous minute's count by the part of it still inside the last 60 s. O(1) memory per key, and the map
 * is bounded (the least recently used key is forgotten beyond `maxKeys`).
 */
export class SlidingWindowLimiter {
  private readonly keys = new Map<string, Windows>();

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request of `key` when it is within `limit`; says whether it was. */
  hit(key: string, limit: number): RateDecision {
    const t = this.now();
    const w = this.roll(key, t);
    const weight = 1 - (t - w.start) / this.windowMs;
    const used = w.previous * weight + w.current;
    if (used + 1 > limit) {
      // When enough of the previous minute slides out (or the current minute ends) for one more request.
      const need = used + 1 - limit;
      const wait = w.previous > 0 ? (need / w.previous) * this.windowMs : w.start + this.windowMs - t;
      const retry = Math.min(Math.ceil(wait / 1000), Math.ceil((w.start + 2 * this.windowMs - t) / 1000));
      return { allowed: false, limit, remaining: 0, retryAfterSec: Math.max(1, retry) };
    }
    w.current++;
    return { allowed: true, limit, remaining: Math.max(0, Math.floor(limit - used - 1)), retryAfterSec: 0 };
  }

  private roll(key: string, t: number): Windows {
    const start = t - (t % this.windowMs);
    let w = this.keys.get(key);
    if (w) this.keys.delete(key);
    if (!w) w = { start, current: 0, previous: 0 };
    else if (w.start !== start) {
      w.previous = start - w.start === this.windowMs ? w.current : 0;
      w.current = 0;
      w.start = start;
    }
    this.keys.set(key, w);
    if (this.keys.size > this.maxKeys) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return w;
  }
}
