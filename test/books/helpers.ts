import type { Event, Market, Runner } from '../../src/model/index.js';
import { bookClock, type BookClock } from '../../src/books/freshness.js';
import { matchOdds } from '../helpers/fixtures.js';

/**
 * Builders the books tests share: an event, a runner with one price each side, a stored market, and a
 * clock with every source connected. Each file keeps a short local alias with its own defaults.
 */

/** The books tests' "now": an hour before the events start. */
export const NOW = Date.parse('2026-11-22T14:00:00.000Z');

/** An open, not in-play event "team1 v team2" starting at 15:00 on NOW's day. */
export function bookEvent(
  id: number,
  sportId: number,
  team1: string,
  team2: string,
  extra: Partial<Event> = {},
): Event {
  return {
    id,
    upstreamIds: {},
    sportId,
    name: `${team1} v ${team2}`,
    competition: null,
    team1,
    team2,
    startTime: '2026-11-22T15:00:00.000Z',
    status: 'OPEN',
    inPlay: false,
    hasFancy: false,
    hasBookmaker: false,
    countryCode: null,
    venue: null,
    scoreUrl: null,
    streamUrl: null,
    updatedAt: NOW,
    ...extra,
  };
}

/** A runner with at most one back and one lay price (null: none), each `size` deep. */
export function bookRunner(
  selectionId: number,
  name: string,
  back: number | null,
  lay: number | null,
  size: number,
  extra: Partial<Runner> = {},
): Runner {
  return {
    selectionId,
    handicap: 0,
    name,
    status: 'ACTIVE',
    sortPriority: selectionId,
    back: back === null ? [] : [{ price: back, size }],
    lay: lay === null ? [] : [{ price: lay, size }],
    ltp: null,
    tv: 0,
    bsp: null,
    adjustmentFactor: null,
    ...extra,
  };
}

/** A stored MATCH_ODDS market of the event from `source`, updated a second before NOW. */
export function bookMarket(
  event: Pick<Event, 'id'>,
  id: string,
  source: string,
  runners: Runner[],
  extra: Partial<Market> = {},
): Market {
  return {
    ...matchOdds(id, runners, { source, totalMatched: 0, startTime: null }),
    eventId: event.id,
    updatedAt: NOW - 1000,
    version: 1,
    ...extra,
  };
}

/** A book clock at `now` with every named source ([source, kind]) connected and updated at `now`. */
export function connectedClock(
  sources: [source: string, kind: string][],
  now: number,
  ttl: { defaultSec: number; bySource: Record<string, number> },
): BookClock {
  const statuses = sources.map(([source, kind]) => ({
    source,
    kind,
    state: 'connected' as const,
    connected: true,
    lastError: null,
    lastErrorAt: null,
    lastUpdateAt: now,
    frames: 1,
    markets: 1,
    details: {},
  }));
  return bookClock(statuses, now, now, ttl);
}
