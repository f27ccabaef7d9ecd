import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sharedDomainPools, type DomainPoolRegistry } from '../../../pool/registry.js';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { HttpError } from '../../errors.js';

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

function urlOf(v: unknown): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 2048) {
    throw new HttpError(400, 'Invalid body: "url" must be an http(s) URL', 'ERR_BAD_URL');
  }
  return v;
}

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
    const requireAdmin = (req: FastifyRequest) => {
      if (!matches(secretFromRequest(req, ADMIN_AT))) {
        throw new HttpError(
          403,
          'Forbidden: changing domain pools needs the admin credential',
          'ERR_ADMIN_ONLY',
        );
      }
    };
    app.addHook('onReady', async () => registry.attachStore(app.store));
    app.addHook('onClose', async () => registry.detachStore());

    app.get('/domains', async () => {
      const data = registry.all().map((p) => poolView(registry, p.name));
      return { success: true, count: data.length, data };
    });

    app.post<{ Params: { pool: string }; Body: { url?: unknown } }>('/domains/:pool', async (req, reply) => {
      requireAdmin(req);
      const pool = registry.get(req.params.pool);
      if (!pool) throw new HttpError(404, `Unknown domain pool "${req.params.pool}"`, 'ERR_UNKNOWN_POOL');
      try {
        pool.add(urlOf(req.body?.url));
      } catch (err) {
        if (err instanceof HttpError) throw err;
        throw new HttpError(400, 'Invalid body: "url" must be an http(s) URL', 'ERR_BAD_URL');
      }
      return reply.code(201).send({ success: true, data: poolView(registry, pool.name) });
    });

    app.delete<{ Params: { pool: string }; Querystring: { url?: unknown } }>(
      '/domains/:pool',
      async (req) => {
        requireAdmin(req);
        const pool = registry.get(req.params.pool);
        if (!pool) throw new HttpError(404, `Unknown domain pool "${req.params.pool}"`, 'ERR_UNKNOWN_POOL');
        let removed: boolean;
        try {
          removed = pool.remove(urlOf(req.query.url));
        } catch {
          throw new HttpError(400, 'Invalid query: "url" must be an http(s) URL', 'ERR_BAD_URL');
        }
        if (!removed) throw new HttpError(404, 'Domain not in pool', 'ERR_UNKNOWN_DOMAIN');
        return { success: true, data: poolView(registry, pool.name) };
      },
    );
  };
}
