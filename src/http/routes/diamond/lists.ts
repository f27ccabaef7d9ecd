import type { Event } from '../../../model/index.js';
import { sportName } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import { envelopeJson, envelopeJsonOf } from './envelope.js';
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

/** A game serialized once, with what the lists need to know of it without parsing it again. */
interface GameJson {
  version: number;
  sport: string;
  json: string;
  live: boolean;
  source: string;
}

/**
 * Serialized games by event, each rebuilt only when its event's data version (the event and its markets)
 * or its sport's name moved. The simulator changes a few events a tick, and every change of a sport
 * rebuilds its lists: with the games kept as JSON, a rebuild serializes only the changed games and joins
 * the others as they are (it re-rendered and re-serialized every game, ~6% of the games route's CPU, on
 * the request path). Bounded: past four times the events the read model holds, it starts over.
 */
class GameJsonCache {
  private readonly byEvent = new Map<number, GameJson>();

  constructor(private readonly model: ReadModel) {}

  get(e: Event, names: SportNames, raw: boolean): GameJson {
    const key = raw ? -e.id - 1 : e.id;
    const version = this.model.eventVersion(e.id);
    const sport = names(e.sportId);
    const hit = this.byEvent.get(key);
    if (hit && hit.version === version && hit.sport === sport) return hit;
    if (this.byEvent.size >= 4 * this.model.events.size + 100) this.byEvent.clear();
    const game = toGame(e, this.model.marketsOf(e.id), headlineBest, names, raw);
    const entry = { version, sport, json: JSON.stringify(game), live: game.isLive, source: game._source };
    this.byEvent.set(key, entry);
    return entry;
  }
}

const gameCaches = new WeakMap<ReadModel, GameJsonCache>();

/** The listed events' games as JSON (from the read model's game cache). */
function listedGameJson(model: ReadModel, sportId: number | undefined, raw: boolean): GameJson[] {
  let cache = gameCaches.get(model);
  if (!cache) gameCaches.set(model, (cache = new GameJsonCache(model)));
  const names = sportNames(model);
  return listedEvents(model, sportId).map((e) => (cache as GameJsonCache).get(e, names, raw));
}

const joined = (games: readonly GameJson[]) => `[${games.map((g) => g.json).join(',')}]`;

/** `/games` body: `{ count, games }` in the envelope, serialized (as JSON.stringify would, game by game). */
export function buildGamesBody(
  model: ReadModel,
  sportId: number | undefined,
  raw = false,
  at: Date = new Date(),
): string {
  const games = listedGameJson(model, sportId, raw);
  return envelopeJsonOf(`{"count":${games.length},"games":${joined(games)}}`, at);
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
  at: Date = new Date(),
): string {
  const games = listedGameJson(model, sportId, raw);
  const sources: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
  for (const name of configured) sources[name] = false;
  for (const g of games) sources[g.source] = true;
  const inplay = joined(games.filter((g) => g.live));
  const upcoming = joined(games.filter((g) => !g.live));
  return envelopeJsonOf(
    `{"t1":[],"inplay":${inplay},"upcoming":${upcoming},"_sources":${JSON.stringify(sources)}}`,
    at,
  );
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
