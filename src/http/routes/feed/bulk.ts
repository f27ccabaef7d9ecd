import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { cacheControl } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { ID_PATTERN } from '../../../contracts/porqpine/ids.js';
import { freshnessNow } from './context.js';
import { unifiedBucket, type LiveSource } from './event-odds.js';

/** Most ids per POST /odds/unified call (seed 001). */
export const MAX_UNIFIED_IDS = 50;

const MatchId = z.union([
  z.string().trim().regex(ID_PATTERN, 'each id must be 1-64 letters, digits, ".", "_", ":" or "-"'),
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
]);

/** Body of POST /odds/unified. */
export const UnifiedBodySchema = z.object({
  matchIds: z
    .array(MatchId, { error: 'matchIds must be an array of ids' })
    .max(MAX_UNIFIED_IDS, `at most ${MAX_UNIFIED_IDS} matchIds per call`),
});

function bodyError(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'Invalid body';
  if (first.path.length === 0) return 'Body must be a JSON object with matchIds';
  if (first.path[0] === 'matchIds' && first.code === 'invalid_type' && first.path.length === 1) {
    return 'Missing or invalid matchIds (an array of ids)';
  }
  return `Invalid ${first.path.join('.')}: ${first.message}`;
}

/** POST /odds/unified `{"matchIds":[…]}`: odds of many events at once; unknown ids come back as null. */
export const bulkRoutes: FastifyPluginAsync = async (app) => {
  app.post('/odds/unified', async (req, reply) => {
    const parsed = UnifiedBodySchema.safeParse(req.body);
    if (!parsed.success) throw new HttpError(400, bodyError(parsed.error), 'ERR_BAD_BODY');
    const ids = parsed.data.matchIds.map(String);
    const ctx = freshnessNow(app);
    // Null prototype: ids such as "__proto__" are plain keys.
    const market: Record<string, ReturnType<typeof unifiedBucket> | null> = Object.create(null);
    let source: LiveSource = 'live';
    for (const id of ids) {
      const e = app.readModel.findEvent(id);
      const bucket = e ? unifiedBucket(e, app.readModel.marketsOf(e.id), ctx) : null;
      if (bucket?.source === 'stale') source = 'stale';
      market[id] = bucket;
    }
    const found = Object.values(market).filter((b) => b !== null).length;
    const data = { match_ids: ids, market, source, found, missing: ids.filter((id) => market[id] === null) };
    return sendJson(req, reply, { success: true, data }, cacheControl(0));
  });
};
