import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ABP_MESSAGES, AbpHttpError, detailBody, unauthorizedBody } from '../../../contracts/abp/errors.js';
import type { AbpService } from '../../../execution/service.js';
import type { AbpClient } from './context.js';

/** The ABP service of the app, or a 503 in the document's shape (no records database). */
export function abpService(app: FastifyInstance): AbpService {
  if (!app.abp) throw new AbpHttpError(503, detailBody('The records database is not available'));
  return app.abp;
}

/** The client a request of the /abp scope was authenticated as (set by the scope's API-key hook). */
export function clientOf(req: FastifyRequest): AbpClient {
  if (!req.abpClient) throw new AbpHttpError(401, unauthorizedBody(ABP_MESSAGES.missingKey));
  return req.abpClient;
}
