/**
 * The reliability suite's two variants: full (`npm run test:reliability`) and short (RELIABILITY_SHORT=1,
 * what CI runs): the same scenarios and assertions, shorter and lighter.
 */
export const SHORT = process.env.RELIABILITY_SHORT === '1';

/** `full` in the full variant, `short` in the short one. */
export function pick<T>(full: T, short: T): T {
  return SHORT ? short : full;
}
