/**
 * Betfair definitions → oddsgate model: market type names, market, runner and event statuses, the event of
 * a definition. Pure functions: no I/O, no clock. The pipeline's incremental conversion of a market cache
 * (MarketNormalizer, market-normalizer.ts) builds on them.
 */
import { splitTeams } from '../../model/event.js';
import { sportIdFromBetfair } from '../../model/sport.js';
import type { EventStatus, MarketStatus, RunnerStatus, SourceEventFields } from '../../model/index.js';
import type { MarketDefinition } from './protocol.js';

const MARKET_STATUSES: ReadonlySet<string> = new Set(['INACTIVE', 'OPEN', 'SUSPENDED', 'CLOSED']);
const RUNNER_STATUSES: Readonly<Record<string, RunnerStatus>> = {
  ACTIVE: 'ACTIVE',
  WINNER: 'WINNER',
  LOSER: 'LOSER',
  PLACED: 'PLACED',
  REMOVED: 'REMOVED',
  REMOVED_VACANT: 'REMOVED',
  HIDDEN: 'HIDDEN',
  SUSPENDED: 'SUSPENDED',
};

/** Readable default names for market types that carry no name (live stream definitions have none). */
const MARKET_TYPE_NAMES: Readonly<Record<string, string>> = {
  MATCH_ODDS: 'Match Odds',
  WIN: 'Win',
  PLACE: 'Place',
  OVER_UNDER_25: 'Over/Under 2.5 Goals',
  CORRECT_SCORE: 'Correct Score',
  HALF_TIME: 'Half Time',
  BOTH_TEAMS_TO_SCORE: 'Both teams to Score?',
  ASIAN_HANDICAP: 'Asian Handicap',
  MONEY_LINE: 'Moneyline',
};

/** Display name of a market type: a known name, else "SOME_TYPE" → "Some Type". */
export function marketTypeName(type: string): string {
  const known = MARKET_TYPE_NAMES[type];
  if (known) return known;
  return type
    .toLowerCase()
    .split('_')
    .filter((w) => w.length > 0)
    .map((w) => (w[0] as string).toUpperCase() + w.slice(1))
    .join(' ');
}

/** Betfair market status → model status (unknown or missing → SUSPENDED, the safe choice). */
export function marketStatus(status: string | null | undefined): MarketStatus {
  return status && MARKET_STATUSES.has(status) ? (status as MarketStatus) : 'SUSPENDED';
}

/** Event status from one market definition: CLOSED, IN_PLAY, SUSPENDED, else OPEN. */
export function eventStatusOf(def: Readonly<MarketDefinition>): EventStatus {
  if (def.status === 'CLOSED') return 'CLOSED';
  if (def.inPlay === true) return 'IN_PLAY';
  if (def.status === 'SUSPENDED') return 'SUSPENDED';
  return 'OPEN';
}

/**
 * Event status over all of an event's markets: the event is CLOSED only when every market is, IN_PLAY when
 * any open market is in play, SUSPENDED when every market still running is suspended, else OPEN.
 * With one market this is {@link eventStatusOf}.
 */
export function combineEventStatus(statuses: readonly EventStatus[]): EventStatus {
  const running = statuses.filter((s) => s !== 'CLOSED');
  if (running.length === 0) return 'CLOSED';
  if (running.includes('IN_PLAY')) return 'IN_PLAY';
  if (running.every((s) => s === 'SUSPENDED')) return 'SUSPENDED';
  return 'OPEN';
}

/** The event fields a market definition gives (null without eventId/eventTypeId). */
export function eventFromDefinition(def: Readonly<MarketDefinition>): {
  upstreamEventId: string;
  event: SourceEventFields;
} | null {
  if (def.eventId === undefined || def.eventTypeId === undefined) return null;
  const eventId = String(def.eventId);
  const name = def.eventName ?? def.name ?? `Event ${eventId}`;
  const { team1, team2 } = splitTeams(name);
  const status = eventStatusOf(def);
  return {
    upstreamEventId: eventId,
    event: {
      sportId: sportIdFromBetfair(Number(def.eventTypeId)),
      name,
      team1,
      team2,
      startTime: def.openDate ?? def.marketTime ?? new Date(0).toISOString(),
      status,
      inPlay: status === 'IN_PLAY',
      countryCode: def.countryCode ?? null,
      venue: def.venue ?? null,
    },
  };
}

/** Betfair runner status → model status (unknown or missing → ACTIVE). */
export function runnerStatus(status: string | null | undefined): RunnerStatus {
  return (status && RUNNER_STATUSES[status]) || 'ACTIVE';
}
