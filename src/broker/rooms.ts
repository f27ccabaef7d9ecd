import type { Change, Event } from '../model/index.js';

/**
 * Rooms and which rooms a stored change is published to. Pure functions: the sequencer (on the single
 * ingest writer) calls `roomsFor` before commit and stores the result with the change, so every instance
 * publishes the change to the same rooms with the same seqs.
 *
 * Room names: `all`, `odds`, `matches`, `arbs`, `sport:<sportId>`, `event:<internalId>`, `market:<marketId>`.
 */

/** A parsed room name. Event rooms are canonical (internal id) only after resolving; see Broker. */
export type ParsedRoom =
  | { kind: 'all' | 'odds' | 'matches' | 'arbs' }
  | { kind: 'event'; id: string }
  | { kind: 'market'; id: string }
  | { kind: 'sport'; id: string };

const ID_RE = /^[A-Za-z0-9._:-]{1,64}$/;
const SPORT_RE = /^[A-Za-z0-9 ._-]{1,40}$/;

/** Parses a room name as a client sends it; null when it is not a room. */
export function parseRoom(room: unknown): ParsedRoom | null {
  if (typeof room !== 'string') return null;
  if (room === 'all' || room === 'odds' || room === 'matches' || room === 'arbs') return { kind: room };
  const colon = room.indexOf(':');
  if (colon < 0) return null;
  const kind = room.slice(0, colon);
  const id = room.slice(colon + 1);
  if (kind === 'event' || kind === 'market') return ID_RE.test(id) ? { kind, id } : null;
  if (kind === 'sport') return SPORT_RE.test(id) ? { kind, id } : null;
  return null;
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

function eventRooms(eventId: number, sportId: number | undefined): string[] {
  const out = ['all'];
  if (sportId !== undefined) out.push(`sport:${sportId}`);
  out.push(`event:${eventId}`);
  return out;
}

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
  switch (change.type) {
    case 'market': {
      const m = change.market;
      const out = [...eventRooms(m.eventId, ctx.event?.sportId), `market:${m.id}`];
      if (marketKind(m.type) === 'odds') out.push('odds');
      return out;
    }
    case 'marketRemoved':
      if (ctx.marketType === undefined || marketKind(ctx.marketType) !== 'bookmaker') return [];
      return [...eventRooms(change.eventId, ctx.event?.sportId), `market:${change.marketId}`];
    case 'event': {
      const e = change.event;
      if (e.status === 'CLOSED') {
        if (ctx.removed || ctx.prev?.status === 'CLOSED') return [];
        return ['all', 'matches', `event:${e.id}`];
      }
      const out = eventRooms(e.id, e.sportId);
      if (isListRelevant(e, ctx.prev)) out.push('matches');
      return out;
    }
    case 'result':
      return ctx.removed ? [] : ['all', 'matches', `event:${change.result.eventId}`];
    case 'score':
      return ['all', `event:${change.eventId}`];
    case 'notice':
      if (change.name.startsWith('arb_')) return ['all', 'arbs'];
      return change.name === 'matches_updated' ? ['all', 'matches'] : ['all'];
    case 'sport':
    case 'eventRemoved':
      return [];
  }
}
