import type { Event, SourceEventFields } from '../model/index.js';

/**
 * Which source describes a matched event. An event fed by several sources takes its name, teams, sport,
 * competition, start time and status from one of them (its primary source) so the sources do not
 * overwrite each other back and forth on every update; the others only fill fields it leaves empty.
 */

/** Sources whose event fields only fill gaps (bookmaker aggregators polled now and then). */
export const SECONDARY_SOURCES: ReadonlySet<string> = new Set(['oddsapi']);

/** Exchange sources, which describe an event best (in order of preference). */
export const EXCHANGE_SOURCES: readonly string[] = ['betfair', 'historical', 'sim'];

/**
 * The primary source of an event: an exchange source when it has one, else the first of its sources that
 * is not secondary, else its first.
 */
export function primarySource(upstreamIds: Readonly<Record<string, string>>): string | undefined {
  const sources = Object.keys(upstreamIds);
  return (
    EXCHANGE_SOURCES.find((s) => s in upstreamIds) ??
    sources.find((s) => !SECONDARY_SOURCES.has(s)) ??
    sources[0]
  );
}

/**
 * The fields of `source`'s update to merge into `prev`: unchanged when `source` is the event's primary
 * source (or the event is new or has one source), else with the descriptive fields taken from `prev`.
 */
export function fieldsFromSource(
  source: string,
  fields: SourceEventFields,
  prev: Event | undefined,
): SourceEventFields {
  if (!prev) return fields;
  const ids = { ...prev.upstreamIds, [source]: '' };
  if (Object.keys(ids).length < 2 || primarySource(ids) === source) return fields;
  return {
    ...fields,
    sportId: prev.sportId,
    name: prev.name,
    startTime: prev.startTime,
    competition: prev.competition ?? fields.competition ?? null,
    team1: prev.team1 ?? fields.team1 ?? null,
    team2: prev.team2 ?? fields.team2 ?? null,
    status: prev.status,
    inPlay: prev.inPlay,
    countryCode: prev.countryCode ?? fields.countryCode ?? null,
    venue: prev.venue ?? fields.venue ?? null,
  };
}
