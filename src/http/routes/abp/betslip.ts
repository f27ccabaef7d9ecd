import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AbpHttpError, detailBody } from '../../../contracts/abp/errors.js';
import { BetslipQuerySchema } from '../../../contracts/abp/reference.js';
import { buildBetslip, type Betslip } from '../../../execution/betslip.js';
import { decodeOutcome } from '../../../execution/outcomes.js';
import { AbpDetail, abpSchema, BetslipBody } from './responses.js';
import { abpService, clientOf } from './scope.js';

const SCHEMA = abpSchema({
  summary: 'Get live odds and betslip metadata',
  description:
    'Odds of one outcome from every bookmaker that has it (limit cascade account > bookmaker > odds). Opens or ' +
    'extends a 60 s window pushing changes on the `betslip` channel. `futureId` answers 501.',
  querystring: BetslipQuerySchema,
  response: {
    200: BetslipBody,
    404: AbpDetail('Fixture, outcome, player or market not found (`{"detail":"Fixture not found"}`).'),
    501: AbpDetail('`{"detail":"Futures betslip is not implemented yet"}`.'),
  },
});

/** A futures betslip (`futureId`) is 501 whatever else the query holds: checked before the schema. */
async function refuseFutures(req: FastifyRequest): Promise<void> {
  if ((req.query as Record<string, unknown> | undefined)?.futureId !== undefined)
    throw new AbpHttpError(501, detailBody('Futures betslip is not implemented yet'));
}

/**
 * GET /abp/betslip?fixtureId&outcomeId&playerId: live odds of one outcome from every bookmaker that has it,
 * with the limit cascade and the client's account per bookmaker. Each call opens (or extends) a window in
 * which changed odds are pushed on the client's `betslip` channel. `futureId` (futures) → 501.
 */
export async function betslipRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/betslip', { schema: SCHEMA, preValidation: refuseFutures }, async (req) => {
    const client = clientOf(req);
    const q = req.query;
    const outcome = decodeOutcome(q.outcomeId);
    if (!outcome) throw new AbpHttpError(404, detailBody('Outcome not found'));
    if (q.playerId !== 0) throw new AbpHttpError(404, detailBody('Player not found'));
    const eventId = Number(q.fixtureId);
    if (!app.readModel.events.has(eventId)) throw new AbpHttpError(404, detailBody('Fixture not found'));
    const abp = abpService(app);
    const accounts = await abp.accounts.list(client.clientName);
    const build = (): Betslip | null => {
      const event = app.readModel.events.get(eventId);
      if (!event) return null;
      return buildBetslip({
        event,
        markets: app.readModel.marketsOf(eventId),
        outcome,
        clientName: client.clientName,
        accounts,
        allowed: client.bookmakers,
        clock: app.books.clock(),
        userRef: q.userRef ?? null,
      });
    };
    const slip = build();
    if (!slip) throw new AbpHttpError(404, detailBody('Market not available for this fixture'));
    abp.betslips.touch(
      { clientName: client.clientName, eventId, outcomeId: q.outcomeId, playerId: 0, build },
      slip,
    );
    return slip;
  });
}
