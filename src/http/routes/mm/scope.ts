import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { KeyClient } from '../../../execution/keys.js';

/** The MM scope's app as its route groups register on it: zod schemas type each request and reply. */
export type MmRouter = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The MM document's error texts. */
export const MM_MESSAGES = {
  unauthorized: 'Invalid or missing API key',
  rateLimited: 'Rate limit exceeded',
  noDatabase: 'The records database is not available',
} as const;

/** REST requests a minute per API key (the document's limit). */
export const MM_RATE_LIMIT = 100;

declare module 'fastify' {
  interface FastifyRequest {
    mmClient?: KeyClient;
  }
}

/** An MM error a handler throws: the scope's error handler sends `{"detail": …}` with `statusCode`. */
export class MmHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: unknown,
  ) {
    super(typeof detail === 'string' ? detail : 'MM request failed');
    this.name = 'MmHttpError';
  }
}

/** The client a request of the keyed scope was authenticated as. */
export function mmClientOf(req: FastifyRequest): KeyClient {
  if (!req.mmClient) throw new MmHttpError(401, MM_MESSAGES.unauthorized);
  return req.mmClient;
}
