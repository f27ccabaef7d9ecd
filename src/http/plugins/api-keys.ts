import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { ApiKeyEntry } from '../../config/operations.js';
import { KeyRing } from '../api-keys/key-ring.js';
import { sendError } from '../errors.js';
import { FailedAttempts, refuseIfBlocked } from '../failed-attempts.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The configured API keys (hashed); `size` 0 means the feed and /ws are open. */
    keyRing: KeyRing;
    /** Failed credential attempts per client address (every surface's secrets share it). */
    failedAttempts: FailedAttempts;
  }
  interface FastifyRequest {
    /** The API key this request presented, once checked (null: none needed or none sent). */
    apiKeyEntry: ApiKeyEntry | null;
  }
}

/** Header that carries the key on every keyed surface. */
export const API_KEY_HEADER = 'x-api-key';

/**
 * True for route definitions (`routeOptions.url`, never a request's raw URL) that a key can reach:
 * /api/v1/*, /ws and /proxy/*. Only used to spare other routes the rate limiter's hook; which requests
 * need a key is decided by the hooks the route scopes install (`requireApiKey`).
 */
export function isKeyedPath(routeUrl: string): boolean {
  return (
    routeUrl.startsWith('/api/v1/') ||
    routeUrl === '/api/v1' ||
    routeUrl === '/ws' ||
    routeUrl === '/proxy' ||
    routeUrl.startsWith('/proxy/')
  );
}

/** Where a keyed scope reads the key: always the X-API-Key header, on some also a query parameter. */
export interface ApiKeyCheckOptions {
  /** Query parameter also accepted (`apiKey` on /ws and /proxy, whose clients cannot always set headers). */
  query?: string;
  /**
   * /ws: a missing or wrong key does not refuse the upgrade (the broker's protocol closes with 4001 or asks
   * for a `login` frame); a valid one is noted so the connection counts against that key's limit.
   */
  upgrade?: boolean;
}

function presentedKey(req: FastifyRequest, query: string | undefined): string | undefined {
  const h = req.headers[API_KEY_HEADER];
  if (typeof h === 'string') return h;
  if (Array.isArray(h) || !query) return undefined;
  const q = (req.query as Record<string, unknown> | undefined)?.[query];
  return typeof q === 'string' ? q : undefined;
}

/**
 * The API-key check of one route scope, as an onRequest hook (null when no keys are configured): 401
 * `{success:false,error}` for a missing or wrong key, 429 with Retry-After once the client address has
 * failed too often (`failedAttempts`). CORS preflights pass (the scope's CORS hook answers them).
 */
export function apiKeyCheck(
  app: FastifyInstance,
  opts: ApiKeyCheckOptions = {},
): onRequestAsyncHookHandler | null {
  const ring = app.keyRing;
  const attempts = app.failedAttempts;
  if (ring.size === 0) return null;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'OPTIONS') return;
    const given = presentedKey(req, opts.query);
    if (given === undefined && opts.upgrade) return;
    if (refuseIfBlocked(attempts, req, reply)) return reply;
    const entry = given === undefined ? null : ring.match(given);
    if (entry) {
      req.apiKeyEntry = entry;
      return;
    }
    if (given !== undefined) attempts.fail(req.ip);
    if (opts.upgrade) return;
    return sendError(
      reply,
      401,
      given === undefined ? 'API key required: send it in the X-API-Key header' : 'Invalid API key',
    );
  };
}

/**
 * Installs the API-key check on the scope it is called in (an encapsulated route plugin: feed, admin,
 * proxy), so it runs for that scope's matched routes only, whatever the raw URL looked like.
 */
export function requireApiKey(app: FastifyInstance, opts: ApiKeyCheckOptions = {}): void {
  const check = apiKeyCheck(app, opts);
  if (check) app.addHook('onRequest', check);
}

/**
 * Decorates the key ring (API_KEYS hashed) and the failed-attempt limiter (AUTH_MAX_FAILURES a minute per
 * client address). It installs no check itself: each keyed route scope calls `requireApiKey`.
 */
export const apiKeysPlugin = fp(
  async (app) => {
    app.decorate('keyRing', new KeyRing(app.config.apiKeys));
    app.decorate('failedAttempts', new FailedAttempts({ max: app.config.authMaxFailures }));
    app.decorateRequest('apiKeyEntry', null);
  },
  { name: 'api-keys' },
);
