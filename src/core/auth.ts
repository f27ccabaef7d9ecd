import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** Longest secret accepted from a request; anything longer cannot match and is not hashed. */
const MAX_SECRET_LENGTH = 4096;

/** SHA-256 of the UTF-8 string, one shot (no Hash object: this runs for every Diamond request). */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * Constant-time secret comparison: both sides are hashed with SHA-256 so the compared buffers always
 * have the same length, and `timingSafeEqual` does not leak how many leading bytes matched nor the
 * secret's length. Non-strings, empty strings and oversized values never match.
 */
export function secretEquals(given: unknown, expected: string): boolean {
  return secretMatcher(expected)(given);
}

/**
 * A reusable matcher for one or more accepted secrets (the expected digests are computed once).
 * Every accepted secret is compared, so the time does not depend on which one matched.
 */
export function secretMatcher(expected: string | readonly string[]): (given: unknown) => boolean {
  const accepted = (typeof expected === 'string' ? [expected] : expected).filter((s) => s.length > 0);
  const digests = accepted.map(digest);
  return (given) => {
    if (typeof given !== 'string' || given.length === 0 || given.length > MAX_SECRET_LENGTH) return false;
    const d = digest(given);
    let ok = false;
    for (const e of digests) if (timingSafeEqual(d, e)) ok = true;
    return ok;
  };
}

/** Where a surface reads its secret from: a header (preferred) and optionally a query parameter. */
export interface SecretLocation {
  /** Lower-case header name, e.g. "x-password". */
  header: string;
  /** Query parameter name, e.g. "password"; omit to accept the header only. */
  query?: string;
}

/**
 * The secret a request presents: the header when it is sent (then the query parameter is ignored),
 * else the query parameter. A repeated query parameter (an array) counts as absent.
 */
export function secretFromRequest(req: FastifyRequest, where: SecretLocation): string | undefined {
  const h = req.headers[where.header];
  if (typeof h === 'string') return h;
  if (Array.isArray(h)) return undefined;
  if (!where.query) return undefined;
  const q = (req.query as Record<string, unknown> | undefined)?.[where.query];
  return typeof q === 'string' ? q : undefined;
}
