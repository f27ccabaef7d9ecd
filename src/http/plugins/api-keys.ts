import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyEntry } from '../../config/operations.js';
import { KeyRing } from '../api-keys/key-ring.js';
import { sendError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The configured API keys (hashed); `size` 0 means the feed and /ws are open. */
    keyRing: KeyRing;
  }
  interface FastifyRequest {
    /** The API key this request presented, once checked (null: none needed or none sent). */
    apiKeyEntry: ApiKeyEntry | null;
  }
}

/** Header that carries the key on every keyed surface. */
export const API_KEY_HEADER = 'x-api-key';

/** True for the surfaces that need a key when keys are configured: /api/v1/* and /ws. */
export function isKeyedPath(url: string): boolean {
  const path = url.split('?', 1)[0] ?? url;
  return path.startsWith('/api/v1/') || path === '/api/v1' || path === '/ws' || path === '/ws/';
}

function presentedKey(req: FastifyRequest, isWs: boolean): string | undefined {
  const h = req.headers[API_KEY_HEADER];
  if (typeof h === 'string') return h;
  if (!isWs) return undefined;
  const q = (req.query as Record<string, unknown> | undefined)?.apiKey;
  return typeof q === 'string' ? q : undefined;
}

/**
 * Checks the API key of /api/v1/* requests when keys are configured (`apiKeys`, API_KEYS): the `X-API-Key`
 * header, else 401 `{success:false,error}`; CORS preflights pass. /ws keeps the broker's own protocol (a
 * wrong `?apiKey=`/`X-API-Key` closes with 4001, none asks for a `login` frame, 4002 without one); its
 * upgrade only notes a valid key here so the connection counts against that key's rate limit.
 */
export const apiKeysPlugin = fp(
  async (app) => {
    const ring = new KeyRing(app.config.apiKeys);
    app.decorate('keyRing', ring);
    app.decorateRequest('apiKeyEntry', null);
    if (ring.size === 0) return;
    app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      if (req.method === 'OPTIONS' || !isKeyedPath(req.url)) return;
      const isWs = req.url.startsWith('/ws');
      const given = presentedKey(req, isWs);
      const entry = given === undefined ? null : ring.match(given);
      if (entry) req.apiKeyEntry = entry;
      else if (!isWs) {
        return sendError(
          reply,
          401,
          given === undefined ? 'API key required: send it in the X-API-Key header' : 'Invalid API key',
        );
      }
    });
  },
  { name: 'api-keys' },
);
