import type { Event } from '../../../model/index.js';
import { sportName } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import { envelopeJson } from './envelope.js';
import type { DiamondGame, SportNames } from '../../../contracts/diamond/game.js';
import { compareEvents, FALLBACK_SOURCE, toGame } from '../../../contracts/diamond/game.js';
import { headlineBest } from '../../../books/headline.js';

/** A sport in `/sports` (seed 000 §4 Sport); `_sources` is additive (every source with events in it). */
export interface DiamondSport {
  id: string;
  name: string;
  eventCount: number;
  _source: string;
  _sources: string[];
}

/** Sport display names from the read model, else the canonical table. */
export function sportNames(model: ReadModel): SportNames {
  return (id) => model.sports.get(id)?.name ?? sportName(id);
}

/** Events shown in lists: not CLOSED, optionally of one sport, in list order (live first, then start time). */
export function listedEvents(model: ReadModel, sportId?: number): Event[] {
  return model
    .eventList(sportId)
    .filter((e) => e.status !== 'CLOSED')
    .sort(compareEvents);
}

/** Game objects of the listed events (with `_rawMarkets` when `raw`). */
export function listedGames(model: ReadModel, sportId?: number, raw = false): DiamondGame[] {
  const names = sportNames(model);
  return listedEvents(model, sportId).map((e) => toGame(e, model.marketsOf(e.id), headlineBest, names, raw));
}

/** `/games` body: `{ count, games }` in the envelope, serialized. */
export function buildGamesBody(model: ReadModel, sportId: number | undefined, raw = false): string {
  const games = listedGames(model, sportId, raw);
  return envelopeJson({ count: games.length, games });
}

/**
 * `/highlights` body: `t1` (always empty: no featured slot upstream), `inplay` (live games), `upcoming`
 * (the others), `_sources` (every configured source and every source of a listed game → whether it
 * contributed a game to this slice).
 */
export function buildHighlightsBody(
  model: ReadModel,
  sportId: number | undefined,
  configured: readonly string[],
  raw = false,
): string {
  const games = listedGames(model, sportId, raw);
  const sources: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
  for (const name of configured) sources[name] = false;
  for (const g of games) sources[g._source] = true;
  return envelopeJson({
    t1: [],
    inplay: games.filter((g) => g.isLive),
    upcoming: games.filter((g) => !g.isLive),
    _sources: sources,
  });
}

function sourcesOf(model: ReadModel, e: Event): string[] {
  const fromMarkets = new Set(model.marketsOf(e.id).map((m) => m.source));
  return fromMarkets.size > 0 ? [...fromMarkets] : Object.keys(e.upstreamIds);
}

/**
 * `/sports` data: every sport with at least one listed event, `id` as a string (seed 000 §3.1),
 * `_source` the source with most events in the sport. Ordered by event count, then id.
 */
export function diamondSports(model: ReadModel): DiamondSport[] {
  const perSport = new Map<number, { count: number; sources: Map<string, number> }>();
  for (const e of listedEvents(model)) {
    let s = perSport.get(e.sportId);
    if (!s) perSport.set(e.sportId, (s = { count: 0, sources: new Map() }));
    s.count++;
    for (const src of sourcesOf(model, e)) s.sources.set(src, (s.sources.get(src) ?? 0) + 1);
  }
  const names = sportNames(model);
  return [...perSport]
    .sort(([ia, a], [ib, b]) => b.count - a.count || ia - ib)
    .map(([id, s]) => {
      const ranked = [...s.sources].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
      return {
        id: String(id),
        name: names(id),
        eventCount: s.count,
        _source: ranked[0] ?? FALLBACK_SOURCE,
        _sources: ranked,
      };
    });
}

/** `/sports` body: `{ count, sports }` in the envelope, serialized. */
export function buildSportsBody(model: ReadModel): string {
  const sports = diamondSports(model);
  return envelopeJson({ count: sports.length, sports });
}
