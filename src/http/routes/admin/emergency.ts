import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../errors.js';

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

  app.get('/emergency', async () => ({ success: true, data: render(await execution().emergency.state()) }));

  app.post('/emergency', async (req) => {
    const r = EmergencyBodySchema.safeParse(req.body ?? {});
    if (!r.success) {
      const issue = r.error.issues[0];
      const path = issue?.path.join('.') ?? '';
      throw new HttpError(400, `Invalid body${path ? ` "${path}"` : ''}: ${issue?.message ?? 'invalid'}`);
    }
    const state = await execution().emergency.set(r.data.enabled, r.data.reason ?? null);
    req.log.warn({ emergency: state.active, reason: state.reason }, 'emergency mode changed');
    return { success: true, data: render(state) };
  });
}
