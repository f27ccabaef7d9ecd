import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BETFAIR_ID_SOURCES } from '../model/index.js';
import {
  HISTORY_INTERVALS,
  HistoryQueryError,
  queryClosing,
  queryHistory,
  type ClosingAnswer,
  type HistoryAnswer,
  type HistoryInterval,
} from '../records/history/query.js';
import { HttpError } from './errors.js';
import { withTimeout } from '../core/timeout.js';

/** History reads give up after this long (502, retry). */
const HISTORY_TIMEOUT_MS = 10_000;

const optional = <T extends z.ZodType>(field: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), field.optional());

/**
 * A time in a query: ISO 8601 or epoch milliseconds. Messages name the field: the Porqpine surface sends
 * a schema's message as the whole error text.
 */
const timeField = (name: string) =>
  z
    .string({ error: `${name} must be given once` })
    .max(40, `${name} must be an ISO 8601 time or epoch milliseconds`)
    .transform((v, ctx) => {
      const ms = /^\d{1,15}$/.test(v) ? Number(v) : Date.parse(v);
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 time or epoch milliseconds` });
        return z.NEVER;
      }
      return ms;
    });

/** `?market=&runner=&from=&to=&interval=` of the odds-history routes. */
export const HistoryQuerySchema = z.object({
  market: optional(
    z
      .string({ error: 'market must be given once' })
      .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'market must be a market id'),
  ),
  runner: optional(
    z
      .string({ error: 'runner must be given once' })
      .regex(/^\d{1,10}$/, 'runner must be a selection id')
      .transform(Number),
  ),
  from: optional(timeField('from')),
  to: optional(timeField('to')),
  interval: optional(
    z.enum(HISTORY_INTERVALS as [HistoryInterval, ...HistoryInterval[]], {
      error: `interval must be one of ${HISTORY_INTERVALS.join(', ')}`,
    }),
  ),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/** `?market=` of the closing-lines route. */
export const ClosingQuerySchema = HistoryQuerySchema.pick({ market: true });

function historyOf(app: FastifyInstance) {
  const h = app.history;
  if (!h) throw new HttpError(503, 'Odds history not configured', 'ERR_UNAVAILABLE');
  return h.repo;
}

/**
 * The internal id of the event asked for by internal id or bfi: the live state first, then the id registry
 * and history itself (events long finished). 404 when history knows nothing of it.
 */
export async function historyEventId(app: FastifyInstance, asked: string): Promise<number> {
  const repo = historyOf(app);
  const live = app.readModel.findEvent(asked);
  if (live) return live.id;
  const viaBfi = await guarded(app, repo.eventIdByUpstream(BETFAIR_ID_SOURCES, asked));
  if (viaBfi !== null) return viaBfi;
  if (/^\d{1,15}$/.test(asked) && (await guarded(app, repo.hasEvent(Number(asked))))) return Number(asked);
  throw new HttpError(404, `Event ${asked} not found`, 'ERR_NOT_FOUND');
}

/** Odds history of an event as the API serves it; 400 for a range or size it will not serve. */
export async function historyAnswer(
  app: FastifyInstance,
  eventId: number,
  q: HistoryQuery,
): Promise<HistoryAnswer> {
  const repo = historyOf(app);
  try {
    return await guarded(
      app,
      queryHistory(repo, {
        eventId,
        marketId: q.market,
        selectionId: q.runner,
        from: q.from,
        to: q.to,
        interval: q.interval ?? '1m',
      }),
    );
  } catch (err) {
    if (err instanceof HistoryQueryError) throw new HttpError(400, err.message, 'ERR_BAD_QUERY');
    throw err;
  }
}

/** Closing and opening lines of an event. */
export async function closingAnswer(
  app: FastifyInstance,
  eventId: number,
  market?: string,
): Promise<ClosingAnswer> {
  return guarded(app, queryClosing(historyOf(app), eventId, market));
}

/** A history read bounded in time; a database error or timeout is a 502 (retry), not a 500. */
async function guarded<T>(app: FastifyInstance, p: Promise<T>): Promise<T> {
  try {
    return await withTimeout(p, HISTORY_TIMEOUT_MS, 'odds history');
  } catch (err) {
    if (err instanceof HistoryQueryError || err instanceof HttpError) throw err;
    app.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'odds history read failed');
    throw new HttpError(502, 'Odds history temporarily unreachable; retry', 'ERR_UPSTREAM');
  }
}
