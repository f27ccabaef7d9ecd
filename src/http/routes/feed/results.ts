import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Result } from '../../../model/index.js';
import type { ResultQuery } from '../../../store/types.js';
import { HttpError } from '../../errors.js';
import { cacheControl, CLIENT_MAX_AGE_SEC, TTL_SEC } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { BETFAIR_ID_SOURCES } from '../../../contracts/porqpine/ids.js';
import { renderResult } from '../../../contracts/porqpine/results.js';
import { porqpineState } from '../../porqpine/state.js';
import { withTimeout } from '../../../core/timeout.js';
import { intParam, parseId, sportFilter } from './context.js';
import { archivePage, isArchiveQuery } from './results-archive.js';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Store reads give up after this long and fall back to the results this instance remembers. */
export const STORE_READ_TIMEOUT_MS = 2000;

type Query = {
  sport?: unknown;
  limit?: unknown;
  since?: unknown;
  from?: unknown;
  to?: unknown;
  cursor?: unknown;
};

/** An optional ISO 8601 time parameter as epoch ms; 400 when it is not one. */
export function parseSince(raw: unknown, name = 'since'): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms))
    throw new HttpError(400, `Invalid ${name}: expected an ISO 8601 timestamp`, 'ERR_BAD_QUERY');
  return ms;
}

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
  app.get<{ Querystring: Query }>('/results', async (req, reply) => {
    const sportId = sportFilter(app, req.query.sport);
    const limit = intParam(req.query.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
    const since = parseSince(req.query.since);
    // from/to/cursor: the results archive (records database), keyset-paginated beyond the hot window.
    if (isArchiveQuery(req.query)) {
      const body = await archivePage(app, req.query, { sportId, limit, since });
      return sendJson(req, reply, body, cacheControl(0), true);
    }
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
    const body = {
      success: true,
      count: data.length,
      totals: { saved: stored ? data.length : 0, rest: stored ? 0 : data.length, stored: all },
      data,
      source: stored ? 'store' : 'memory',
      stale: stored === null,
    };
    // Clients keep the list briefly (the 12 h TTL is the server's keeping time), then revalidate by ETag.
    return sendJson(req, reply, body, cacheControl(stored ? CLIENT_MAX_AGE_SEC.results : 0), true);
  });

  app.get<{ Params: { id: string } }>('/result/:id', async (req, reply) => {
    const id = parseId(req.params.id);
    const { result, fromStore: ok } = await findResult(app, id);
    if (!result && !ok)
      throw new HttpError(502, 'Results store temporarily unreachable; retry', 'ERR_UPSTREAM');
    if (!result) throw new HttpError(404, `Result ${id} not found`, 'ERR_NOT_FOUND');
    const data = { ...renderResult(result), source: ok ? 'store' : 'memory' };
    return sendJson(req, reply, { success: true, data }, cacheControl(ok ? TTL_SEC.results : 0), true);
  });
};
