import { z } from 'zod';
import type { Event, EventStatus, Market } from '../../model/index.js';
import { mainMarket } from '../../model/index.js';
import type { FreshnessContext } from './freshness.js';
import { eventAsOf, isStale } from './freshness.js';
import { bfiOf, idNumber } from './ids.js';
import { SIDE_MARKET_TYPES, socketSelections, type SocketSelection } from './markets.js';
import { porqpineSport } from './sports.js';
import { open } from '../open.js';

/** `status` in /events ("LIVE" as the seed shows). */
const LIST_STATUS: Readonly<Record<EventStatus, string>> = {
  OPEN: 'UPCOMING',
  IN_PLAY: 'LIVE',
  SUSPENDED: 'SUSPENDED',
  CLOSED: 'CLOSED',
};

/** `status` in /socket-events ("In Play" as the seed shows). */
const SOCKET_STATUS: Readonly<Record<EventStatus, string>> = {
  OPEN: 'Open',
  IN_PLAY: 'In Play',
  SUSPENDED: 'Suspended',
  CLOSED: 'Closed',
};

/** Freshness input for event renderers: the event's markets and the TTL of the route. */
export interface EventFreshness {
  ctx: FreshnessContext;
  ttlSec: number;
  markets: readonly Market[];
}

/** A competition as `{ id, slug, name }` (id a number when the upstream's is numeric). */
export function renderCompetition(
  e: Event,
): { id: number | string | null; slug: string; name: string } | null {
  if (!e.competition) return null;
  const slug = e.competition.name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return { id: idNumber(e.competition.id), slug, name: e.competition.name };
}

function staleFlag(e: Event, fresh: EventFreshness | undefined): { stale?: boolean } {
  if (!fresh) return {};
  return { stale: isStale(eventAsOf(e, fresh.markets, fresh.ctx), fresh.ttlSec, fresh.ctx) };
}

/** `competition` of an event: `{ id, slug, name }`, null when the upstream names none. */
export const CompetitionSchema = open({
  id: z.union([z.number(), z.string()]).nullable().describe('A number when the upstream id is numeric.'),
  slug: z.string(),
  name: z.string(),
}).nullable();

/**
 * An event as `renderEventSummary` renders it: REST lists (/events, /events/live, /search) and the
 * WebSocket's `match` pushes, notice lists and snapshots send this one shape. The only difference is
 * `stale`: a REST answer judges freshness against its route's TTL; a push is sent as the change happens,
 * so it carries no `stale` flag.
 */
export const EventSummarySchema = open({
  id: z.number().int().describe('Internal event id.'),
  name: z.string(),
  team_a: z.string().nullable(),
  team_b: z.string().nullable(),
  sport: z.string(),
  status: z.string().describe('LIVE, UPCOMING, SUSPENDED or CLOSED.'),
  in_play: z.boolean(),
  betfair_event_id: z.number().nullable().describe('bfi: the Betfair event id, when known.'),
  competition: CompetitionSchema,
  start_time: z.string().nullable(),
  has_fancy: z.boolean(),
  has_bookmaker: z.boolean(),
  updatedAt: z.number().describe('Epoch ms of the last change.'),
  sources: z.record(z.string(), z.string()).describe('Source → upstream id (cross-source matching).'),
  stale: z
    .boolean()
    .optional()
    .describe('REST answers only: true when the data is older than the route’s TTL. Pushes carry none.'),
});

/** An event as listed by /events, /events/live and /search. */
export function renderEventSummary(e: Event, fresh?: EventFreshness) {
  return {
    id: e.id,
    name: e.name,
    team_a: e.team1,
    team_b: e.team2,
    sport: porqpineSport(e.sportId),
    status: LIST_STATUS[e.status],
    in_play: e.inPlay,
    betfair_event_id: idNumber(bfiOf(e)),
    competition: renderCompetition(e),
    start_time: e.startTime,
    has_fancy: e.hasFancy,
    has_bookmaker: e.hasBookmaker,
    updatedAt: e.updatedAt,
    /** Additive: source → upstream id of every source that carries the event (cross-source matching). */
    sources: { ...e.upstreamIds },
    ...staleFlag(e, fresh),
  };
}

/** The `event` object of /event/:id: metadata with both ids and the `raw` upstream ids. */
export function renderEventDetail(e: Event, fresh?: EventFreshness) {
  const bfi = idNumber(bfiOf(e));
  return {
    id: e.id,
    name: e.name,
    sport: porqpineSport(e.sportId),
    in_play: e.inPlay,
    team_a: e.team1,
    team_b: e.team2,
    betfair_event_id: bfi,
    status: LIST_STATUS[e.status],
    start_time: e.startTime,
    competition: renderCompetition(e),
    country_code: e.countryCode,
    venue: e.venue,
    has_fancy: e.hasFancy,
    has_bookmaker: e.hasBookmaker,
    raw: { betfair_event_id: bfi, upstream_ids: e.upstreamIds, sport_id: e.sportId },
    updatedAt: e.updatedAt,
    sources: { ...e.upstreamIds },
    ...staleFlag(e, fresh),
  };
}

/** The identity block every single-event response starts with: the id as asked, and both schemes. */
export function eventIds(
  e: Event,
  asked: string,
): { event_id: string; internal_id: string; bfi: string | null } {
  return { event_id: asked, internal_id: String(e.id), bfi: bfiOf(e) };
}

/** The event-keyed frame of `byBfi`: the event's state and the ids of its markets. */
export function renderEventFrame(e: Event, markets: readonly Market[]) {
  return {
    bfi: idNumber(bfiOf(e)),
    internal_id: e.id,
    name: e.name,
    sport: porqpineSport(e.sportId),
    status: SOCKET_STATUS[e.status],
    in_play: e.inPlay,
    main_market_id: mainMarket(markets)?.id ?? null,
    market_ids: markets.map((m) => m.id),
    updatedAt: e.updatedAt,
  };
}

/** `{ [bfi]: eventFrame }`, empty when the event has no bfi. */
export function byBfi(
  e: Event,
  markets: readonly Market[],
): Record<string, ReturnType<typeof renderEventFrame>> {
  const bfi = bfiOf(e);
  return bfi === null ? {} : { [bfi]: renderEventFrame(e, markets) };
}

/** A /socket-events row: the event under its bfi with best back/lay for every selection of its markets. */
export function renderSocketEvent(e: Event, markets: readonly Market[], fresh?: EventFreshness) {
  const shown = markets.filter((m) => m.status !== 'CLOSED' && !SIDE_MARKET_TYPES.has(m.type));
  const selections: SocketSelection[] = [];
  for (const m of shown) selections.push(...socketSelections(m));
  const bfi = idNumber(bfiOf(e));
  return {
    id: bfi ?? e.id,
    bfi,
    internal_id: e.id,
    name: e.name,
    sport: porqpineSport(e.sportId),
    status: SOCKET_STATUS[e.status],
    in_play: e.inPlay,
    // Additive: racing appears in no other list, so this is the only place its off time can be read.
    start_time: e.startTime,
    markets: shown.map((m) => ({ market_id: m.id, type: m.type, name: m.name, status: m.status })),
    selections,
    updatedAt: Math.max(e.updatedAt, ...shown.map((m) => m.updatedAt)),
    sources: { ...e.upstreamIds },
    ...staleFlag(e, fresh),
  };
}
