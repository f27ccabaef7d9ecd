import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exampled } from '../../openapi/route-schema.js';
import { ErrorBody } from '../../openapi/schemas.js';
import { DIAMOND_ERRORS, schemaErrorFormatter, type SurfaceErrors } from '../../surface-errors.js';
import { AdminHeaders, adminSchema, executionOf, ExecutionNotRunning, Forbidden } from './responses.js';

/** PUT /api/v1/admin/currencies/:code — a currency code (ISO-like, upper case) and its USD rate. */
export const CurrencyParamsSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]{3,5}$/, 'must be 3-5 upper-case letters'),
});
export const CurrencyBodySchema = z.strictObject({
  usdRate: z.number().positive().max(1e6),
});

/**
 * Worded as emergency's and as the route always answered: `Invalid body "usdRate": …`, `Invalid path
 * "code": …` (no field when the whole value is wrong).
 */
const CURRENCY_ERRORS: SurfaceErrors = {
  name: 'currencies',
  message: (issues, part) => DIAMOND_ERRORS.message(issues, part === 'params' ? 'path' : part),
};

const Rate = z.object({
  currencyId: z.string().describe('The currency code.'),
  usdRate: z.number().describe('USD per unit of the currency.'),
  updatedAt: z.iso.datetime().describe('When the rate last changed.'),
});
const EUR = { currencyId: 'EUR', usdRate: 1.08, updatedAt: '2026-12-06T07:00:00.000Z' };

const LIST_SCHEMA = adminSchema({
  summary: 'Currency rates of order execution (USD per unit), each with its last change',
  response: {
    200: exampled(z.object({ success: z.literal(true), data: z.array(Rate) }), {
      success: true,
      data: [{ currencyId: 'USD', usdRate: 1, updatedAt: '2026-12-06T07:00:00.000Z' }, EUR],
    }),
    503: ExecutionNotRunning,
  },
});
const SET_SCHEMA = adminSchema({
  summary: 'Set or add a currency rate (USD per unit); a change is pushed on the ABP `currencies` channel',
  description:
    'Effective at once on this instance and within 30 s on the others. An unchanged rate pushes nothing.',
  headers: AdminHeaders,
  params: CurrencyParamsSchema,
  // No body (or `null`) is read as `{}`: the answer names the missing `usdRate`.
  body: z.preprocess((b) => b ?? {}, CurrencyBodySchema),
  response: {
    200: exampled(z.object({ success: z.literal(true), data: Rate }), { success: true, data: EUR }),
    400: ErrorBody.describe('Invalid currency code or body.'),
    403: Forbidden,
    503: ExecutionNotRunning,
  },
});

/**
 * The currencies table of order execution (USD per unit; orderCurrency converts through it), under
 * /api/v1/admin/currencies: GET lists the rates; PUT /:code (a change: the admin scope asks for
 * x-admin-password) sets or adds one, pushed on the ABP `currencies` channel when it changed. 503 without
 * order execution (no records database).
 */
export async function currencyRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/currencies', { schema: LIST_SCHEMA }, async () => ({
    success: true as const,
    data: await executionOf(app).currencies.list(),
  }));

  const schemaErrors = schemaErrorFormatter(CURRENCY_ERRORS);
  r.put('/currencies/:code', { schema: SET_SCHEMA, schemaErrorFormatter: schemaErrors }, async (req) => {
    const { code } = req.params;
    const { usdRate } = req.body;
    const rate = await executionOf(app).currencies.set(code, usdRate);
    req.log.info({ currency: code, usdRate }, 'currency rate set');
    return { success: true as const, data: rate };
  });
}
