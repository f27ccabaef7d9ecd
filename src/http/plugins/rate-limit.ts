import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { FastifyRequest } from 'fastify';
import type { ApiKeyEntry } from '../../config/operations.js';
import { commandClientOptions } from '../../store/redis-connection.js';
import { HttpError } from '../errors.js';
import { isKeyedPath } from './api-keys.js';

/** The verdict on one request of a key (see countKeyRequest). */
export interface KeyRequestVerdict {
  allowed: boolean;
  /** The key's requests per minute. */
  limit: number;
  remaining: number;
  /** Seconds until the window renews (0 when allowed and unknown). */
  retryAfterSec: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Counts one request of `entry` against its per-minute limit, in the same counter as its REST requests
     * (the WebSocket broker's request actions use it, so a key's budget is shared by both surfaces).
     */
    countKeyRequest: (entry: ApiKeyEntry) => Promise<KeyRequestVerdict>;
  }
}

/** The per-key window: limits are configured in requests per minute. */
const WINDOW_MS = 60_000;
const REDIS_COMMAND_TIMEOUT_MS = 1000;

/**
 * Per-API-key request limits (@fastify/rate-limit): each key gets its configured requests per minute, counted
 * in Redis when REDIS_URL is set (one budget shared by every instance), else in memory. Only requests that
 * presented a key accepted by their route scope's check are counted (see api-keys.ts); the Diamond surface and
 * open setups are not limited (failed credentials are limited per address: failed-attempts.ts).
 * Answers 429 `{success:false,error}` with Retry-After and X-RateLimit-Limit/-Remaining/-Reset; every
 * counted response carries the X-RateLimit headers. If Redis is away, requests pass rather than fail.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    if (app.keyRing.size === 0) {
      app.decorate('countKeyRequest', async (entry: ApiKeyEntry) => allowed(entry));
      return;
    }
    const redisUrl = app.config.redisUrl;
    const redis = redisUrl
      ? new Redis(redisUrl, commandClientOptions('oddsgate-ratelimit', REDIS_COMMAND_TIMEOUT_MS))
      : null;
    if (redis) {
      redis.on('error', () => undefined); // reconnects by itself; requests pass meanwhile (skipOnError)
      await redis.connect().catch((err: unknown) => {
        app.log.warn(
          { err: (err as Error).message },
          'rate-limit Redis not reachable yet; limits skipped until it is',
        );
      });
      app.addHook('onClose', async () => {
        redis.disconnect();
      });
    }
    // Only routes a key can reach (isKeyedPath, on the route's definition) get the limiter's hook: on the
    // others no request carries an accepted key, so the hook would only ever let them through. It runs after
    // the scope's key check (route-level hooks follow the scope's), which sets apiKeyEntry.
    // Registered before the limiter's own onRoute hook, which skips routes whose rateLimit is false.
    app.addHook('onRoute', (route) => {
      if (!isKeyedPath(route.url)) route.config = { ...route.config, rateLimit: false };
    });
    await app.register(rateLimit, {
      global: true,
      hook: 'onRequest',
      timeWindow: WINDOW_MS,
      max: (req: FastifyRequest) => req.apiKeyEntry?.perMinute ?? 1,
      keyGenerator: (req: FastifyRequest) => `key:${req.apiKeyEntry?.sha256.slice(0, 32) ?? req.ip}`,
      allowList: (req: FastifyRequest) => req.apiKeyEntry === null,
      ...(redis ? { redis, nameSpace: `${app.config.redisKeyPrefix}ratelimit:` } : {}),
      skipOnError: true,
      errorResponseBuilder: (_req, ctx) =>
        new HttpError(
          429,
          `Rate limit exceeded: ${ctx.max} requests per minute for this key; retry in ${ctx.after}`,
          'ERR_RATE_LIMITED',
        ),
    });
    // The limiter of every route without its own rateLimit config (all of them): same store, same key.
    const limiter = app.createRateLimit();
    app.decorate('countKeyRequest', async (entry: ApiKeyEntry): Promise<KeyRequestVerdict> => {
      const req = { apiKeyEntry: entry, ip: '', routeOptions: { config: {} } } as unknown as FastifyRequest;
      const r = await limiter(req);
      if (r.isAllowed) return allowed(entry);
      return { allowed: !r.isExceeded, limit: r.max, remaining: r.remaining, retryAfterSec: r.ttlInSeconds };
    });
  },
  { name: 'rate-limit', dependencies: ['api-keys'] },
);

function allowed(entry: ApiKeyEntry): KeyRequestVerdict {
  return { allowed: true, limit: entry.perMinute, remaining: entry.perMinute, retryAfterSec: 0 };
}
