import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { cacheControl } from '../../../contracts/porqpine/freshness.js';
import { sendJson } from '../../porqpine/http.js';
import { ID_PATTERN } from '../../../contracts/porqpine/ids.js';
import { freshnessNow } from './context.js';
import { unifiedBucket, type LiveSource } from './event-odds.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { schemaErrorFormatter, type SurfaceErrors } from '../../surface-errors.js';
import { feedSchema, UnifiedBody } from './responses.js';

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
    .describe('Internal ids or bfis (at most 50).')
    .max(MAX_UNIFIED_IDS, `at most ${MAX_UNIFIED_IDS} matchIds per call`),
});

/** How /odds/unified words a body its schema refused (Porqpine's `{ success: false, error }`, 400). */
const UNIFIED_ERRORS: SurfaceErrors = {
  name: 'porqpine /odds/unified',
  message: (issues) => {
    const first = issues[0];
    if (!first) return 'Invalid body';
    const path = first.instancePath.replace(/^\//, '');
    if (path === '') return 'Body must be a JSON object with matchIds';
    if (path === 'matchIds' && first.keyword === 'invalid_type')
      return 'Missing or invalid matchIds (an array of ids)';
    return `Invalid ${path.replace(/\//g, '.')}: ${first.message ?? 'invalid'}`;
  },
};

const schema = feedSchema({
  summary: 'Odds of many events at once (at most 50 ids)',
  body: UnifiedBodySchema,
  response: { 200: UnifiedBody },
});

/** POST /odds/unified `{"matchIds":[…]}`: odds of many events at once; unknown ids come back as null. */
export const bulkRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const options = { schema, schemaErrorFormatter: schemaErrorFormatter(UNIFIED_ERRORS) };
  r.post('/odds/unified', options, async (req, reply) => {
    const ids = req.body.matchIds.map(String);
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
