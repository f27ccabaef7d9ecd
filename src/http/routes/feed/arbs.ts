import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../../errors.js';
import { cacheControl } from '../../porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { findArbs } from '../../../books/scan.js';
import { renderArb } from '../../../books/render.js';
import { sportFilter } from './context.js';

type ArbsQuery = { Querystring: { sport?: string; min_edge?: string; total?: string } };

const NUMBER = /^\d{1,9}(\.\d{1,6})?$/;

/** Parses a non-negative decimal query parameter within [min, max]; 400 when invalid. */
function decimalParam(raw: unknown, name: string, def: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return def;
  const n = typeof raw === 'string' && NUMBER.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) {
    throw new HttpError(400, `Invalid ${name}: expected a number from ${min} to ${max}`, 'ERR_BAD_QUERY');
  }
  return n;
}

/**
 * GET /arbs?sport=&min_edge=&total=: markets whose best prices across books lock a profit, best edge
 * first, each with the stake split of `total` (default BOOKS_ARB_TOTAL). `min_edge` is the smallest
 * locked profit in percent of the total stake. Stale books never take part. Live: not cached.
 */
export const arbRoutes: FastifyPluginAsync = async (app) => {
  app.get<ArbsQuery>('/arbs', async (req, reply) => {
    const sport = sportFilter(app, req.query.sport);
    const minEdgePct = decimalParam(req.query.min_edge, 'min_edge', 0, 0, 100);
    const total = decimalParam(req.query.total, 'total', app.config.books.arbTotal, 0.01, 1e9);
    const rm = app.readModel;
    const arbs =
      sport === null
        ? []
        : findArbs(rm.events.values(), (id) => rm.marketsOf(id), app.books.clock(), {
            total,
            minEdgePct,
            ...(sport === undefined ? {} : { sportId: sport }),
          });
    const data = arbs.map((a) => renderArb(a, rm.events.get(a.eventId)));
    const payload = { success: true, count: data.length, min_edge: minEdgePct, total, data };
    return sendJson(req, reply, payload, cacheControl(0));
  });
};
