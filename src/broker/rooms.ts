import type { Change, Event } from '../model/index.js';
import { isPushType, PUSHES, ROOMS, type PushType, type RoomKind } from '../contracts/ws/registry.js';

/**
 * Rooms and which rooms a stored change is published to, derived from the message registry
 * (src/contracts/ws/registry.ts: each push type's rooms). Pure functions: the sequencer (on the single
 * ingest writer) calls `roomsFor` before commit and stores the result with the change, so every instance
 * publishes the change to the same rooms with the same seqs.
 *
 * Room names (ROOMS): `all`, `odds`, `matches`, `arbs`, `sport:<sportId>`, `event:<internalId>`, `market:<marketId>`.
 */

/** A parsed room name. Event rooms are canonical (internal id) only after resolving; see Broker. */
export type ParsedRoom = { kind: FixedRoomKind } | { kind: Exclude<RoomKind, FixedRoomKind>; id: string };

/** Room kinds with a fixed name (`all`, `odds`, ...), as opposed to `<kind>:<id>` rooms. */
export type FixedRoomKind = {
  [K in RoomKind]: (typeof ROOMS)[K]['param'] extends null ? K : never;
}[RoomKind];

function isFixed(kind: RoomKind): kind is FixedRoomKind {
  return ROOMS[kind].param === null;
}

/** Parses a room name as a client sends it (any room kind of the registry); null when it is not a room. */
export function parseRoom(room: unknown): ParsedRoom | null {
  if (typeof room !== 'string') return null;
  const colon = room.indexOf(':');
  const kind = colon < 0 ? room : room.slice(0, colon);
  if (!Object.hasOwn(ROOMS, kind)) return null;
  const k = kind as RoomKind;
  if (isFixed(k)) return colon < 0 ? { kind: k } : null;
  if (colon < 0) return null;
  const id = room.slice(colon + 1);
  return ROOMS[k].param?.pattern.test(id) ? { kind: k, id } : null;
}

/** The room kind of a canonical room name (`event:1000001` → `event`); null when not a room kind. */
export function roomKindOf(room: string): RoomKind | null {
  const colon = room.indexOf(':');
  const kind = colon < 0 ? room : room.slice(0, colon);
  return Object.hasOwn(ROOMS, kind) ? (kind as RoomKind) : null;
}

/** How a market is published: fancy and bookmaker markets have their own push types. */
export type MarketKind = 'odds' | 'fancy' | 'bookmaker';

/** The publishing kind of a market type. */
export function marketKind(type: string): MarketKind {
  const t = type.toUpperCase();
  if (t.includes('FANCY')) return 'fancy';
  if (t.includes('BOOKMAKER')) return 'bookmaker';
  return 'odds';
}

/** True when an event change alters what a match list shows (new event, name, status, time, teams...). */
export function isListRelevant(next: Event, prev: Event | undefined): boolean {
  if (!prev) return true;
  return (
    prev.name !== next.name ||
    prev.status !== next.status ||
    prev.inPlay !== next.inPlay ||
    prev.startTime !== next.startTime ||
    prev.sportId !== next.sportId ||
    prev.team1 !== next.team1 ||
    prev.team2 !== next.team2 ||
    prev.competition?.name !== next.competition?.name ||
    prev.hasFancy !== next.hasFancy ||
    prev.hasBookmaker !== next.hasBookmaker
  );
}

/** What `roomsFor` needs to know beyond the change itself (kept by the sequencer). */
export interface RoomContext {
  /** The event of the change (for market and score changes: the market's/score's event), when known. */
  event: Event | undefined;
  /** For event changes: the event as it was before, when known. */
  prev?: Event | undefined;
  /** For marketRemoved changes: the removed market's type, when known. */
  marketType?: string | undefined;
  /** True once the event was announced as removed from the match list (result or close). */
  removed?: boolean;
}

/**
 * The push types a change can make (its producer), in publishing order. Which rooms each goes to is the
 * registry's (PUSHES[type].rooms); notices are published under their name when the registry declares it.
 */
export function pushTypesOf(change: Change): readonly PushType[] {
  switch (change.type) {
    case 'market': {
      const kind = marketKind(change.market.type);
      if (kind === 'fancy') return ['fancy_update'];
      if (kind === 'bookmaker') return ['bookmaker_add'];
      return ['market_odds', 'match_odds'];
    }
    case 'marketRemoved':
      return ['bookmaker_remove'];
    case 'event':
      return [change.event.status === 'CLOSED' ? 'remove_match_from_list' : 'event_update'];
    case 'result':
      return ['remove_match_from_list'];
    case 'score':
      return ['event_scores'];
    case 'notice':
      return isPushType(change.name) ? [change.name] : [];
    case 'sport':
    case 'eventRemoved':
      return [];
  }
}

/** The ids a change's parameterised rooms are named with. */
function roomIds(change: Change, ctx: RoomContext): Partial<Record<RoomKind, string | number>> {
  const sport = ctx.event?.sportId;
  switch (change.type) {
    case 'market':
      return { sport, event: change.market.eventId, market: change.market.id };
    case 'marketRemoved':
      return { sport, event: change.eventId, market: change.marketId };
    case 'event':
      return { sport: change.event.sportId, event: change.event.id };
    case 'result':
      return { event: change.result.eventId };
    case 'score':
      return { sport, event: change.eventId };
    default:
      return {};
  }
}

/** Rooms of a push type the change does not reach this time (the registry's `when`), or null: none published. */
function skipped(change: Change, ctx: RoomContext): ReadonlySet<RoomKind> | null {
  switch (change.type) {
    case 'marketRemoved':
      return ctx.marketType !== undefined && marketKind(ctx.marketType) === 'bookmaker' ? NONE : null;
    case 'event':
      if (change.event.status === 'CLOSED') return ctx.removed || ctx.prev?.status === 'CLOSED' ? null : NONE;
      return isListRelevant(change.event, ctx.prev) ? NONE : NOT_MATCHES;
    case 'result':
      return ctx.removed ? null : NONE;
    default:
      return NONE;
  }
}

const NONE: ReadonlySet<RoomKind> = new Set();
const NOT_MATCHES: ReadonlySet<RoomKind> = new Set(['matches']);

/**
 * The rooms a change is published to, in a fixed order:
 * - market → all, sport:, event:, market:, and odds (fancy/bookmaker markets are not in `odds`);
 * - marketRemoved of a bookmaker market → all, sport:, event:, market: (others are not published);
 * - event → all, sport:, event:, plus matches when list-relevant; an event that becomes CLOSED →
 *   all, matches, event: (remove_match_from_list), unless already removed;
 * - result → all, matches, event: (remove_match_from_list), unless already removed;
 * - score → all, event:; notice `matches_updated` → all, matches; notices `arb_*` (src/books) → all,
 *   arbs; other notices → all;
 * - sport, eventRemoved → none.
 */
export function roomsFor(change: Change, ctx: RoomContext): string[] {
  const skip = skipped(change, ctx);
  if (skip === null) return [];
  const ids = roomIds(change, ctx);
  const out: string[] = [];
  for (const type of pushTypesOf(change)) {
    for (const kind of PUSHES[type].rooms as readonly RoomKind[]) {
      if (skip.has(kind)) continue;
      if (ROOMS[kind].param === null) out.push(kind);
      else if (ids[kind] !== undefined) out.push(`${kind}:${ids[kind]}`);
    }
  }
  return out;
}
