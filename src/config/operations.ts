import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseAllowEntry } from './allow-list.js';

/** Shortest secret (API key, password, token) the configuration accepts. */
export const MIN_SECRET_LENGTH = 12;

/** Requests per minute of a key configured without its own limit. */
export const DEFAULT_KEY_PER_MINUTE = 600;

/** One accepted API key as the app keeps it: never the key itself, only its SHA-256. */
export interface ApiKeyEntry {
  /** A label safe to log and to use as a metric label: the configured name, else `key-<8 hex of the hash>`. */
  id: string;
  /** SHA-256 of the key, lower-case hex. */
  sha256: string;
  /** Requests per minute allowed to this key (shared across instances on Redis). */
  perMinute: number;
}

const HEX64 = /^[0-9a-f]{64}$/i;

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function entry(sha256: string, perMinute: number, name?: string): ApiKeyEntry {
  const hash = sha256.toLowerCase();
  return { id: name ?? `key-${hash.slice(0, 8)}`, sha256: hash, perMinute };
}

const KeyObject = z
  .object({
    /** The key in clear (hashed at load, then dropped). */
    key: z
      .string()
      .min(MIN_SECRET_LENGTH, `API_KEYS: a key must be at least ${MIN_SECRET_LENGTH} characters`)
      .optional(),
    /** Or its SHA-256 (hex), so config files need not hold the key. */
    sha256: z.string().regex(HEX64, 'must be 64 hex digits').optional(),
    perMinute: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_KEY_PER_MINUTE),
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/)
      .optional(),
  })
  .refine((k) => (k.key === undefined) !== (k.sha256 === undefined), 'give exactly one of key or sha256')
  .transform((k) => entry(k.sha256 ?? sha256Hex(k.key as string), k.perMinute, k.name));

/**
 * `key` or `key:60` (after the colon, the limit in requests per minute). Anything else with a colon
 * (`abc:xyz`, `:60`, `a:b:60`) is refused rather than taken as a key; the message never repeats the entry.
 */
const KeyText = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const m = /^([^:]+)(?::(\d{1,9}))?$/.exec(text);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'expected `key` or `key:<requests per minute>`' });
      return z.NEVER;
    }
    const key = m[1] as string;
    const perMinute = m[2] ? Number(m[2]) : DEFAULT_KEY_PER_MINUTE;
    if (key.length < MIN_SECRET_LENGTH) {
      ctx.addIssue({
        code: 'custom',
        message: `API_KEYS: a key must be at least ${MIN_SECRET_LENGTH} characters`,
      });
      return z.NEVER;
    }
    if (perMinute < 1) {
      ctx.addIssue({ code: 'custom', message: 'an API key limit must be at least 1 request per minute' });
      return z.NEVER;
    }
    return entry(sha256Hex(key), perMinute);
  });

/**
 * API keys: `API_KEYS=key1:60,key2:600` (requests per minute), or in config/*.json a list of those strings
 * or of `{ key | sha256, perMinute, name }`. Keys are hashed here, at load; nothing downstream sees them.
 */
export const ApiKeysSchema = z
  .union([z.string(), z.array(z.union([z.string(), z.record(z.string(), z.unknown())]))])
  .transform((v, ctx) => {
    const items = (Array.isArray(v) ? v : v.split(',')).filter(
      (s) => typeof s !== 'string' || s.trim().length > 0,
    );
    // Each entry by its own schema, so a bad one is reported by position with its own reason.
    const keys: ApiKeyEntry[] = [];
    items.forEach((item, i) => {
      const r = (typeof item === 'string' ? KeyText : KeyObject).safeParse(item);
      if (r.success) keys.push(r.data);
      else
        for (const issue of r.error.issues)
          ctx.addIssue({
            code: 'custom',
            message: `entry ${i + 1}: ${issue.message}`,
            path: [i, ...issue.path],
          });
    });
    return keys;
  });

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

/**
 * What this process does: `all` (default), `api` (serves, runs no source), `ingest` (sources, health,
 * metrics), `history` (writes odds history from the update log; health, metrics).
 */
export const RoleSchema = z.enum(['all', 'api', 'ingest', 'history']).default('all');
export type Role = z.infer<typeof RoleSchema>;

/** The iframe proxy (/proxy/*). */
export const ProxySchema = z
  .object({
    /**
     * Upstream hosts the proxy may fetch: `host` (ports 80 and 443), `host:port` (that port only) or
     * `*.domain`; `+private` after an exact entry lets it reach loopback, private and link-local addresses.
     * Empty: every proxy call is 403. An entry of no such form is a configuration error.
     */
    allowHosts: csv.default([]).superRefine((hosts, ctx) => {
      for (const h of hosts)
        if (parseAllowEntry(h) === null)
          ctx.addIssue({
            code: 'custom',
            message: `"${h}" is not host, host:port, *.domain or an exact host[:port]+private`,
          });
    }),
    /** Every exactly named entry may reach private addresses (as if each said `+private`); wildcards never. */
    allowPrivate: flag.default(false),
    /** Proxy requests per minute from one client IP (counted per instance). */
    rateLimit: z.coerce.number().int().min(1).max(1_000_000).default(120),
    /** Largest upstream body passed on (bytes); the stream is cut there. */
    maxBytes: z.coerce
      .number()
      .int()
      .min(1024)
      .default(5 * 1024 * 1024),
    /** Whole-exchange time cap (connect, headers and body). */
    timeoutMs: z.coerce.number().int().min(100).default(15_000),
    /** Redirects followed (each must stay on the allow-list). */
    maxRedirects: z.coerce.number().int().min(0).max(10).default(3),
    /** Tracker page for `/proxy/tracker/:fixtureId` when no event carries one: `{fixtureId}`, `{productName}`. */
    trackerUrl: z.string().url().optional(),
  })
  .prefault({});

/** Prometheus metrics (/metrics). */
export const MetricsSchema = z
  .object({
    enabled: flag.default(true),
    /** Node process metrics (CPU, memory, event loop, GC) beside the app's. */
    processDefaults: flag.default(true),
    /** When set, /metrics needs `Authorization: Bearer <token>` (at least 12 characters). */
    token: z
      .string()
      .min(MIN_SECRET_LENGTH, `METRICS_TOKEN must be at least ${MIN_SECRET_LENGTH} characters`)
      .optional(),
  })
  .prefault({});

/** Health rules. */
export const HealthSchema = z
  .object({
    /** ROLE=api: the update log counts as stale (health degraded) when nothing arrived for this long. */
    logStaleSec: z.coerce.number().int().min(5).default(120),
  })
  .prefault({});

/** Environment names of the keys above (merged into ENV_KEYS). */
export const OPERATIONS_ENV_KEYS: Readonly<Record<string, string>> = {
  ROLE: 'role',
  API_KEYS: 'apiKeys',
  PROXY_ALLOW_HOSTS: 'proxy.allowHosts',
  PROXY_ALLOW_PRIVATE: 'proxy.allowPrivate',
  PROXY_RATE_LIMIT: 'proxy.rateLimit',
  PROXY_MAX_BYTES: 'proxy.maxBytes',
  PROXY_TIMEOUT_MS: 'proxy.timeoutMs',
  PROXY_MAX_REDIRECTS: 'proxy.maxRedirects',
  PROXY_TRACKER_URL: 'proxy.trackerUrl',
  METRICS_ENABLED: 'metrics.enabled',
  METRICS_PROCESS_DEFAULTS: 'metrics.processDefaults',
  METRICS_TOKEN: 'metrics.token',
  HEALTH_LOG_STALE_SEC: 'health.logStaleSec',
};
