import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { exampled, surfaceSchema } from '../../openapi/route-schema.js';
import { AnyObject, ErrorBody, porqpine, porqpineList, Result, open } from '../../openapi/schemas.js';

/** The admin surface's route schemas: tag, API-key security and the errors every admin route can answer. */
export const adminSchema = surfaceSchema({
  tags: ['Admin'],
  security: [{}, { ApiKey: [] }],
  errors: {
    401: ErrorBody.describe('API keys are configured and X-API-Key is missing or wrong.'),
    429: ErrorBody.describe(
      'The key spent its requests per minute, or the address failed too many credentials; see Retry-After.',
    ),
  },
});

/** The admin credential header of a state-changing route, and its refusals. */
export const AdminHeaders = z.looseObject({
  'x-admin-password': z.string().describe('The admin credential (DIAMOND_ADMIN_PASSWORD).'),
});
export const Forbidden = ErrorBody.describe(
  'x-admin-password missing or wrong, or no admin credential is configured.',
);
export const BadBody = ErrorBody.describe('Invalid body.');

/** The 503 of the order-execution admin routes (emergency, currencies) on an instance without it. */
export const ExecutionNotRunning = ErrorBody.describe('Order execution is not running on this instance.');

/** Order execution, or the 503 {@link ExecutionNotRunning} declares when this process has none. */
export function executionOf(app: FastifyInstance) {
  if (!app.hasDecorator('execution')) throw new HttpError(503, 'Order execution is not running here');
  return app.execution;
}

const Health = open({
  status: z.enum(['ok', 'degraded', 'standby']),
  version: z.string(),
  uptime_s: z.number(),
  memory: open({ rss_mb: z.number(), heapUsed_mb: z.number() }),
  ws_clients: z.number(),
  store: open({ kind: z.string(), reachable: z.boolean() }),
  sources: z.array(open({ source: z.string(), state: z.string(), connected: z.boolean() })),
  reasons: z.array(z.string()).describe('Why the status is degraded (empty when ok).'),
});
export const HealthBody = porqpine(Health, 'Healthy (or standby: waiting for the ingest lease)');
export const DegradedBody = porqpine(Health, 'Degraded (same body, status "degraded")');

/** The schema of `/health` (the admin surface's, and ROLE=ingest's only admin route). */
export const healthSchema = adminSchema({
  summary: 'Single-call health: memory, sources, store, WebSocket clients, result saver',
  description:
    '200 when ok (or standby), 503 when degraded: no healthy source (ROLE=api: the update log is stale ' +
    'instead) or the store does not answer. `reasons` says why.',
  response: { 200: HealthBody, 503: DegradedBody },
});

export const AccountsBody = exampled(
  porqpineList(
    open({ source: z.string(), kind: z.string(), state: z.string(), connected: z.boolean() }),
    'Sources',
  ),
  {
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
);
export const RoomsBody = porqpine(AnyObject, 'Rooms');
export const CacheBody = porqpine(AnyObject, 'Cache');
export const ResultsBody = porqpine(open({ total: z.number(), recent: z.array(Result) }), 'Results');
export const PoolsBody = exampled(porqpineList(AnyObject, 'Pools'), {
  success: true,
  count: 1,
  data: [
    {
      pool: 'imatchodds',
      domains: [{ url: 'https://site.example', healthy: true, score: 1.2, failures: 0, cooldownUntil: null }],
    },
  ],
});
const poolExample = (change: Record<string, string>) => ({
  success: true,
  data: {
    pool: 'imatchodds',
    domains: [
      { url: 'https://site.example', healthy: true, score: 1, failures: 0, cooldownUntil: null },
      { url: 'https://mirror.example', healthy: true, score: 1, failures: 0, cooldownUntil: null },
    ].filter((d) => d.url !== change.removed),
  },
});
export const PoolAddedBody = exampled(porqpine(AnyObject, 'The pool after the change'), poolExample({}));
export const PoolRemovedBody = exampled(
  porqpine(AnyObject, 'The pool after the change'),
  poolExample({ removed: 'https://mirror.example' }),
);
export const CandidatesBody = porqpineList(AnyObject, 'Candidates');
export const DecisionsBody = porqpineList(AnyObject, 'Decisions');
export const LinkedBody = exampled(porqpine(AnyObject.nullable(), 'The merged event'), {
  success: true,
  data: { id: 1000014, name: 'Inter v Juventus', sources: { sim: '33501182' } },
});
export const UnlinkedBody = exampled(porqpine(AnyObject, 'Both events after the split'), {
  success: true,
  data: {
    event: { id: 1000014, name: 'Inter v Juventus' },
    unlinked: { id: 1000099, name: 'Inter v Juventus' },
  },
});
