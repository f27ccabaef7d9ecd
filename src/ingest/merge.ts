import type { Event, Market, SourceEventFields, SourceMarket } from '../model/index.js';
import { splitTeams } from '../model/index.js';

/** Builds the stored event from a source's fields and the previous state (fields not given are kept). */
export function mergeEvent(
  id: number,
  source: string,
  upstreamId: string,
  fields: SourceEventFields,
  prev: Event | undefined,
  now: number,
): Event {
  const teams = fields.team1 !== undefined || fields.team2 !== undefined ? null : splitTeams(fields.name);
  const status = fields.status ?? prev?.status ?? 'OPEN';
  return {
    id,
    upstreamIds: { ...(prev?.upstreamIds ?? {}), [source]: upstreamId },
    sportId: fields.sportId,
    name: fields.name,
    // copied: the stored event is frozen, and the source may keep the object it passed
    competition:
      fields.competition !== undefined
        ? fields.competition && { ...fields.competition }
        : (prev?.competition ?? null),
    team1: fields.team1 ?? teams?.team1 ?? prev?.team1 ?? null,
    team2: fields.team2 ?? teams?.team2 ?? prev?.team2 ?? null,
    startTime: fields.startTime,
    status,
    inPlay: fields.inPlay ?? (status === 'IN_PLAY' ? true : (prev?.inPlay ?? false)),
    hasFancy: fields.hasFancy ?? prev?.hasFancy ?? false,
    hasBookmaker: fields.hasBookmaker ?? prev?.hasBookmaker ?? false,
    countryCode: fields.countryCode !== undefined ? fields.countryCode : (prev?.countryCode ?? null),
    venue: fields.venue !== undefined ? fields.venue : (prev?.venue ?? null),
    scoreUrl: fields.scoreUrl !== undefined ? fields.scoreUrl : (prev?.scoreUrl ?? null),
    streamUrl: fields.streamUrl !== undefined ? fields.streamUrl : (prev?.streamUrl ?? null),
    updatedAt: now,
  };
}

/** True when two events differ in anything but `updatedAt`. */
export function eventChanged(a: Event, b: Event): boolean {
  for (const k of Object.keys(a) as (keyof Event)[]) {
    if (k === 'updatedAt') continue;
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (typeof x === 'object' && typeof y === 'object' && JSON.stringify(x) === JSON.stringify(y)) continue;
    return true;
  }
  return false;
}

/** The stored market: the source's market with its internal event id, next version and change time. */
export function mergeMarket(eventId: number, m: SourceMarket, prev: Market | undefined, now: number): Market {
  return { ...m, eventId, updatedAt: now, version: (prev?.version ?? 0) + 1 };
}

/** Event flags implied by its markets (fancy and bookmaker availability). */
export function flagsFromMarkets(markets: Iterable<Market>): { hasFancy: boolean; hasBookmaker: boolean } {
  let hasFancy = false;
  let hasBookmaker = false;
  for (const m of markets) {
    if (m.status === 'CLOSED') continue;
    if (m.type === 'FANCY') hasFancy = true;
    if (m.type === 'BOOKMAKER') hasBookmaker = true;
  }
  return { hasFancy, hasBookmaker };
}
