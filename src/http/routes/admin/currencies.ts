import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../errors.js';

/** PUT /api/v1/admin/currencies/:code — a currency code (ISO-like, upper case) and its USD rate. */
export const CurrencyParamsSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]{3,5}$/, 'must be 3-5 upper-case letters'),
});
export const CurrencyBodySchema = z.strictObject({
  usdRate: z.number().positive().max(1e6),
});

function parse<T>(schema: z.ZodType<T>, v: unknown, where: string): T {
  const r = schema.safeParse(v ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new HttpError(400, `Invalid ${where}${path ? ` "${path}"` : ''}: ${issue?.message ?? 'invalid'}`);
}

/**
 * The currencies table of order execution (USD per unit; orderCurrency converts through it), under
 * /api/v1/admin/currencies: GET lists the rates; PUT /:code (a change: the admin scope asks for
 * x-admin-password) sets or adds one, pushed on the ABP `currencies` channel when it changed. 503 without
 * order execution (no records database).
 */
export async function currencyRoutes(app: FastifyInstance): Promise<void> {
  const execution = () => {
    if (!app.hasDecorator('execution')) throw new HttpError(503, 'Order execution is not running here');
    return app.execution;
  };

  app.get('/currencies', async () => ({ success: true, data: await execution().currencies.list() }));

  app.put('/currencies/:code', async (req) => {
    const { code } = parse(CurrencyParamsSchema, req.params, 'path');
    const { usdRate } = parse(CurrencyBodySchema, req.body, 'body');
    const rate = await execution().currencies.set(code, usdRate);
    req.log.info({ currency: code, usdRate }, 'currency rate set');
    return { success: true, data: rate };
  });
}
