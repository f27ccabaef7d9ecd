import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isUuid } from '../../../execution/keys.js';
import { SlidingWindowLimiter } from '../abp/rate-limit.js';
import { schemaValidationItems } from '../abp/schema-errors.js';
import { mmReadRoutes } from './reads.js';
import { mmReferenceRoutes } from './reference.js';
import { MM_MESSAGES, MM_RATE_LIMIT, MmHttpError } from './scope.js';

export { MM_MESSAGES, MM_RATE_LIMIT, MmHttpError, mmClientOf } from './scope.js';

function send(reply: FastifyReply, status: number, detail: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ detail }));
}

/**
 * X-API-Key (UUID) on the /mm/api/v1 route scope: anything but a known, enabled, unexpired UUID key is 401
 * `{"detail":"Invalid or missing API key"}`; then 100 requests a minute per key (429 with Retry-After).
 * The keys are the execution layer's (the same keys serve ABP and MM). Wrong keys count against the
 * address's failed attempts, as on every keyed surface.
 */
function installApiKeyHook(app: FastifyInstance): void {
  const limiter = new SlidingWindowLimiter();
  const attempts = app.failedAttempts;
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers['x-api-key'];
    if (typeof header !== 'string' || !isUuid(header)) return send(reply, 401, MM_MESSAGES.unauthorized);
    const service = app.abp;
    if (!service) return send(reply, 503, MM_MESSAGES.noDatabase);
    const wait = attempts.retryAfterSec(req.ip);
    if (wait > 0) return send(reply.header('retry-after', String(wait)), 429, MM_MESSAGES.rateLimited);
    const check = await service.keys.check(header);
    if (!check.ok) {
      if (check.reason === 'invalid') attempts.fail(req.ip);
      return send(reply, 401, MM_MESSAGES.unauthorized);
    }
    const decision = limiter.hit(check.client.keyId, MM_RATE_LIMIT);
    reply.header('x-ratelimit-limit', String(decision.limit));
    reply.header('x-ratelimit-remaining', String(decision.remaining));
    if (!decision.allowed)
      return send(reply.header('retry-after', String(decision.retryAfterSec)), 429, MM_MESSAGES.rateLimited);
    req.mmClient = check.client;
  });
}

/** The scope's errors in the document's shape; 5xx internals are logged, never sent. */
function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | MmHttpError, req, reply) => {
    if (err instanceof MmHttpError) return send(reply, err.statusCode, err.detail);
    if (hasZodFastifySchemaValidationErrors(err)) return send(reply, 422, schemaValidationItems(err, req));
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, status, err.message || 'Bad request');
    req.log.error({ err }, 'mm request failed');
    return send(reply, 500, 'Internal server error');
  });
  app.setNotFoundHandler((_req, reply) => send(reply, 404, 'Not Found'));
}

/** The MM client read API (seed 002), mounted at /mm/api/v1: every route behind the X-API-Key hook. */
export async function mmApiRoutes(app: FastifyInstance): Promise<void> {
  installErrorHandler(app);
  installApiKeyHook(app);
  await app.register(mmReadRoutes);
  await app.register(mmReferenceRoutes);
}
