import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors.js';

/** Methods the Porqpine surface allows cross-origin (seed 001: "CORS, methods GET, POST, OPTIONS"). */
export const CORS_METHODS = 'GET, POST, OPTIONS';
const MAX_AGE_SEC = 600;
/** Methods a read-only surface (admin) allows cross-origin. */
const READ_ONLY_METHODS = 'GET, OPTIONS';
const SAFE = new Set(['GET', 'HEAD']);
/**
 * Response headers a cross-origin script may read (besides the CORS-safelisted ones): the cache validators
 * and the limits (per-key X-RateLimit-*, Retry-After on 429 and 503), so a browser client can back off.
 */
export const EXPOSED_HEADERS =
  'ETag, Cache-Control, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset';
/** Most request headers a preflight may ask for, and the longest list echoed back. */
const MAX_ASKED_HEADERS = 32;
const MAX_ASKED_LENGTH = 1024;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/** Options of `installCors`. */
export interface CorsOptions {
  /**
   * Cross-origin reads only (the admin surface): state-changing requests get no CORS headers and their
   * preflights (`Access-Control-Request-Method` other than GET/HEAD) are refused with 403.
   */
  readOnly?: boolean;
  /**
   * Origins allowed to read responses: `['*']` (the default) answers `Access-Control-Allow-Origin: *`; a
   * list answers the request's `Origin` when it is on the list (with `Vary: Origin`) and gives other origins
   * no CORS headers (their preflights get 403). Never with credentials.
   */
  origins?: readonly string[];
}

/**
 * The headers a preflight asked for, when every one is a valid header name and there are not too many;
 * else null (the preflight then allows only Content-Type).
 */
function askedHeaders(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_ASKED_LENGTH) return null;
  const names = raw
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  if (names.length === 0 || names.length > MAX_ASKED_HEADERS || !names.every((h) => HEADER_NAME.test(h)))
    return null;
  return names.join(', ');
}

/**
 * Open CORS for the plugin it is installed in: every response carries `Access-Control-Allow-Origin: *`,
 * and preflight `OPTIONS` requests on any path under the plugin's prefix answer 204 with the allowed
 * methods and the requested headers. (The surface has no cookies, so no credentials mode.) `readOnly`
 * keeps it to reads.
 */
export function installCors(app: FastifyInstance, opts: CorsOptions = {}): void {
  const origins = opts.origins ?? ['*'];
  const anyOrigin = origins.includes('*');
  const listed = new Set(origins);
  // A callback hook (no promise per request): it runs on every request of the surface.
  app.addHook('onRequest', (req, reply, done) => {
    let allowOrigin = '*';
    if (!anyOrigin) {
      reply.header('vary', 'Origin');
      const origin = req.headers.origin;
      if (typeof origin !== 'string' || !listed.has(origin)) {
        if (req.method !== 'OPTIONS') return done(); // same-origin or server-side callers need no CORS
        void sendError(reply, 403, 'Forbidden: this origin may not call this surface');
        return;
      }
      allowOrigin = origin;
    }
    if (opts.readOnly && !SAFE.has(req.method)) {
      const asked = req.headers['access-control-request-method'];
      if (req.method !== 'OPTIONS') return done(); // a change: no CORS headers, its response stays unreadable
      if (typeof asked !== 'string' || !SAFE.has(asked.toUpperCase())) {
        void sendError(reply, 403, 'Forbidden: cross-origin changes are not allowed on this surface');
        return;
      }
    }
    reply.header('access-control-allow-origin', allowOrigin);
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    if (req.method !== 'OPTIONS') return done();
    reply.header('access-control-allow-methods', opts.readOnly ? READ_ONLY_METHODS : CORS_METHODS);
    reply.header(
      'access-control-allow-headers',
      askedHeaders(req.headers['access-control-request-headers']) ?? 'Content-Type',
    );
    reply.header('access-control-max-age', String(MAX_AGE_SEC));
    reply.code(204).send();
  });
  app.options('/*', async (_req, reply) => reply.code(204).send());
}
