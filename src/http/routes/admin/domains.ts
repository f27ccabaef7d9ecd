import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sharedDomainPools, type DomainPoolRegistry } from '../../../pool/registry.js';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { HttpError } from '../../errors.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../openapi/schemas.js';
import {
  AdminHeaders,
  adminSchema,
  BadBody,
  Forbidden,
  PoolAddedBody,
  PoolRemovedBody,
  PoolsBody,
} from './responses.js';

/** Where the admin credential is sent for changes to the domain pools. */
const ADMIN_AT = { header: 'x-admin-password' } as const;

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

function poolView(registry: DomainPoolRegistry, name: string): Record<string, unknown> {
  const pool = registry.get(name);
  if (!pool) throw new HttpError(404, `Unknown domain pool "${name}"`, 'ERR_UNKNOWN_POOL');
  return {
    pool: name,
    domains: pool.list().map((d) => ({
      url: d.url,
      healthy: d.healthy,
      score: d.score,
      totalRequests: d.totalRequests,
      failures: d.failures,
      consecutiveFailures: d.consecutiveFailures,
      cooldownUntil: iso(d.cooldownUntil),
      lastSuccessAt: iso(d.lastSuccessAt),
      lastFailureAt: iso(d.lastFailureAt),
      lastFailureReason: d.lastFailureReason,
    })),
  };
}

const BAD_BODY = 'Invalid body: "url" must be an http(s) URL';
const BAD_QUERY = 'Invalid query: "url" must be an http(s) URL';

/** A domain URL as the admin routes take it (the pool checks it is an http(s) URL). */
function urlField(msg: string, description: string) {
  return z.string({ error: msg }).min(1, msg).max(2048, msg).describe(description);
}

const PoolParams = z.object({
  pool: z.string().describe('Domain pool name (a site profile, e.g. imatchodds).'),
});
const AddBody = z.object(
  {
    url: urlField(BAD_BODY, 'The http(s) domain to add.'),
    proxy: z.string().optional().describe('Proxy the domain is reached through (optional).'),
  },
  { error: BAD_BODY },
);
const RemoveQuery = z.object({ url: urlField(BAD_QUERY, 'The domain to remove.') });
const unknownPool = ErrorBody.describe('No pool, or no such domain in it.');

const addSchema = adminSchema({
  summary: 'Add a domain to a pool',
  headers: AdminHeaders,
  params: PoolParams,
  body: AddBody,
  response: { 201: PoolAddedBody, 400: BadBody, 403: Forbidden, 404: unknownPool },
});
const removeSchema = adminSchema({
  summary: 'Remove a domain from a pool',
  headers: AdminHeaders,
  params: PoolParams,
  querystring: RemoveQuery,
  response: { 200: PoolRemovedBody, 400: BadBody, 403: Forbidden, 404: unknownPool },
});

/**
 * Domain pools at runtime (seed 000 §8 "Adding Domains at Runtime"): `GET /domains` lists every pool with
 * its per-domain health; `POST /domains/:pool {url}` adds a domain and `DELETE /domains/:pool?url=` removes
 * one — both need the admin credential (`x-admin-password` = DIAMOND_ADMIN_PASSWORD) and are refused when
 * none is configured. Pool state is kept in the store (`pool:<name>` documents).
 */
export function domainRoutes(registry: DomainPoolRegistry = sharedDomainPools) {
  return async (app: FastifyInstance): Promise<void> => {
    const password = app.config.diamondAdminPassword;
    const matches = password ? secretMatcher(password) : () => false;
    /**
     * Before the body or query is validated, as the routes always answered: the admin credential (403),
     * then the pool (404), then the URL (400).
     */
    const adminAndPool = async (req: FastifyRequest<{ Params: { pool: string } }>) => {
      if (!matches(secretFromRequest(req, ADMIN_AT))) {
        throw new HttpError(
          403,
          'Forbidden: changing domain pools needs the admin credential',
          'ERR_ADMIN_ONLY',
        );
      }
      if (!registry.get(req.params.pool))
        throw new HttpError(404, `Unknown domain pool "${req.params.pool}"`, 'ERR_UNKNOWN_POOL');
    };

    app.addHook('onReady', async () => registry.attachStore(app.store));
    app.addHook('onClose', async () => registry.detachStore());
    const r = app.withTypeProvider<ZodTypeProvider>();

    const listSchema = adminSchema({
      summary: 'Domain pools of the browser sources with per-domain health',
      response: { 200: PoolsBody },
    });
    r.get('/domains', { schema: listSchema }, async () => {
      const data = registry.all().map((p) => poolView(registry, p.name));
      return { success: true as const, count: data.length, data };
    });

    r.post('/domains/:pool', { schema: addSchema, preValidation: adminAndPool }, async (req, reply) => {
      const pool = registry.get(req.params.pool);
      if (!pool) throw new HttpError(404, `Unknown domain pool "${req.params.pool}"`, 'ERR_UNKNOWN_POOL');
      try {
        pool.add(req.body.url);
      } catch {
        throw new HttpError(400, BAD_BODY, 'ERR_BAD_URL');
      }
      return reply.code(201).send({ success: true as const, data: poolView(registry, pool.name) });
    });

    r.delete('/domains/:pool', { schema: removeSchema, preValidation: adminAndPool }, async (req) => {
      const pool = registry.get(req.params.pool);
      if (!pool) throw new HttpError(404, `Unknown domain pool "${req.params.pool}"`, 'ERR_UNKNOWN_POOL');
      let removed: boolean;
      try {
        removed = pool.remove(req.query.url);
      } catch {
        throw new HttpError(400, BAD_QUERY, 'ERR_BAD_URL');
      }
      if (!removed) throw new HttpError(404, 'Domain not in pool', 'ERR_UNKNOWN_DOMAIN');
      return { success: true as const, data: poolView(registry, pool.name) };
    });
  };
}
