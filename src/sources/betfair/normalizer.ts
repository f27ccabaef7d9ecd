/**
 * Betfair market cache → oddsgate model. Pure functions: no I/O, no clock. Given the previous conversion of a
 * market, unchanged runners are reused (snapshots are immutable), so an update that touches one runner
 * converts one runner.
 */
import { splitTeams } from '../../model/event.js';
import { sportIdFromBetfair } from '../../model/sport.js';
import type {
  EventStatus,
  MarketStatus,
  PriceLevel,
  Runner,
  RunnerStatus,
  SourceEventFields,
  SourceMarket,
  SourceUpdate,
} from '../../model/index.js';
import type { MarketSnapshot } from './market-cache.js';
import type { MarketDefinition } from './protocol.js';
import type { RunnerSnapshot } from './runner-cache.js';

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

/** One runner in model form (back/lay best first, as the cache gives them). */
export function toRunner(r: RunnerSnapshot): Runner {
  return {
    selectionId: r.selectionId,
    handicap: r.handicap,
    name: r.name ?? `Selection ${r.selectionId}`,
    status: runnerStatus(r.status),
    sortPriority: r.sortPriority ?? 0,
    // Shared ladders (copy-on-write in the cache): consumers must not mutate them.
    back: r.back as PriceLevel[],
    lay: r.lay as PriceLevel[],
    ltp: r.ltp,
    tv: r.tv,
    bsp: r.bsp,
    adjustmentFactor: r.adjustmentFactor,
  };
}

/** The previous conversion of the same market, so unchanged runners are reused instead of rebuilt. */
export interface PreviousMarket {
  snapshot: MarketSnapshot;
  market: SourceMarket;
}

function toRunners(m: MarketSnapshot, prev: PreviousMarket | undefined): Runner[] {
  const runners = m.runners;
  const out = new Array<Runner>(runners.length);
  const prevSnaps = prev?.snapshot.runners;
  const prevRunners = prev?.market.runners;
  for (let i = 0; i < runners.length; i++) {
    const r = runners[i] as RunnerSnapshot;
    const same = prevSnaps !== undefined && prevSnaps[i] === r;
    out[i] = same ? ((prevRunners as Runner[])[i] as Runner) : toRunner(r);
  }
  return out;
}

/**
 * A market in model form, or null when the stream never sent its definition. `prev` (the previous
 * snapshot and its conversion) lets unchanged runners be reused: snapshots are immutable, so the same
 * runner snapshot converts to the same runner.
 */
export function toSourceMarket(
  m: MarketSnapshot,
  source: string,
  prev?: PreviousMarket,
): SourceMarket | null {
  const def = m.definition;
  if (!def) return null;
  const p = prev && prev.snapshot.definition === def && prev.market.source === source ? prev.market : null;
  return {
    id: m.marketId,
    source,
    type: p ? p.type : (def.marketType ?? 'UNKNOWN'),
    name: p ? p.name : (def.name ?? marketTypeName(def.marketType ?? 'UNKNOWN')),
    status: p ? p.status : marketStatus(def.status),
    inPlay: def.inPlay === true,
    minStake: null,
    maxStake: null,
    totalMatched: m.totalMatched,
    numberOfWinners: typeof def.numberOfWinners === 'number' ? def.numberOfWinners : null,
    startTime: p ? p.startTime : (def.marketTime ?? def.openDate ?? null),
    runners: toRunners(m, prev),
    publishedAt: m.publishTime,
  };
}

/** What to emit for one changed market. */
export interface MarketUpdateInput {
  market: MarketSnapshot;
  /** The raw market change(s) that produced this state. */
  raw?: unknown;
  /** Emit the event update too (the definition changed or the market is new). */
  withEvent: boolean;
  /** Snapshots of the other markets of the same event, to combine the event status. */
  siblings?: readonly MarketSnapshot[];
  /** The previous conversion of this market (see {@link toSourceMarket}). */
  previous?: PreviousMarket;
}

/** The source updates for one changed market: `[event?, market]`, or none without a definition. */
export function marketUpdates(source: string, input: MarketUpdateInput): SourceUpdate[] {
  const out: SourceUpdate[] = [];
  appendMarketUpdates(out, source, input);
  return out;
}

/**
 * Hot-path form of {@link marketUpdates}: appends the updates to `out` and returns the converted market
 * (null when nothing was emitted), so the caller can keep it as the next `previous`.
 */
export function appendMarketUpdates(
  out: SourceUpdate[],
  source: string,
  input: MarketUpdateInput,
): SourceMarket | null {
  const def = input.market.definition;
  if (!def || def.eventId === undefined || def.eventTypeId === undefined) return null;
  const market = toSourceMarket(input.market, source, input.previous);
  if (!market) return null;
  const upstreamEventId = String(def.eventId);
  if (input.withEvent) {
    const ev = eventFromDefinition(def);
    if (ev) {
      const event = input.siblings?.length ? withCombinedStatus(ev.event, def, input.siblings) : ev.event;
      out.push({ kind: 'event', source, upstreamEventId, event });
    }
  }
  out.push(
    input.raw === undefined
      ? { kind: 'market', source, upstreamEventId, market }
      : { kind: 'market', source, upstreamEventId, market, raw: input.raw },
  );
  return market;
}

function withCombinedStatus(
  event: SourceEventFields,
  def: Readonly<MarketDefinition>,
  siblings: readonly MarketSnapshot[],
): SourceEventFields {
  const statuses = [eventStatusOf(def)];
  for (const s of siblings) if (s.definition) statuses.push(eventStatusOf(s.definition));
  const status = combineEventStatus(statuses);
  return { ...event, status, inPlay: status === 'IN_PLAY' };
}
