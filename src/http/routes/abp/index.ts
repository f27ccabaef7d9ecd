import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ABP_MESSAGES,
  AbpHttpError,
  detailBody,
  forbiddenBody,
  rateLimitedBody,
  unauthorizedBody,
  validationBody,
  type AbpErrorBody,
} from '../../../contracts/abp/errors.js';
import { accountRoutes } from './accounts.js';
import { betslipRoutes } from './betslip.js';
import { SlidingWindowLimiter } from './rate-limit.js';
import { referenceRoutes } from './reference.js';
import { schemaValidationItems } from './schema-errors.js';
import { abpWsRoutes } from './ws.js';
import { analyticsRoutes } from './analytics.js';
import { orderRoutes } from './orders.js';

export type { AbpClient } from './context.js';
export { abpService, clientOf } from './scope.js';

const API_KEY_HEADER = 'x-api-key';
/** The document's 503 (database or dependency down): the app was built without a records database. */
export const NO_DATABASE = 'The records database is not available';

function send(reply: FastifyReply, status: number, body: AbpErrorBody): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(body));
}

/** Sends `{"detail": message}` (the document's plain error body) with `status`. */
export function sendAbpDetail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return send(reply, status, detailBody(message));
}

/**
 * The API-key hook of the /abp route scope (installed on the scope, so it runs for its matched routes
 * whatever the raw URL): 401 missing/invalid, 403 inactive/expired, then the key's per-minute sliding window
 * (429 with Retry-After and X-RateLimit-*). Wrong keys count against the client address's failed attempts.
 */
function installApiKeyHook(app: FastifyInstance): void {
  const limiter = new SlidingWindowLimiter();
  const attempts = app.failedAttempts;
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers[API_KEY_HEADER];
    if (typeof header !== 'string' || header.length === 0)
      return send(reply, 401, unauthorizedBody(ABP_MESSAGES.missingKey));
    const service = app.abp;
    if (!service) return send(reply, 503, detailBody(NO_DATABASE));
    const wait = attempts.retryAfterSec(req.ip);
    if (wait > 0) return send(reply.header('retry-after', String(wait)), 429, rateLimitedBody());
    const check = await service.keys.check(header);
    if (!check.ok) {
      if (check.reason === 'invalid') {
        attempts.fail(req.ip);
        return send(reply, 401, unauthorizedBody(ABP_MESSAGES.invalidKey));
      }
      return send(
        reply,
        403,
        forbiddenBody(check.reason === 'inactive' ? ABP_MESSAGES.inactiveKey : ABP_MESSAGES.expiredKey),
      );
    }
    const decision = limiter.hit(check.client.keyId, check.client.rateLimit);
    reply.header('x-ratelimit-limit', String(decision.limit));
    reply.header('x-ratelimit-remaining', String(decision.remaining));
    if (!decision.allowed)
      return send(reply.header('retry-after', String(decision.retryAfterSec)), 429, rateLimitedBody());
    req.abpClient = check.client;
  });
}

/** The /abp scope's errors in the document's shapes; 5xx internals are logged, never sent. */
function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AbpHttpError, req, reply) => {
    if (err instanceof AbpHttpError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return send(reply, err.statusCode, err.body);
    }
    // A route schema refused the request: the document's 422 (as parseAbp words it).
    if (hasZodFastifySchemaValidationErrors(err))
      return send(reply, 422, validationBody(schemaValidationItems(err, req)));
    const status = (err as FastifyError).statusCode ?? 500;
    const code = (err as FastifyError).code ?? '';
    if (code.includes('JSON') || code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return send(
        reply,
        422,
        validationBody([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]),
      );
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, 413, detailBody('Request body too large'));
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return send(reply, 415, detailBody('Unsupported content type'));
    if (status >= 400 && status < 500) return send(reply, status, detailBody(err.message || 'Bad request'));
    req.log.error({ err }, 'abp request failed');
    return send(reply, 500, detailBody('Internal server error'));
  });
  app.setNotFoundHandler((_req, reply) => send(reply, 404, detailBody('Not Found')));
}

/**
 * The ABP v2 surface (seed 002), mounted at /abp: REST routes behind the X-API-Key hook and rate limit,
 * and the /abp/ws WebSocket (its login is in the protocol, so it sits beside the keyed scope).
 */
export async function abpRoutes(app: FastifyInstance): Promise<void> {
  installErrorHandler(app);
  await app.register(abpWsRoutes);
  await app.register(async (keyed) => {
    installApiKeyHook(keyed);
    await keyed.register(accountRoutes);
    await keyed.register(referenceRoutes);
    await keyed.register(betslipRoutes);
    await keyed.register(orderRoutes);
    await keyed.register(analyticsRoutes);
  });
}
