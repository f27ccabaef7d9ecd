import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StoreError } from '../store/types.js';
import { OddsgateError } from '../core/errors.js';

/** An HTTP error in the surfaces' shape `{ success: false, error }`; `code` is stable for callers. */
export class HttpError extends OddsgateError {
  constructor(
    readonly statusCode: number,
    message: string,
    code: string = 'ERR_HTTP',
    readonly extra?: Record<string, unknown>,
  ) {
    super(code, message);
    this.name = 'HttpError';
  }
}

/** Sends `{ success: false, error }` with the given status. */
export function sendError(
  reply: FastifyReply,
  status: number,
  error: string,
  extra?: Record<string, unknown>,
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ success: false, error, ...(extra ?? {}) }));
}

function validationMessage(err: FastifyError): string {
  const first = err.validation?.[0] as
    { instancePath?: string; message?: string; path?: unknown } | undefined;
  const ctx = err.validationContext ?? 'request';
  if (!first) return `Invalid ${ctx}`;
  const path = first.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
  return `Invalid ${ctx}${path ? ` "${path}"` : ''}: ${first.message ?? 'invalid value'}`;
}

/**
 * One error handler for every surface: validation and client errors → 4xx `{success:false,error}`; a
 * store write fenced off by the ingest lease → 409, a store that cannot answer → 503 with Retry-After;
 * anything else → logged with request context, 500 with internals hidden.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HttpError) return sendError(reply, err.statusCode, err.message, err.extra);
    if ((err as FastifyError).validation)
      return sendError(reply, 400, validationMessage(err as FastifyError));
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const msg =
        (err as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'Request body too large'
          : (err as FastifyError).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Unsupported content type'
            : err.message || 'Bad request';
      return sendError(reply, status, msg);
    }
    if (err instanceof StoreError) {
      // A write this instance may not make (another holds the ingest lease), or a store that cannot answer
      // now: the caller can act on either, so neither is an internal error.
      if (err.code === 'STORE_FENCED')
        return sendError(reply, 409, 'Another instance holds the ingest lease: send writes to it');
      if (err.code === 'STORE_UNAVAILABLE' || err.code === 'STORE_CLOSED') {
        req.log.warn({ err: err.message }, 'store unavailable');
        return sendError(reply.header('retry-after', '5'), 503, 'Store unavailable, try again shortly');
      }
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'Internal server error');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'Not found'));
}
