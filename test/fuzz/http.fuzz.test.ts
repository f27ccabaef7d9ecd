import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { TEST_PASSWORD } from '../helpers/app.js';
import { SAMPLE_EVENTS } from '../helpers/fixtures.js';
import { encoded, hostileBody, POLLUTION_KEYS, RUNS, safeEncode } from './arbitraries.js';
import { fuzzApp, type RouteInfo } from './http-app.js';
import { NO_DATABASE } from '../../src/http/routes/abp/index.js';

/** Ids that exist in the fuzz app, so routes get past their lookups too. */
const KNOWN = [...SAMPLE_EVENTS.flatMap((e) => [e.bfi, e.marketId]), '1000001', '1000002', '1'];
const COMMON_QUERY = [
  'sport',
  'sportId',
  'q',
  'limit',
  'since',
  'view',
  'full',
  'password',
  'u',
  'id',
  'type',
];
const CONTENT_TYPES = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
];

/** A generated request against one route. */
interface Case {
  route: RouteInfo;
  params: string[];
  query: [string, string][];
  body: string | undefined;
  contentType: string | undefined;
  auth: 'good' | 'bad' | 'none' | 'query';
}

function caseArb(routes: RouteInfo[]): fc.Arbitrary<Case> {
  return fc.record({
    route: fc.constantFrom(...routes),
    params: fc.array(fc.oneof(encoded, fc.constantFrom(...KNOWN)), { minLength: 3, maxLength: 3 }),
    query: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...COMMON_QUERY, ...POLLUTION_KEYS), encoded),
        fc.oneof(encoded, fc.constantFrom(...KNOWN)),
      ),
      { maxLength: 4 },
    ),
    body: hostileBody,
    contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
    auth: fc.constantFrom('good', 'bad', 'none', 'query'),
  });
}

/** The request a case stands for: params filled in (and `*`), query keys of the route first. */
export function toRequest(c: Case): InjectOptions & { url: string } {
  let i = 0;
  const path = c.route.url.replace(/:[A-Za-z_]+|\*/g, () => c.params[i++ % c.params.length] as string);
  const query = c.query.map(([k, v]) => `${k}=${v}`);
  if (c.auth === 'query') query.push(`password=${safeEncode(TEST_PASSWORD)}`);
  const url = query.length ? `${path}?${query.join('&')}` : path;
  const headers: Record<string, string> = {};
  if (c.auth === 'good') headers['x-password'] = TEST_PASSWORD;
  if (c.auth === 'bad') headers['x-password'] = 'wrong-password';
  if (c.contentType) headers['content-type'] = c.contentType;
  const method = c.route.method as InjectOptions['method'];
  const withBody = c.body !== undefined && method !== 'GET' && method !== 'OPTIONS';
  return { method, url, headers, ...(withBody ? { payload: c.body } : {}) };
}

/**
 * /admin/health (and its copy /feed/health) answers 503 with its data when degraded (seed 001), and
 * /readyz 503 with its reasons when not ready: the 5xx that are contracts.
 */
function degradedHealth(url: string, status: number, body: string): boolean {
  if (status !== 503) return false;
  if (/^\/readyz(\?|$)/.test(url)) return (JSON.parse(body) as { status?: unknown }).status === 'not ready';
  if (!/^\/api\/v1\/(admin|feed)\/health(\?|$)/.test(url)) return false;
  return (JSON.parse(body) as { data?: { status?: unknown } }).data?.status === 'degraded';
}

/** No 5xx; a 4xx of an /api or /proxy route is `{success:false, error:string}`. Returns the problem, or null. */
function servedPath(url: string): string {
  try {
    const u = new URL(url, 'http://fuzz.invalid');
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

export function checkResponse(rawUrl: string, status: number, body: string): string | null {
  // The path the server is given: inject (like a browser) resolves dot segments, also percent-encoded
  // ones, so `/abp/accounts/%2e%2e/..` is a request for `/`, answered in the root's shape.
  const url = servedPath(rawUrl);
  if (degradedHealth(url, status, body)) return null;
  if (url.startsWith('/abp')) return checkAbpResponse(status, body);
  if (status >= 500) return `${status}: ${body.slice(0, 300)}`;
  if (status < 400 || !(url.startsWith('/api/') || url.startsWith('/proxy'))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `${status} with a body that is not JSON: ${body.slice(0, 200)}`;
  }
  const b = parsed as { success?: unknown; error?: unknown };
  if (b.success !== false || typeof b.error !== 'string')
    return `${status} not in the error shape: ${body.slice(0, 200)}`;
  return null;
}

/**
 * ABP (seed 002) errors are `{"detail": string | {message, code} | [{loc, msg, type}]}`; its 503 is the
 * document's "database or dependency down" (when an app has no records database), never another 5xx.
 */
function checkAbpResponse(status: number, body: string): string | null {
  if (status < 400) return null;
  let detail: unknown;
  try {
    detail = (JSON.parse(body) as { detail?: unknown }).detail;
  } catch {
    return `${status} with a body that is not JSON: ${body.slice(0, 200)}`;
  }
  if (status === 503) return detail === NO_DATABASE ? null : `503: ${body.slice(0, 300)}`;
  if (status >= 500) return `${status}: ${body.slice(0, 300)}`;
  const coded = detail as { message?: unknown; code?: unknown } | null;
  const ok =
    typeof detail === 'string' ||
    (Array.isArray(detail) && detail.every((d) => Array.isArray((d as { loc?: unknown }).loc))) ||
    (coded !== null &&
      typeof coded === 'object' &&
      typeof coded.message === 'string' &&
      typeof coded.code === 'string');
  return ok ? null : `${status} not in the ABP error shape: ${body.slice(0, 200)}`;
}

const SURFACES: [string, (url: string) => boolean][] = [
  ['Diamond v2 (/api/v2/diamond)', (u) => u.startsWith('/api/v2/diamond')],
  ['Porqpine feed (/api/v1/feed)', (u) => u.startsWith('/api/v1/feed')],
  ['Porqpine admin (/api/v1/admin)', (u) => u.startsWith('/api/v1/admin')],
  ['ABP v2 (/abp)', (u) => u.startsWith('/abp')],
  ['proxy, ops and pages', (u) => !u.startsWith('/api/') && !u.startsWith('/abp')],
];

describe('HTTP fuzzing: every route, hostile params, query and body', () => {
  let app: FastifyInstance;
  let routes: RouteInfo[];
  let close: () => Promise<void>;
  before(async () => {
    ({ app, routes, close } = await fuzzApp());
  });
  after(async () => {
    await close();
  });

  for (const [name, belongs] of SURFACES) {
    test(`${name}: ${RUNS} cases, no 5xx, 4xx in the surface's error shape`, async () => {
      const mine = routes.filter((r) => belongs(r.url));
      assert.ok(mine.length > 0, 'no route collected');
      const seen = new Set<string>();
      await fc.assert(
        fc.asyncProperty(caseArb(mine), async (c) => {
          const req = toRequest(c);
          seen.add(`${c.route.method} ${c.route.url}`);
          const res = await app.inject(req);
          const problem = checkResponse(req.url, res.statusCode, res.body);
          if (problem) throw new Error(`${req.method} ${req.url.slice(0, 300)} → ${problem}`);
        }),
        { numRuns: RUNS },
      );
      if (RUNS >= 1000) assert.equal(seen.size, mine.length, 'every route of the surface was tried');
    });
  }
});
