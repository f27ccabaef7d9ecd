/** Exponential backoff with jitter for reconnects and retries. */

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** First delay. Default 250 ms. */
  baseMs?: number;
  /** Longest delay. Default 30 s. */
  maxMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Random in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Delays grow base × factor^n up to max; each delay is drawn uniformly from [d/2, d] ("equal jitter"), so
 * clients reconnecting together spread out but never retry immediately.
 */
export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? 250;
    this.maxMs = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
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
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  /** The longest delay, jittered (for errors that will not clear soon). */
  longest(): number {
    this.attempt++;
    return Math.round(this.maxMs / 2 + (this.maxMs / 2) * this.random());
  }

  /** Back to the first delay (after a connection that worked). */
  reset(): void {
    this.attempt = 0;
  }
}
