import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { MatchingError, type MatchingService } from '../../../matching/service.js';
import type { Event } from '../../../model/index.js';

const LinkBody = z.object({
  event_id: z.coerce.number().int().positive(),
  into: z.coerce.number().int().positive(),
});
/** Names that would reach an object's prototype if they keyed one: never a source name. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const UnlinkBody = z.object({
  event_id: z.coerce.number().int().positive(),
  source: z
    .string()
    .min(1)
    .max(64)
    .refine((s) => !PROTOTYPE_NAMES.has(s), 'not a source name'),
});

const STATUS: Readonly<Record<MatchingError['code'], number>> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  BAD_REQUEST: 400,
};

function service(app: FastifyInstance): MatchingService {
  if (!app.matching)
    throw new HttpError(503, 'Cross-source matching is disabled (MATCHING_ENABLED=false)', 'ERR_DISABLED');
  return app.matching;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new HttpError(
    400,
    `Invalid body "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`,
    'ERR_BAD_BODY',
  );
}

async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof MatchingError) throw new HttpError(STATUS[err.code], err.message, `ERR_${err.code}`);
    throw err;
  }
}

function eventBrief(e: Event | undefined) {
  if (!e) return null;
  return {
    id: e.id,
    name: e.name,
    sport_id: e.sportId,
    start_time: e.startTime,
    status: e.status,
    sources: e.upstreamIds,
  };
}

/**
 * Cross-source matching admin, under /api/v1/admin/matching: the upstream events left separate because
 * the match was ambiguous (or only one side matched), and manual link / unlink, which persist in the store.
 * - GET  /matching/candidates
 * - GET  /matching/links            manual decisions, oldest first
 * - POST /matching/link   {event_id, into}   every upstream id of event_id moves onto event `into`
 * - POST /matching/unlink {event_id, source} that source's upstream event gets an event of its own
 */
export const matchingRoutes: FastifyPluginAsync = async (app) => {
  const lookup = (id: number) => app.readModel.events.get(id);

  app.get('/matching/candidates', async () => {
    const data = service(app)
      .pending()
      .map((p) => ({
        source: p.source,
        upstream_id: p.upstreamId,
        event: eventBrief(app.readModel.findByUpstream(p.source, p.upstreamId)),
        name: p.name,
        sport_id: p.sportId,
        start_time: p.startTime,
        reason: p.reason,
        seen_at: new Date(p.at).toISOString(),
        candidates: p.candidates.map((c) => ({
          score: c.score,
          event: eventBrief(lookup(c.eventId)) ?? { id: c.eventId, name: c.name },
        })),
      }));
    return { success: true, count: data.length, data, stats: service(app).stats };
  });

  app.get('/matching/links', async () => {
    const data = service(app).actions();
    return { success: true, count: data.length, data };
  });

  app.post('/matching/link', async (req) => {
    const body = parse(LinkBody, req.body);
    const svc = service(app);
    await run(() => svc.link(body.event_id, body.into, lookup, app.ingest));
    await app.settle();
    return { success: true, data: eventBrief(lookup(body.into)) };
  });

  app.post('/matching/unlink', async (req) => {
    const body = parse(UnlinkBody, req.body);
    const svc = service(app);
    const newId = await run(() => svc.unlink(body.event_id, body.source, lookup, app.ingest));
    await app.settle();
    return {
      success: true,
      data: { event: eventBrief(lookup(body.event_id)), unlinked: eventBrief(lookup(newId)) },
    };
  });
};
