import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { secretFromRequest, secretMatcher } from '../../../core/auth.js';
import { HttpError, sendError } from '../../errors.js';
import { refuseIfBlocked } from '../../failed-attempts.js';
import { exampled, type RouteSchema } from '../../openapi/route-schema.js';
import { ErrorBody, open } from '../../openapi/schemas.js';
import { DIAMOND_ERRORS, schemaErrorFormatter, type SurfaceErrors } from '../../surface-errors.js';
import { AdminHeaders, adminSchema, Forbidden } from './responses.js';

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

/**
 * How the key routes word a refused request, as they always have: `Invalid body "clientName": …`,
 * `Invalid key id "id": …` (the body or the key id; no field when the whole value is wrong).
 */
const KEY_ERRORS: SurfaceErrors = {
  name: 'abp-keys',
  message: (issues, part) => DIAMOND_ERRORS.message(issues, part === 'params' ? 'key id' : part),
};

const KeyRecord = open({
  id: z.string(),
  clientName: z.string(),
  bookmakers: z.array(z.string()),
  rateLimit: z.number().int(),
  enabled: z.boolean(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
const KEY_EXAMPLE = {
  id: '5b0f3c1e-2f55-4c43-9a55-0d3f1f6a9b10',
  clientName: 'your-client',
  bookmakers: [],
  rateLimit: 60,
  enabled: true,
  expiresAt: null,
  createdAt: '2026-12-06T07:00:00.000Z',
  disabledAt: null,
};
const KeyBody = (example: unknown) =>
  exampled(open({ success: z.literal(true), data: KeyRecord }), { success: true, data: example });

/** Every key route needs the admin credential, reads included. */
const keySchema = <S extends RouteSchema>(s: S) => ({
  schema: adminSchema({
    headers: AdminHeaders,
    ...s,
    response: {
      400: ErrorBody.describe('Invalid body or key id.'),
      403: Forbidden,
      503: ErrorBody.describe('No records database in this process.'),
      ...s.response,
    },
  }),
  schemaErrorFormatter: schemaErrorFormatter(KEY_ERRORS),
});

const LIST = keySchema({
  summary: 'List ABP API keys (never the keys themselves)',
  response: {
    200: exampled(open({ success: z.literal(true), count: z.number().int(), data: z.array(KeyRecord) }), {
      success: true,
      count: 1,
      data: [KEY_EXAMPLE],
    }),
  },
});
const CREATE = keySchema({
  summary: 'Create an ABP API key (201; the key is shown once)',
  body: AbpKeyCreateSchema,
  response: {
    201: exampled(open({ success: z.literal(true), data: KeyRecord.extend({ apiKey: z.string() }) }), {
      success: true,
      data: { apiKey: 'f3b8c9d2-7a41-4f0e-9c1d-2b6a8e5f4c37', ...KEY_EXAMPLE },
    }),
  },
});
const SWITCH = {
  disable: keySchema({
    summary: 'Disable an ABP API key (its requests answer 403 API key is inactive)',
    params: AbpKeyIdSchema,
    response: {
      200: KeyBody({ ...KEY_EXAMPLE, enabled: false, disabledAt: '2026-12-06T08:00:00.000Z' }),
      404: ErrorBody.describe('No such key.'),
    },
  }),
  enable: keySchema({
    summary: 'Enable an ABP API key again',
    params: AbpKeyIdSchema,
    response: { 200: KeyBody(KEY_EXAMPLE), 404: ErrorBody.describe('No such key.') },
  }),
};

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

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/abp/keys', LIST, async () => {
    const data = await keys().list();
    return { success: true as const, count: data.length, data };
  });

  r.post('/abp/keys', CREATE, async (req, reply) => {
    const body = req.body;
    const { apiKey, record } = await keys().create({
      clientName: body.clientName,
      rateLimit: body.rateLimit ?? app.config.abp.defaultRateLimit,
      bookmakers: body.bookmakers ?? [],
      expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
    });
    return reply.code(201).send({ success: true as const, data: { apiKey, ...record } });
  });

  for (const action of ['disable', 'enable'] as const)
    r.post(`/abp/keys/:id/${action}`, SWITCH[action], async (req) => {
      const { id } = req.params;
      const data = await keys().setEnabled(id, action === 'enable');
      if (!data) throw new HttpError(404, 'No such key');
      return { success: true as const, data };
    });
}
