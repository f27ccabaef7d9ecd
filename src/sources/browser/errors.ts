/** Errors of the browser transport; `reason` is what the domain pool records and callers switch on. */
import type { FailureReason } from '../../pool/domain-pool.js';
import { withTimeout as withDeadline } from '../../core/timeout.js';
import { OddsgateError } from '../../core/errors.js';

/** A page or browser operation failed in a way that counts against the domain (or the browser). */
export class BrowserSourceError extends OddsgateError<'ERR_BROWSER'> {
  constructor(
    readonly reason: FailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ERR_BROWSER', message, options);
    this.name = 'BrowserSourceError';
  }
}

/** An operation took longer than allowed. */
export class BrowserTimeoutError extends BrowserSourceError {
  constructor(
    readonly what: string,
    ms: number,
  ) {
    super('timeout', `${what} timed out after ${ms} ms`);
    this.name = 'BrowserTimeoutError';
  }
}

/** Runs `op` with a deadline; on expiry rejects with BrowserTimeoutError (the operation is abandoned). */
export function withTimeout<T>(op: Promise<T>, ms: number, what: string): Promise<T> {
  // The deadline holds the process like the operation it guards (a page load, a scrape).
  return withDeadline(op, ms, what, {
    onTimeout: () => new BrowserTimeoutError(what, ms),
    holdProcess: true,
  });
}

/** The failure reason of any error: a BrowserSourceError's own, a Playwright timeout, else network. */
export function reasonOf(err: unknown): FailureReason {
  if (err instanceof BrowserSourceError) return err.reason;
  if (err instanceof Error && err.name === 'TimeoutError') return 'timeout';
  if (
    err instanceof Error &&
    /Target (page, context or browser )?(has been )?closed|Browser closed|crash/i.test(err.message)
  ) {
    return 'browser_crash';
  }
  return 'network';
}

/** A short message of any error (first line). */
export function messageOf(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0]?.slice(0, 300) ?? m;
}
