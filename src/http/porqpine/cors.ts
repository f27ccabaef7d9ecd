import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors.js';

/** Methods the Porqpine surface allows cross-origin (seed 001: "CORS, methods GET, POST, OPTIONS"). */
export const CORS_METHODS = 'GET, POST, OPTIONS';
const MAX_AGE_SEC = 600;
/** Methods a read-only surface (admin) allows cross-origin. */
const READ_ONLY_METHODS = 'GET, OPTIONS';
const SAFE = new Set(['GET', 'HEAD']);

/** Options of `installCors`. */
export interface CorsOptions {
  /**
   * Cross-origin reads only (the admin surface): state-changing requests get no CORS headers and their
   * preflights (`Access-Control-Request-Method` other than GET/HEAD) are refused with 403.
   */
  readOnly?: boolean;
}

/**
 * Open CORS for the plugin it is installed in: every response carries `Access-Control-Allow-Origin: *`,
 * and preflight `OPTIONS` requests on any path under the plugin's prefix answer 204 with the allowed
 * methods and the requested headers. (The surface has no cookies, so no credentials mode.) `readOnly`
 * keeps it to reads.
 */
export function installCors(app: FastifyInstance, opts: CorsOptions = {}): void {
  // A callback hook (no promise per request): it runs on every request of the surface.
  app.addHook('onRequest', (req, reply, done) => {
    if (opts.readOnly && !SAFE.has(req.method)) {
      const asked = req.headers['access-control-request-method'];
      if (req.method !== 'OPTIONS') return done(); // a change: no CORS headers, its response stays unreadable
      if (typeof asked !== 'string' || !SAFE.has(asked.toUpperCase())) {
        void sendError(reply, 403, 'Forbidden: cross-origin changes are not allowed on this surface');
        return;
      }
    }
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'ETag, Cache-Control');
    if (req.method !== 'OPTIONS') return done();
    const asked = req.headers['access-control-request-headers'];
    reply.header('access-control-allow-methods', opts.readOnly ? READ_ONLY_METHODS : CORS_METHODS);
    reply.header('access-control-allow-headers', typeof asked === 'string' && asked ? asked : 'Content-Type');
    reply.header('access-control-max-age', String(MAX_AGE_SEC));
    reply.code(204).send();
  });
  app.options('/*', async (_req, reply) => reply.code(204).send());
}
