import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { HttpError, sendError } from '../../errors.js';
import { refuseIfBlocked } from '../../failed-attempts.js';

/** POST /api/v1/admin/abp/keys body. */
export const AbpKeyCreateSchema = z.object({
  clientName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'letters, digits, _ . : - (1 to 100)'),
  rateLimit: z.number().int().min(1).max(1_000_000).optional(),
  bookmakers: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9.-]{0,39}$/))
    .max(100)
    .optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});

export const AbpKeyIdSchema = z.object({ id: z.uuid() });

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new HttpError(
    400,
    `Invalid ${what}${path ? ` "${path}"` : ''}: ${issue?.message ?? 'invalid value'}`,
  );
}

/**
 * ABP API keys for operators, under /api/v1/admin/abp/keys: list, create (the key is in the answer, once),
 * disable and enable. Every route, reads included, needs the admin credential (x-admin-password): a key
 * list is not diagnostics. Errors in the admin surface's `{success:false,error}` shape.
 */
export async function abpKeyAdminRoutes(app: FastifyInstance): Promise<void> {
  const password = app.config.diamondAdminPassword;
  const matches = password ? secretMatcher(password) : null;
  app.addHook('onRequest', async (req, reply) => {
    if (req.method === 'OPTIONS') return;
    if (!matches) return sendError(reply, 403, 'Forbidden: no admin credential is configured');
    if (refuseIfBlocked(app.failedAttempts, req, reply)) return reply;
    const given = secretFromRequest(req, { header: 'x-admin-password' });
    if (matches(given)) return;
    if (given !== undefined) app.failedAttempts.fail(req.ip);
    return sendError(reply, 403, 'Forbidden: API keys need the admin credential (x-admin-password)');
  });

  const keys = () => {
    if (!app.abp) throw new HttpError(503, 'The records database is not available');
    return app.abp.keys;
  };

  app.get('/abp/keys', async () => {
    const data = await keys().list();
    return { success: true, count: data.length, data };
  });

  app.post('/abp/keys', async (req, reply) => {
    const body = parse(AbpKeyCreateSchema, req.body, 'body');
    const { apiKey, record } = await keys().create({
      clientName: body.clientName,
      rateLimit: body.rateLimit ?? app.config.abp.defaultRateLimit,
      bookmakers: body.bookmakers ?? [],
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    return reply.code(201).send({ success: true, data: { apiKey, ...record } });
  });

  for (const action of ['disable', 'enable'] as const)
    app.post(`/abp/keys/:id/${action}`, async (req) => {
      const { id } = parse(AbpKeyIdSchema, req.params, 'key id');
      const data = await keys().setEnabled(id, action === 'enable');
      if (!data) throw new HttpError(404, 'No such key');
      return { success: true, data };
    });
}
