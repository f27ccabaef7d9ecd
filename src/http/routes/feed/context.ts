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

/** The event named by `:id` (validated by the route's schema: IdParams); 404 when unknown. */
export function eventParam(app: FastifyInstance, asked: string): { event: Event; asked: string } {
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

/**
 * Resolves `?sport=` (validated by the route's schema: sportField): undefined when absent, the sport id when
 * known, null when unknown (an empty selection, as Porqpine's filter gives).
 */
export function sportFilter(app: FastifyInstance, label: string | undefined): number | null | undefined {
  if (label === undefined || label === '') return undefined;
  return sportIdFromLabel(label, app.readModel.sports.keys());
}
