import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ReadModel } from '../../../read-model/read-model.js';
import { matchesEtag } from '../../porqpine/http.js';
import { PreparedBody } from '../../porqpine/response-cache.js';
import { envelope, sendJson } from './envelope.js';
import { toGame } from '../../../contracts/diamond/game.js';
import { buildGamesBody, buildHighlightsBody, buildSportsBody, sportNames } from './lists.js';
import {
  DEFAULT_SEARCH_LIMIT,
  diamondSchema,
  GameErrors,
  GamesBody,
  HighlightsBody,
  SearchBody,
  SearchQuerySchema,
  SportQuerySchema,
  sportOf,
  SportsBody,
  StatusBody,
} from './schemas.js';
import { GameSearch } from './search.js';
import { diamondStatus } from './status.js';
import { headlineBest } from '../../../books/headline.js';

/**
 * A pre-serialized body for a sport slice (or all sports), rebuilt only when that slice's read-model version
 * moved, and kept as its UTF-8 bytes (every response writes them as they are). Its envelope `timestamp` is
 * the time it was built. Sports the read model does not know are answered uncached, so arbitrary ids
 * cannot churn the cache.
 */
export function sliceBody(
  model: ReadModel,
  name: string,
  sportId: number | undefined,
  build: () => string,
): PreparedBody {
  if (sportId !== undefined && !model.sports.has(sportId)) return new PreparedBody(build());
  return model.derived(
    `diamond:${name}:${sportId ?? 'all'}`,
    model.sportVersion(sportId),
    () => new PreparedBody(build()),
  );
}

/**
 * Sends a prepared list body with its `ETag` (hashed once per body); a request whose If-None-Match names
 * it gets 304 with no body, so a polling front end downloads a list only when it changed.
 */
function sendPrepared(req: FastifyRequest, reply: FastifyReply, prepared: PreparedBody): void {
  reply.header('etag', prepared.etag);
  if (matchesEtag(req, prepared.etag)) reply.code(304).send();
  else sendJson(reply, prepared.body);
}

const bad = { 400: GameErrors[400] };

/** `/sports`, `/games`, `/highlights` (pre-serialized), `/search` and `/status`. */
export async function listRoutes(app: FastifyInstance): Promise<void> {
  cachedListRoutes(app);
  searchAndStatusRoutes(app);
}

/** `/sports`, `/games`, `/highlights`: pre-serialized per sport slice, with ETags. */
function cachedListRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const model = app.readModel;
  // The cached lists answer synchronously (no promise per request); they return nothing, as a sync
  // handler that returned the reply would have Fastify wait on it as a thenable.
  const sportsSchema = diamondSchema({ summary: 'Sports with game counts', response: { 200: SportsBody } });
  r.get('/sports', { schema: sportsSchema }, (req, reply) => {
    sendPrepared(
      req,
      reply,
      sliceBody(model, 'sports', undefined, () => buildSportsBody(model)),
    );
  });

  const gamesSchema = diamondSchema({
    summary: 'Games, optionally of one sport (sport_id / etid)',
    querystring: SportQuerySchema,
    response: { 200: GamesBody, ...bad },
  });
  r.get('/games', { schema: gamesSchema }, (req, reply) => {
    const sportId = sportOf(req.query);
    const raw = req.query.raw === true;
    sendPrepared(
      req,
      reply,
      sliceBody(model, raw ? 'games-raw' : 'games', sportId, () => buildGamesBody(model, sportId, raw)),
    );
  });

  const configured = () => app.sources.sources.map((s) => s.name);
  const highlightsSchema = diamondSchema({
    summary: 'In-play and upcoming games with their main market',
    querystring: SportQuerySchema,
    response: { 200: HighlightsBody, ...bad },
  });
  r.get('/highlights', { schema: highlightsSchema }, (req, reply) => {
    const sportId = sportOf(req.query);
    const raw = req.query.raw === true;
    sendPrepared(
      req,
      reply,
      sliceBody(model, raw ? 'highlights-raw' : 'highlights', sportId, () =>
        buildHighlightsBody(model, sportId, configured(), raw),
      ),
    );
  });
}

/** `/search` (games by name) and `/status` (sources and catalogue totals). */
function searchAndStatusRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const model = app.readModel;
  const search = new GameSearch(model);
  const searchSchema = diamondSchema({
    summary: 'Search games by name',
    querystring: SearchQuerySchema,
    response: { 200: SearchBody, ...bad },
  });
  r.get('/search', { schema: searchSchema }, async (req) => {
    const { q, limit = DEFAULT_SEARCH_LIMIT } = req.query;
    const found = search.search(q, limit, req.query.sport_id ?? req.query.etid);
    const names = sportNames(model);
    const games = found.events.map((e) =>
      toGame(e, model.marketsOf(e.id), headlineBest, names, req.query.raw === true),
    );
    return envelope({ query: q, count: games.length, total: found.total, games });
  });

  const statusSchema = diamondSchema({
    summary: 'Sources and catalogue totals',
    response: { 200: StatusBody },
  });
  r.get('/status', { schema: statusSchema }, async () =>
    envelope(diamondStatus(model, await app.sourceBoard.statuses())),
  );
}
