import { OddsgateError } from './errors.js';

/** Raised by withTimeout when the operation did not settle in time. */
export class TimeoutError extends OddsgateError<'ERR_TIMEOUT'> {
  constructor(what: string, ms: number) {
    super('ERR_TIMEOUT', `${what} did not answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Resolves or rejects as `p` does, or rejects with TimeoutError (or `onTimeout()`'s error) after `ms`; the
 * timer never holds the process. The operation itself is abandoned, not cancelled.
 */
export async function withTimeout<T>(
  p: Promise<T>,
  ms: number,
  what: string,
  onTimeout: () => Error = () => new TimeoutError(what, ms),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
