import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, sendError } from '../../errors.js';
import { requireApiKey } from '../../plugins/api-keys.js';
import type { Resolver } from '../../proxy/guarded-lookup.js';
import { proxiedHeaders } from '../../proxy/framing.js';
import { IframeProxy } from '../../proxy/iframe-proxy.js';
import { ProxyTargets } from '../../proxy/lookups.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { genericProxySchema, scorecardProxySchema, trackerProxySchema } from '../../openapi/ops-schemas.js';
import { PORQPINE_ERRORS, useSurfaceErrors } from '../../surface-errors.js';
import { TRACKER_PRODUCT } from '../../../contracts/porqpine/media.js';

/** Options of the proxy routes (tests inject a resolver). */
export interface ProxyRoutesOptions {
  resolver?: Resolver;
}

/** The proxy's rate-limit window: PROXY_RATE_LIMIT is in requests per minute. */
const WINDOW_MS = 60_000;

function parseUrl(text: unknown): URL {
  if (typeof text !== 'string' || text.length === 0 || text.length > 4096)
    throw new HttpError(400, 'Invalid query "u": an http(s) URL is required', 'ERR_PROXY_URL');
  try {
    return new URL(text);
  } catch {
    throw new HttpError(400, 'Invalid query "u": an http(s) URL is required', 'ERR_PROXY_URL');
  }
}

/**
 * The iframe proxy (seed 001), mounted at /proxy: `/scorecard/:hash/:channel` and `/tracker/:fixtureId` for the
 * pages /event/:id/scorecard and /stream point at, and `?u=<url>`. Only allow-listed hosts (PROXY_ALLOW_HOSTS);
 * X-Frame-Options and CSP frame-ancestors are removed so the page embeds from any origin, inside our sandbox;
 * errors in the `{success:false,error}` shape (403 for anything not allowed). Each client IP may make
 * PROXY_RATE_LIMIT requests a minute (429 with Retry-After past that), counted in this scope whatever the
 * app-wide per-key limiter does.
 */
export const proxyRoutes: FastifyPluginAsync<ProxyRoutesOptions> = async (app, opts) => {
  useSurfaceErrors(app, PORQPINE_ERRORS); // its checks carry the whole sentence, as the feed's do
  // With API keys configured: X-API-Key, or ?apiKey= for iframes (which cannot send headers).
  requireApiKey(app, { query: 'apiKey' });
  await perAddressLimit(app);
  const cfg = app.config.proxy;
  const proxy = new IframeProxy({ ...cfg, ...(opts.resolver ? { resolver: opts.resolver } : {}) });
  const targets = new ProxyTargets(app.readModel);
  app.addHook('onClose', async () => proxy.close());

  const pass = async (req: FastifyRequest, reply: FastifyReply, target: URL) => {
    const accept = typeof req.headers.accept === 'string' ? req.headers.accept : undefined;
    const upstream = await proxy.fetch(target, accept);
    upstream.body.on('error', (err) =>
      req.log.warn({ err: err.message, url: upstream.url.host }, 'proxy body cut'),
    );
    return reply.code(upstream.statusCode).headers(proxiedHeaders(upstream.headers)).send(upstream.body);
  };
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/scorecard/:hash/:channel', { schema: scorecardProxySchema }, async (req, reply) => {
    if (!/^[0-9a-f]{40}$/.test(req.params.hash)) return sendError(reply, 404, 'Unknown scorecard');
    const original = targets.scorecard(req.params.hash);
    if (!original) return sendError(reply, 404, 'Unknown scorecard');
    return pass(req, reply, parseUrl(original));
  });
  r.get('/tracker/:fixtureId', { schema: trackerProxySchema }, async (req, reply) => {
    const { fixtureId } = req.params;
    if (!/^\d{3,15}$/.test(fixtureId)) return sendError(reply, 404, 'Unknown tracker fixture');
    const known = targets.tracker(fixtureId);
    const template = cfg.trackerUrl;
    const product = encodeURIComponent(req.query.productName ?? TRACKER_PRODUCT);
    const page = known ?? template?.replace('{fixtureId}', fixtureId).replace('{productName}', product);
    if (!page) return sendError(reply, 404, 'Unknown tracker fixture');
    return pass(req, reply, parseUrl(page));
  });
  r.get('/', { schema: genericProxySchema }, async (req, reply) => pass(req, reply, parseUrl(req.query.u)));
};

/**
 * Each client IP may make PROXY_RATE_LIMIT requests a minute in this scope (429 with Retry-After past
 * that), whatever the app-wide per-key limiter does.
 */
async function perAddressLimit(app: FastifyInstance): Promise<void> {
  // The app-wide per-key limiter marks routes no API key reaches `rateLimit: false`, which would also switch
  // off the limiter registered below; this scope's routes take this scope's limit instead.
  app.addHook('onRoute', (route) => {
    const config = route.config as { rateLimit?: unknown } | undefined;
    if (config?.rateLimit === false) {
      const { rateLimit: _off, ...rest } = config;
      route.config = rest as typeof route.config;
    }
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'onRequest',
    max: app.config.proxy.rateLimit,
    timeWindow: WINDOW_MS,
    // the library's key: the client IP, IPv6 clients by their /64 (rotating addresses share one budget)
    errorResponseBuilder: (_req, ctx) =>
      new HttpError(
        429,
        `Rate limit exceeded: ${ctx.max} proxy requests per minute; retry in ${ctx.after}`,
        'ERR_RATE_LIMITED',
      ),
  });
}
