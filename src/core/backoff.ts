/**
 * Exponential backoff, the one every retry loop uses: Betfair's stream reconnects and API-NG retries,
 * ingest's commit retries, the odds API's polling after errors, the records writer, and the WebSocket
 * client's reconnects.
 */

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay. Default 250 ms. */
  baseMs?: number;
  /** Longest delay. Default 30 s. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /**
   * How each delay d is randomised: drawn uniformly from [d × (1 − low), d × (1 + high)]. Default
   * `{ low: 0.5, high: 0 }`, "equal jitter" (from d/2 to d: clients reconnecting together spread out but
   * never retry immediately); `{ low: 0, high: 0 }` is no jitter; `{ low: j, high: j }` is ±j.
   */
  jitter?: { low: number; high: number };
  /** Random in [0, 1); injectable for tests. */
  random?: () => number;
}

/** No randomisation: the delays are exactly base × factor^n up to max. */
export const NO_JITTER = { low: 0, high: 0 } as const;

/** Delays grow base × factor^n up to max, each randomised by `jitter`. */
export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly low: number;
  private readonly high: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 250;
    this.maxMs = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
    this.low = opts.jitter?.low ?? 0.5;
    this.high = opts.jitter?.high ?? 0;
    this.random = opts.random ?? Math.random;
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The next delay (and counts an attempt). */
  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * this.factor ** this.attempt);
    this.attempt++;
    return this.jittered(ceiling);
  }

  /** The longest delay, jittered (for errors that will not clear soon); counts an attempt. */
  longest(): number {
    this.attempt++;
    return this.jittered(this.maxMs);
  }

  /** Back to the first delay (after a connection or call that worked). */
  reset(): void {
    this.attempt = 0;
  }

  private jittered(d: number): number {
    if (this.low === 0 && this.high === 0) return d;
    return Math.round(d * (1 - this.low) + d * (this.low + this.high) * this.random());
  }
}
