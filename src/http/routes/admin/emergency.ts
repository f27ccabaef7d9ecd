import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { exampled } from '../../openapi/route-schema.js';
import { ErrorBody } from '../../openapi/schemas.js';
import { DIAMOND_ERRORS, schemaErrorFormatter } from '../../surface-errors.js';
import { AdminHeaders, adminSchema, BadBody, Forbidden } from './responses.js';

/** POST /api/v1/admin/emergency body: turn emergency mode on (with the reason clients see) or off. */
export const EmergencyBodySchema = z
  .strictObject({
    enabled: z.boolean(),
    reason: z.string().trim().min(1).max(200).optional(),
  })
  .refine((b) => !b.enabled || b.reason !== undefined, {
    message: 'a reason is required to turn emergency mode on',
    path: ['reason'],
  });

const EmergencyState = z.object({
  enabled: z.boolean().describe('While true, every ABP order is declined with `Emergency mode: …`.'),
  reason: z.string().nullable().describe('Why (shown to clients in the decline reason); null when off.'),
  since: z.iso.datetime().nullable().describe('When it last changed; null if it never has.'),
});
const StateBody = exampled(z.object({ success: z.literal(true), data: EmergencyState }), {
  success: true,
  data: { enabled: true, reason: 'Upstream provider maintenance', since: '2026-12-06T08:00:00.000Z' },
});
const NotRunning = ErrorBody.describe('Order execution is not running on this instance.');

const GET_SCHEMA = adminSchema({
  summary: 'Emergency mode of order execution: on or off, why, since when',
  response: { 200: StateBody, 503: NotRunning },
});
const POST_SCHEMA = adminSchema({
  summary: 'Turn emergency mode on (every ABP order declined with the reason) or off',
  description:
    'Every instance sees the switch within a second; each change is pushed on the ABP WebSocket ' +
    '`emergency` channel as `{"active","reason","ts"}`. A reason is required to turn it on.',
  headers: AdminHeaders,
  // No body (or `null`) is read as `{}`: the answer names the missing `enabled`.
  body: z.preprocess((b) => b ?? {}, EmergencyBodySchema),
  response: { 200: StateBody, 400: BadBody, 403: Forbidden, 503: NotRunning },
});

/** What GET and POST answer: the switch as every instance reads it. */
function render(s: { active: boolean; reason: string | null; ts: number }) {
  return { enabled: s.active, reason: s.reason, since: s.ts > 0 ? new Date(s.ts).toISOString() : null };
}

/**
 * The emergency switch of order execution (seed 002's "emergency mode"), under /api/v1/admin/emergency:
 * GET shows it; POST (a change: the admin scope asks for x-admin-password) turns it on or off. While on,
 * every ABP order is declined with `Emergency mode: … (reason)`; each flip is pushed on the ABP `emergency`
 * channel. 503 when the app runs without order execution (no records database).
 */
export async function emergencyRoutes(app: FastifyInstance): Promise<void> {
  const execution = () => {
    if (!app.hasDecorator('execution')) throw new HttpError(503, 'Order execution is not running here');
    return app.execution;
  };

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/emergency', { schema: GET_SCHEMA }, async () => ({
    success: true as const,
    data: render(await execution().emergency.state()),
  }));

  // Worded as the route always answered: `Invalid body "reason": …` (no field when the whole body is wrong).
  const schemaErrors = schemaErrorFormatter(DIAMOND_ERRORS);
  r.post('/emergency', { schema: POST_SCHEMA, schemaErrorFormatter: schemaErrors }, async (req) => {
    const body = req.body;
    const state = await execution().emergency.set(body.enabled, body.reason ?? null);
    req.log.warn({ emergency: state.active, reason: state.reason }, 'emergency mode changed');
    return { success: true as const, data: render(state) };
  });
}
