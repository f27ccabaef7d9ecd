import { z } from 'zod';
import type { RouteDoc, RouteDocs } from './route-doc.js';
import { AnyObject, ErrorBody, porqpine, porqpineList, Result } from './schemas.js';

const P = '/api/v1/admin';
const tags = ['Admin'];
const security: RouteDoc['security'] = [{}, { ApiKey: [] }];
const common = {
  401: ErrorBody.describe('API keys are configured and X-API-Key is missing or wrong.'),
  429: ErrorBody.describe(
    'The key spent its requests per minute, or the address failed too many credentials; see Retry-After.',
  ),
};

function doc(d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc {
  return { tags, security, ...d, response: { ...common, ...d.response } };
}

/** A state-changing admin route: the admin credential too (refused when none is configured). */
function change(d: Omit<RouteDoc, 'tags' | 'security'>): RouteDoc {
  return doc({
    ...d,
    headers: z.object({
      'x-admin-password': z.string().describe('The admin credential (DIAMOND_ADMIN_PASSWORD).'),
    }),
    response: {
      403: ErrorBody.describe('x-admin-password missing or wrong, or no admin credential is configured.'),
      ...d.response,
    },
  });
}

const Health = z.looseObject({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: z.number(),
  memory: z.looseObject({ rss_mb: z.number(), heapUsed_mb: z.number() }),
  ws_clients: z.number(),
  store: z.looseObject({ kind: z.string(), reachable: z.boolean() }),
  sources: z.array(z.looseObject({ source: z.string(), state: z.string(), connected: z.boolean() })),
  reasons: z.array(z.string()).describe('Why the status is degraded (empty when ok).'),
});

const PoolParams = z.object({
  pool: z.string().describe('Domain pool name (a site profile, e.g. imatchodds).'),
});
const badBody = { 400: ErrorBody.describe('Invalid body.') };

/** The admin routes (/api/v1/admin). */
export const ADMIN_DOCS: RouteDocs = {
  [`GET ${P}/health`]: doc({
    summary: 'Single-call health: memory, sources, store, WebSocket clients, result saver',
    description:
      '200 when ok, 503 when degraded: no healthy source (ROLE=api: the update log is stale instead) or the ' +
      'store does not answer. `reasons` says why.',
    response: {
      200: porqpine(Health, 'Healthy'),
      503: porqpine(Health, 'Degraded (same body, status "degraded")'),
    },
  }),
  [`GET ${P}/accounts`]: doc({
    summary: 'Per-source session state',
    response: {
      200: porqpineList(
        z.looseObject({ source: z.string(), kind: z.string(), state: z.string(), connected: z.boolean() }),
        'Sources',
      ),
    },
    example: {
      success: true,
      count: 1,
      data: [
        {
          source: 'sim',
          kind: 'sim',
          state: 'connected',
          connected: true,
          active: true,
          last_error: null,
          last_error_at: null,
          last_update_at: '2026-11-21T21:18:25.000Z',
          frames: 5120,
          markets: 80,
          orders: null,
          details: { speed: 1, events: 40 },
        },
      ],
    },
  }),
  [`GET ${P}/socket-rooms`]: doc({
    summary: 'WebSocket rooms with subscriber counts, and upstream live rooms',
    response: { 200: porqpine(AnyObject, 'Rooms') },
  }),
  [`GET ${P}/cache`]: doc({
    summary: 'Cache sizes by prefix',
    response: { 200: porqpine(AnyObject, 'Cache') },
  }),
  [`GET ${P}/results`]: doc({
    summary: 'Result-saver stats and recent results',
    response: { 200: porqpine(z.looseObject({ total: z.number(), recent: z.array(Result) }), 'Results') },
  }),
  [`GET ${P}/domains`]: doc({
    summary: 'Domain pools of the browser sources with per-domain health',
    response: { 200: porqpineList(AnyObject, 'Pools') },
    example: {
      success: true,
      count: 1,
      data: [
        {
          pool: 'imatchodds',
          domains: [
            { url: 'https://site.example', healthy: true, score: 1.2, failures: 0, cooldownUntil: null },
          ],
        },
      ],
    },
  }),
  [`POST ${P}/domains/:pool`]: change({
    summary: 'Add a domain to a pool',
    params: PoolParams,
    body: z.object({ url: z.string().url(), proxy: z.string().optional() }),
    response: { 200: porqpine(AnyObject, 'The pool after the change'), ...badBody },
    example: { success: true, data: { pool: 'imatchodds', added: 'https://mirror.example' } },
  }),
  [`DELETE ${P}/domains/:pool`]: change({
    summary: 'Remove a domain from a pool',
    params: PoolParams,
    querystring: z.object({ url: z.string().url().describe('The domain to remove.') }),
    response: { 200: porqpine(AnyObject, 'The pool after the change'), ...badBody },
    example: { success: true, data: { pool: 'imatchodds', removed: 'https://mirror.example' } },
  }),
  [`GET ${P}/matching/candidates`]: doc({
    summary: 'Upstream events left unmatched across sources (ambiguous or one-sided)',
    response: { 200: porqpineList(AnyObject, 'Candidates') },
  }),
  [`GET ${P}/matching/links`]: doc({
    summary: 'Manual link and unlink decisions, oldest first',
    response: { 200: porqpineList(AnyObject, 'Decisions') },
  }),
  [`POST ${P}/matching/link`]: change({
    summary: 'Move every upstream id of one event onto another (manual match)',
    body: z.object({ event_id: z.number().int(), into: z.number().int() }),
    response: { 200: porqpine(AnyObject, 'The merged event'), ...badBody },
    example: { success: true, data: { id: 1000014, name: 'Inter v Juventus', sources: { sim: '33501182' } } },
  }),
  [`POST ${P}/matching/unlink`]: change({
    summary: "Give one source's upstream event an event of its own",
    body: z.object({ event_id: z.number().int(), source: z.string() }),
    response: { 200: porqpine(AnyObject, 'Both events after the split'), ...badBody },
    example: {
      success: true,
      data: {
        event: { id: 1000014, name: 'Inter v Juventus' },
        unlinked: { id: 1000099, name: 'Inter v Juventus' },
      },
    },
  }),
};
