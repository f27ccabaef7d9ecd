import type { FastifyInstance } from 'fastify';
import { AbpHttpError, detailBody, parseAbp } from '../../../contracts/abp/errors.js';
import { BetslipQuerySchema } from '../../../contracts/abp/reference.js';
import { buildBetslip, type Betslip } from '../../../execution/betslip.js';
import { decodeOutcome } from '../../../execution/outcomes.js';
import { abpService, clientOf } from './scope.js';

/**
 * GET /abp/betslip?fixtureId&outcomeId&playerId: live odds of one outcome from every bookmaker that has it,
 * with the limit cascade and the client's account per bookmaker. Each call opens (or extends) a window in
 * which changed odds are pushed on the client's `betslip` channel. `futureId` (futures) → 501.
 */
export async function betslipRoutes(app: FastifyInstance): Promise<void> {
  app.get('/betslip', async (req) => {
    const client = clientOf(req);
    if ((req.query as Record<string, unknown> | undefined)?.futureId !== undefined)
      throw new AbpHttpError(501, detailBody('Futures betslip is not implemented yet'));
    const q = parseAbp(BetslipQuerySchema, req.query, 'query');
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
