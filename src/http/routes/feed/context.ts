import type { FastifyInstance } from 'fastify';
import type { Event } from '../../../model/index.js';
import { HttpError } from '../../errors.js';
import {
  contextOf,
  sourceConfirmations,
  type FreshnessContext,
  type FreshnessDeps,
  type SourceConfirmations,
} from '../../../contracts/porqpine/freshness.js';
import { ID_PATTERN } from '../../../contracts/porqpine/ids.js';
import { sportIdFromLabel } from '../../../contracts/porqpine/sports.js';

/**
 * The sources' confirmations as of this request (their statuses are read now: a source that changed state
 * shows in the very next response), with the update log's last change read live.
 */
export function confirmationsNow(app: FastifyInstance): SourceConfirmations {
  return sourceConfirmations(app.sources.statuses(), app.readModel);
}

/**
 * The freshness context of a request: now, the sources' statuses and the update log's last
 * change; `deps` records what the rendering's stale flags depend on (for cached bodies).
 */
export function freshnessNow(app: FastifyInstance, deps?: FreshnessDeps): FreshnessContext {
  return contextOf(confirmationsNow(app), Date.now(), deps);
}

/** Validates an `:id` (internal id or bfi) and returns it trimmed; 400 when malformed. */
export function parseId(raw: unknown): string {
  const id = typeof raw === 'string' ? raw.trim() : '';
  if (!ID_PATTERN.test(id)) throw new HttpError(400, 'Invalid id', 'ERR_BAD_ID');
  return id;
}

/** The event named by `:id` (internal id or bfi); 400 when malformed, 404 when unknown. */
export function eventParam(app: FastifyInstance, raw: unknown): { event: Event; asked: string } {
  const asked = parseId(raw);
  const event = app.readModel.findEvent(asked);
  if (!event) throw new HttpError(404, `Event ${asked} not found`, 'ERR_NOT_FOUND');
  return { event, asked };
}

/**
 * Records demand for an event's live data (seed 001: the aggregator engages the live feed for an event on
 * the first request to /event/:id/odds, /fancy or /bookmaker). A no-op when no broker registered demand.
 */
export function touchDemand(app: FastifyInstance, eventId: number): void {
  if (app.hasDecorator('demand')) app.demand.touch(eventId);
}

/** Longest accepted sport filter. */
const MAX_SPORT_LEN = 40;

/**
 * Resolves `?sport=`: undefined when absent, the sport id when known, null when unknown (an empty
 * selection, as Porqpine's filter gives); 400 when it is not a short plain string.
 */
export function sportFilter(app: FastifyInstance, raw: unknown): number | null | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > MAX_SPORT_LEN) {
    throw new HttpError(400, 'Invalid sport filter', 'ERR_BAD_QUERY');
  }
  return sportIdFromLabel(raw, app.readModel.sports.keys());
}

/** Parses an optional positive integer query parameter within [1, max]; 400 when invalid. */
export function intParam(raw: unknown, name: string, def: number, max: number): number {
  if (raw === undefined || raw === '') return def;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    throw new HttpError(400, `Invalid ${name}: expected an integer from 1 to ${max}`, 'ERR_BAD_QUERY');
  }
  return Math.min(Number(raw), max);
}
