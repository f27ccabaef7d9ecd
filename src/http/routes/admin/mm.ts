import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MmSelectorSchema } from '../../../config/mm.js';
import type { MmEngine } from '../../../mm/engine.js';
import { exampled } from '../../openapi/route-schema.js';
import { ErrorBody, open, porqpine } from '../../openapi/schemas.js';
import { HttpError } from '../../errors.js';
import { DIAMOND_ERRORS, schemaErrorFormatter } from '../../surface-errors.js';
import { AdminHeaders, adminSchema, BadBody, Forbidden } from './responses.js';

const Strategy = open({
  spreadTicks: z.number(),
  size: z.number(),
  replaceTicks: z.number(),
  maxExposure: z.number(),
  cancelInPlay: z.boolean(),
});
const Selection = open({ selector: z.string(), strategy: Strategy });
const MarketView = open({
  marketKey: z.string(),
  fixtureId: z.string(),
  outcomeId: z.number(),
  fair: z.number().nullable(),
  suspended: z.boolean(),
  inPlay: z.boolean(),
  exposure: z.number(),
  maxExposure: z.number(),
  quotes: z.array(
    open({
      back: z.boolean(),
      price: z.number(),
      size: z.number(),
      matched: z.number(),
      remaining: z.number(),
    }),
  ),
});
const EXAMPLE_SELECTION = {
  selector: 'sport:1',
  strategy: { spreadTicks: 2, size: 2, replaceTicks: 2, maxExposure: 100, cancelInPlay: true },
};
const MmState = open({
  halted: z
    .string()
    .nullable()
    .describe(
      'Why quoting is stopped (emergency mode; `standby: …` while another instance holds the lease), null while quoting.',
    ),
  clientExposure: z.number(),
  clientMaxExposure: z.number(),
  selections: z.array(Selection),
  markets: z.array(MarketView),
});
const StateBody = exampled(porqpine(MmState, 'The MM selections, markets, quotes and exposure'), {
  success: true,
  data: {
    halted: null,
    clientExposure: 11.8,
    clientMaxExposure: 1000,
    selections: [EXAMPLE_SELECTION],
    markets: [
      {
        marketKey: '1000001:101',
        fixtureId: '1000001',
        outcomeId: 101,
        fair: 2.01,
        suspended: false,
        inPlay: false,
        exposure: 11.8,
        maxExposure: 100,
        quotes: [
          { back: true, price: 2.06, size: 2, matched: 0, remaining: 2 },
          { back: false, price: 1.97, size: 2, matched: 0, remaining: 2 },
        ],
      },
    ],
  },
});
const SelectionBody = exampled(porqpine(Selection, 'The selector as now quoted'), {
  success: true,
  data: EXAMPLE_SELECTION,
});

/** POST body: a selector and, optionally, its own strategy (MM_* defaults otherwise). */
export const MmMarketBody = z.strictObject({
  selector: MmSelectorSchema.describe(
    'fixture:<event id>, sport:<sport id> or tournament:<competition id|name>',
  ),
  spreadTicks: z.number().int().min(1).max(100).optional(),
  size: z.number().min(1).max(1_000_000).optional(),
  replaceTicks: z.number().int().min(1).max(100).optional(),
  maxExposure: z.number().min(0).max(1e9).optional(),
  cancelInPlay: z.boolean().optional(),
});
const RemoveQuery = z.object({ selector: MmSelectorSchema });
const NotRunning = ErrorBody.describe(
  'The market maker does not run here (MM_ENABLED off, or no execution).',
);

/**
 * The market maker's markets at runtime under /api/v1/admin/mm: `GET /mm` shows the selectors, every
 * quoted market (fair price, quotes, exposure) and whether quoting is halted; `POST /mm/markets` adds a
 * selector (a fixture, a sport or a tournament) and `DELETE /mm/markets?selector=` removes one (its
 * quotes are cancelled on the next cycle). Both are kept in `mm_selectors`: they survive a restart, a
 * removed config selector stays removed, and every instance on the database reads them. Changes need the admin credential (the admin scope's hook).
 */
export async function mmAdminRoutes(app: FastifyInstance): Promise<void> {
  const engine = (): MmEngine => {
    if (!app.mm) throw new HttpError(503, 'The market maker is not running here (MM_ENABLED)');
    return app.mm;
  };
  const r = app.withTypeProvider<ZodTypeProvider>();
  const stateSchema = adminSchema({
    summary: 'Market maker: selectors, markets, quotes, exposure',
    response: { 200: StateBody, 503: NotRunning },
  });
  r.get('/mm', { schema: stateSchema }, async () => {
    const e = engine();
    return { success: true as const, data: { ...e.snapshot(), selections: e.listSelections() } };
  });

  const addSchema = adminSchema({
    summary: 'Market maker: quote the markets of a fixture, sport or tournament',
    headers: AdminHeaders,
    // No body (or `null`) is read as `{}`: the answer names the missing `selector`.
    body: z.preprocess((b) => b ?? {}, MmMarketBody),
    response: { 201: SelectionBody, 400: BadBody, 403: Forbidden, 503: NotRunning },
  });
  // Worded as emergency's: `Invalid body "selector": …` (no field when the whole body is wrong).
  const schemaErrors = schemaErrorFormatter(DIAMOND_ERRORS);
  r.post('/mm/markets', { schema: addSchema, schemaErrorFormatter: schemaErrors }, async (req, reply) => {
    const { selector, ...strategy } = req.body;
    const defined = Object.fromEntries(Object.entries(strategy).filter(([, v]) => v !== undefined));
    const data = await engine().select(selector, defined);
    req.log.warn({ selector, strategy: data.strategy }, 'mm: market selector added');
    return reply.code(201).send({ success: true as const, data });
  });

  const removeSchema = adminSchema({
    summary: 'Market maker: stop quoting a selector (its quotes are cancelled)',
    headers: AdminHeaders,
    querystring: RemoveQuery,
    response: {
      200: exampled(porqpine(open({ selector: z.string() }), 'Removed'), {
        success: true,
        data: { selector: 'sport:1' },
      }),
      400: BadBody,
      403: Forbidden,
      404: ErrorBody.describe('No such selector.'),
      503: NotRunning,
    },
  });
  r.delete('/mm/markets', { schema: removeSchema, schemaErrorFormatter: schemaErrors }, async (req) => {
    if (!(await engine().unselect(req.query.selector)))
      throw new HttpError(404, 'No such MM market selector');
    req.log.warn({ selector: req.query.selector }, 'mm: market selector removed');
    return { success: true as const, data: { selector: req.query.selector } };
  });
}
