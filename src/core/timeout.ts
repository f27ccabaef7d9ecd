import { OddsgateError } from './errors.js';

/** Raised by withTimeout when the operation did not settle in time. */
export class TimeoutError extends OddsgateError<'ERR_TIMEOUT'> {
  constructor(what: string, ms: number) {
    super('ERR_TIMEOUT', `${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Options of {@link withTimeout}. */
export interface TimeoutOptions {
  /** The error to reject with on expiry. Default a TimeoutError. */
  onTimeout?: () => Error;
  /** Whether the deadline may hold the process open. Default false (the timer is unref'd). */
  holdProcess?: boolean;
}

/**
 * Resolves or rejects as `p` does, or rejects with TimeoutError (or `onTimeout()`'s error) after `ms`. The
 * operation itself is abandoned, not cancelled.
 */
export async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
  opts: TimeoutOptions = {},
): Promise<T> {
  const onTimeout = opts.onTimeout ?? (() => new TimeoutError(what, ms));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    if (!opts.holdProcess) timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
