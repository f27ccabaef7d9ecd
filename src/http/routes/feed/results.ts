import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Result } from '../../../model/index.js';
import type { ResultQuery } from '../../../store/types.js';
import { HttpError } from '../../errors.js';
import { ErrorBody } from '../../openapi/schemas.js';
import { cacheControl, CLIENT_MAX_AGE_SEC, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { BETFAIR_ID_SOURCES } from '../../../contracts/porqpine/ids.js';
import { renderResult } from '../../../contracts/porqpine/results.js';
import { porqpineState } from '../../porqpine/state.js';
import { withTimeout } from '../../../core/timeout.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sportFilter } from './context.js';
import { cursorField, IdParams, limitField, sportField, timeField } from './params.js';
import { feedSchema, ResultBody, ResultsBody } from './responses.js';
import { archivePage, isArchiveQuery } from './results-archive.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Store reads give up after this long and fall back to the results this instance remembers. */
export const STORE_READ_TIMEOUT_MS = 2000;

/** `/results` query, in the order the feed checks it. */
const ResultsQuery = z.object({
  sport: sportField,
  limit: limitField(DEFAULT_LIMIT, MAX_LIMIT),
  since: timeField('since', 'ISO time: only results completed after it.'),
  from: timeField(
    'from',
    'ISO time: the results archive, completed at or after it (any of from, to, cursor reads it).',
  ),
  to: timeField('to', 'ISO time: the results archive, completed before it.'),
  cursor: cursorField,
});

/** Store read with a timeout; null when the store is unreachable (callers fall back to memory). */
async function fromStore<T>(app: FastifyInstance, read: () => Promise<T>, what: string): Promise<T | null> {
  try {
    return await withTimeout(read(), STORE_READ_TIMEOUT_MS, what);
  } catch (err) {
    app.log.warn(
      { err: err instanceof Error ? err.message : String(err) },
      `${what} failed; serving remembered results`,
    );
    return null;
  }
}

/** The result of an event by internal id or bfi: read model ids first, then the store's id maps. */
async function findResult(
  app: FastifyInstance,
  id: string,
): Promise<{ result: Result | null; fromStore: boolean }> {
  const memory = porqpineState(app).results;
  const candidates: number[] = [];
  const known = app.readModel.findEvent(id);
  if (known) candidates.push(known.id);
  if (/^\d{1,15}$/.test(id)) candidates.push(Number(id));
  const found = await fromStore(
    app,
    async () => {
      for (const c of candidates) {
        const r = await app.store.getResult(c);
        if (r) return r;
      }
      for (const src of BETFAIR_ID_SOURCES) {
        const internal = await app.store.findEventId(src, id);
        const r = internal === null ? null : await app.store.getResult(internal);
        if (r) return r;
      }
      return false as const;
    },
    'result lookup',
  );
  if (found) memory.remember(found);
  if (found !== null) return { result: found || null, fromStore: true };
  const viaMemory = candidates.map((c) => memory.get(c)).find((r) => r !== undefined);
  return { result: viaMemory ?? null, fromStore: false };
}

/** /results?sport=&limit=&since= and /result/:id (internal id or bfi); persisted in the store. */
export const resultRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const listSchema = feedSchema({
    summary: 'Completed events with final odds, scores and the winner',
    querystring: ResultsQuery,
    response: { 200: ResultsBody },
  });
  r.get('/results', { schema: listSchema }, async (req, reply) => {
    const sportId = sportFilter(app, req.query.sport);
    const { limit, since } = req.query;
    // from/to/cursor: the results archive (records database), keyset-paginated beyond the hot window.
    if (isArchiveQuery(req.query)) {
      const body = await archivePage(app, req.query, { sportId, limit, since });
      return sendJson(req, reply, body, cacheControl(0), true);
    }
    const body = await hotResults(app, sportId, limit, since);
    // Clients keep the list briefly (the 12 h TTL is the server's keeping time), then revalidate by ETag.
    return sendJson(req, reply, body, cacheControl(body.stale ? 0 : CLIENT_MAX_AGE_SEC.results), true);
  });

  const oneSchema = feedSchema({
    summary: 'One completed event',
    params: IdParams,
    response: { 200: ResultBody, 404: ErrorBody.describe('No result for that id.') },
  });
  r.get('/result/:id', { schema: oneSchema }, async (req, reply) => {
    const id = req.params.id;
    const { result, fromStore: ok } = await findResult(app, id);
    if (!result && !ok)
      throw new HttpError(502, 'Results store temporarily unreachable; retry', 'ERR_UPSTREAM');
    if (!result) throw new HttpError(404, `Result ${id} not found`, 'ERR_NOT_FOUND');
    const data = { ...renderResult(result), source: ok ? 'store' : 'memory' };
    return sendJson(req, reply, { success: true, data }, cacheControl(ok ? TTL_SEC.results : 0), true);
  });
};

/** The hot window of /results: from the store, else (store unreachable) the results this instance remembers. */
async function hotResults(
  app: FastifyInstance,
  sportId: number | null | undefined,
  limit: number,
  since: number | undefined,
) {
  const query: ResultQuery = {
    limit,
    ...(sportId != null ? { sportId } : {}),
    ...(since !== undefined ? { since } : {}),
  };
  const memory = porqpineState(app).results;
  const [stored, all] = await Promise.all([
    sportId === null
      ? Promise.resolve([])
      : fromStore(app, () => app.store.listResults(query), 'results list'),
    fromStore(app, () => app.store.countResults(), 'results count'),
  ]);
  const list = stored ?? (sportId === null ? [] : memory.list(query));
  for (const r of stored ?? []) memory.remember(r);
  const data = list.map(renderResult);
  return {
    success: true,
    count: data.length,
    totals: { saved: stored ? data.length : 0, rest: stored ? 0 : data.length, stored: all },
    data,
    source: stored ? 'store' : 'memory',
    stale: stored === null,
  };
}
