import type { FastifyInstance } from 'fastify';

/** Methods the Porqpine surface allows cross-origin (seed 001: "CORS, methods GET, POST, OPTIONS"). */
export const CORS_METHODS = 'GET, POST, OPTIONS';
const MAX_AGE_SEC = 600;

/**
 * Open CORS for the plugin it is installed in: every response carries `Access-Control-Allow-Origin: *`,
 * and preflight `OPTIONS` requests on any path under the plugin's prefix answer 204 with the allowed
 * methods and the requested headers. (The surface has no cookies, so no credentials mode.)
 */
export function installCors(app: FastifyInstance): void {
  // A callback hook (no promise per request): it runs on every request of the surface.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'ETag, Cache-Control');
    if (req.method !== 'OPTIONS') return done();
    const asked = req.headers['access-control-request-headers'];
    reply.header('access-control-allow-methods', CORS_METHODS);
    reply.header('access-control-allow-headers', typeof asked === 'string' && asked ? asked : 'Content-Type');
    reply.header('access-control-max-age', String(MAX_AGE_SEC));
    reply.code(204).send();
  });
  app.options('/*', async (_req, reply) => reply.code(204).send());
}
