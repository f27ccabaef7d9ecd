import type { FastifyPluginAsync } from 'fastify';
import { HttpError } from '../../errors.js';
import { cacheControl } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { findArbs } from '../../../books/scan.js';
import { renderArb } from '../../../books/render.js';
import { sportFilter } from './context.js';

type ArbsQuery = {
  Querystring: { sport?: string; min_edge?: string; total?: string; suspect?: string };
};

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

/** Parses `?suspect=`: 1 lists suspect arbitrages, 0 or absent sound ones; 400 otherwise. */
function suspectParam(raw: unknown): boolean {
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new HttpError(400, 'Invalid suspect: expected 1 or 0', 'ERR_BAD_QUERY');
}

/**
 * GET /arbs?sport=&min_edge=&total=&suspect=: markets whose best prices across books lock a profit,
 * best edge first, each with the stake split of `total` (default BOOKS_ARB_TOTAL). `min_edge` is the
 * smallest locked profit in percent of the total stake. Only comparable markets (same type and line,
 * runners one to one, every leg open and fresher than ARB_MAX_AGE_MS; never fancy) are compared, in
 * decimal odds. An edge above ARB_MAX_EDGE (or every leg from one book) is suspect: left out, and
 * listed with its `suspect` reason by `?suspect=1` for operators. Live: not cached.
 */
export const arbRoutes: FastifyPluginAsync = async (app) => {
  app.get<ArbsQuery>('/arbs', async (req, reply) => {
    const sport = sportFilter(app, req.query.sport);
    const minEdgePct = decimalParam(req.query.min_edge, 'min_edge', 0, 0, 100);
    const total = decimalParam(req.query.total, 'total', app.config.books.arbTotal, 0.01, 1e9);
    const suspect = suspectParam(req.query.suspect);
    const rm = app.readModel;
    const arbs =
      sport === null
        ? []
        : findArbs(rm.events.values(), (id) => rm.marketsOf(id), app.books.clock(), {
            total,
            minEdgePct,
            limits: app.books.limits,
            suspect,
            ...(sport === undefined ? {} : { sportId: sport }),
          });
    const data = arbs.map((a) => renderArb(a, rm.events.get(a.eventId)));
    const payload = {
      success: true,
      count: data.length,
      min_edge: minEdgePct,
      total,
      ...(suspect ? { suspect: true } : {}),
      data,
    };
    return sendJson(req, reply, payload, cacheControl(0));
  });
};
