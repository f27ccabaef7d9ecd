import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../../errors.js';
import { MatchingError, type MatchingService } from '../../../matching/service.js';
import type { Event } from '../../../model/index.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../openapi/schemas.js';
import {
  AdminHeaders,
  adminSchema,
  BadBody,
  CandidatesBody,
  DecisionsBody,
  Forbidden,
  LinkedBody,
  UnlinkedBody,
} from './responses.js';

/**
 * A matching body: a missing or null body is judged as `{}` (so it names the first missing field, as these
 * routes always answered); the documented shape is the object's.
 */
function matchingBody<T extends z.ZodObject>(shape: T) {
  return z.preprocess((v) => v ?? {}, shape).meta(objectDoc(shape));
}

/** The JSON Schema of an object body, for the document (a preprocessed schema has none of its own). */
function objectDoc(shape: z.ZodObject): Record<string, unknown> {
  const { $schema: _drop, ...doc } = z.toJSONSchema(shape, { io: 'input', unrepresentable: 'any' });
  return doc;
}

const LinkBody = matchingBody(
  z.object({
    event_id: z.coerce.number().int().positive().describe('The event whose upstream ids move.'),
    into: z.coerce.number().int().positive().describe('The event they move onto.'),
  }),
);
/** Names that would reach an object's prototype if they keyed one: never a source name. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const UnlinkBody = matchingBody(
  z.object({
    event_id: z.coerce.number().int().positive().describe('The event to split.'),
    source: z
      .string()
      .min(1)
      .max(64)
      .refine((s) => !PROTOTYPE_NAMES.has(s), 'not a source name')
      .describe('The source whose upstream event gets an event of its own.'),
  }),
);

const disabled = { 503: ErrorBody.describe('Cross-source matching is disabled (MATCHING_ENABLED=false).') };
const candidatesSchema = adminSchema({
  summary: 'Upstream events left unmatched across sources (ambiguous or one-sided)',
  response: { 200: CandidatesBody, ...disabled },
});
const linksSchema = adminSchema({
  summary: 'Manual link and unlink decisions, oldest first',
  response: { 200: DecisionsBody, ...disabled },
});
const changeErrors = {
  400: BadBody,
  403: Forbidden,
  404: ErrorBody.describe('No such event.'),
  409: ErrorBody.describe('The change conflicts with the events as they are.'),
  ...disabled,
};
const linkSchema = adminSchema({
  summary: 'Move every upstream id of one event onto another (manual match)',
  headers: AdminHeaders,
  body: LinkBody,
  response: { 200: LinkedBody, ...changeErrors },
});
const unlinkSchema = adminSchema({
  summary: "Give one source's upstream event an event of its own",
  headers: AdminHeaders,
  body: UnlinkBody,
  response: { 200: UnlinkedBody, ...changeErrors },
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
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/matching/candidates', { schema: candidatesSchema }, async () => {
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
    return { success: true as const, count: data.length, data, stats: service(app).stats };
  });

  r.get('/matching/links', { schema: linksSchema }, async () => {
    const data = service(app)
      .actions()
      .map((a) => ({ ...a }));
    return { success: true as const, count: data.length, data };
  });

  r.post('/matching/link', { schema: linkSchema }, async (req) => {
    const body = req.body;
    const svc = service(app);
    await run(() => svc.link(body.event_id, body.into, lookup, app.ingest));
    await app.settle();
    return { success: true as const, data: eventBrief(lookup(body.into)) };
  });

  r.post('/matching/unlink', { schema: unlinkSchema }, async (req) => {
    const body = req.body;
    const svc = service(app);
    const newId = await run(() => svc.unlink(body.event_id, body.source, lookup, app.ingest));
    await app.settle();
    return {
      success: true as const,
      data: { event: eventBrief(lookup(body.event_id)), unlinked: eventBrief(lookup(newId)) },
    };
  });
};
