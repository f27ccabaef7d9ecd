import type { FastifyPluginAsync } from 'fastify';
import { cacheControl } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { findArbs } from '../../../books/scan.js';
import { renderArb } from '../../../books/render.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sportFilter } from './context.js';
import { decimalField, sportField, suspectField } from './params.js';
import { ArbsBody, feedSchema } from './responses.js';

const ArbsQuery = z.object({
  sport: sportField,
  min_edge: decimalField('min_edge', 0, 100, 'Smallest edge in percent (0..100, default 0).'),
  total: decimalField('total', 0.01, 1e9, 'Total stake to split (default BOOKS_ARB_TOTAL).'),
  suspect: suspectField,
});

const DESCRIPTION =
  'Markets whose best prices across sources and bookmakers lock a profit, with the stake split. ' +
  'Only comparable markets (same type and line, runners one to one, every leg open and fresher than ' +
  'ARB_MAX_AGE_MS, never fancy), in decimal odds (bookmaker rates converted; legs keep the quoted `rate`). ' +
  'Edges above ARB_MAX_EDGE, or with every leg from one book, are suspect: only `suspect=1` lists them, ' +
  'each with its `suspect` reason.';

/**
 * GET /arbs?sport=&min_edge=&total=&suspect=: markets whose best prices across books lock a profit,
 * best edge first, each with the stake split of `total` (default BOOKS_ARB_TOTAL). `min_edge` is the
 * smallest locked profit in percent of the total stake. Only comparable markets (same type and line,
 * runners one to one, every leg open and fresher than ARB_MAX_AGE_MS; never fancy) are compared, in
 * decimal odds. An edge above ARB_MAX_EDGE (or every leg from one book) is suspect: left out, and
 * listed with its `suspect` reason by `?suspect=1` for operators. Live: not cached.
 */
export const arbRoutes: FastifyPluginAsync = async (app) => {
  const schema = feedSchema({
    summary: 'Arbitrages across books, best edge first',
    description: DESCRIPTION,
    querystring: ArbsQuery,
    response: { 200: ArbsBody },
  });
  app.withTypeProvider<ZodTypeProvider>().get('/arbs', { schema }, async (req, reply) => {
    const sport = sportFilter(app, req.query.sport);
    const minEdgePct = req.query.min_edge ?? 0;
    const total = req.query.total ?? app.config.books.arbTotal;
    const suspect = req.query.suspect;
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
