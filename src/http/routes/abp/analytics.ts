import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pnl, positions, type AnalyticsQuery } from '../../../execution/queries.js';
import { ORDER_ROUTES } from './order-responses.js';

/**
 * ABP analytics over the client's bets: GET /positions (open: PLACED or CONFIRMED and UNSETTLED) and
 * GET /pnl (settled), grouped by bookmaker (default), account or userRef, filtered by bookmaker, userRef
 * and account. Test bets are left out.
 */
export async function analyticsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const queryOf = (clientName: string, q: Record<string, unknown>): AnalyticsQuery =>
    ({
      clientName,
      ...Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)),
    }) as AnalyticsQuery;

  r.get('/positions', ORDER_ROUTES.positions, async (req, reply) => {
    if (!req.abpClient)
      return reply.code(401).send({ detail: { message: 'Missing X-API-Key header', code: 'UNAUTHORIZED' } });
    return positions(app.execution.db, queryOf(req.abpClient.clientName, req.query));
  });

  r.get('/pnl', ORDER_ROUTES.pnl, async (req, reply) => {
    if (!req.abpClient)
      return reply.code(401).send({ detail: { message: 'Missing X-API-Key header', code: 'UNAUTHORIZED' } });
    return pnl(app.execution.db, queryOf(req.abpClient.clientName, req.query));
  });
}
