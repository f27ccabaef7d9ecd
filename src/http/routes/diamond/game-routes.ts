import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Event, Market } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import { HttpError } from '../../errors.js';
import { envelope } from './envelope.js';
import type { FullMarket, FullMarketsProvider } from '../../../contracts/diamond/full-markets.js';
import { fullMarketsFromCache } from '../../../contracts/diamond/full-markets.js';
import { toGame } from '../../../contracts/diamond/game.js';
import {
  gameData,
  liveTvData,
  marketsData,
  oddsData,
  scorecardData,
} from '../../../contracts/diamond/game-views.js';
import { sportNames } from './lists.js';
import {
  DetailQuerySchema,
  diamondSchema,
  GameBody,
  GameErrors,
  GameParamsSchema,
  LiveTvBody,
  MarketsBody,
  OddsBody,
  ScorecardBody,
  SportQuerySchema,
  sportOf,
} from './schemas.js';
import type { z } from 'zod';
import { headlineBest } from '../../../books/headline.js';

/** The schema of a route under `/games/:gmid`. */
function gameSchema<B extends z.ZodType>(summary: string, body: B) {
  return {
    schema: diamondSchema({
      summary,
      params: GameParamsSchema,
      querystring: SportQuerySchema,
      response: { 200: body, ...GameErrors },
    }),
  };
}

/** The event behind `:gmid` (internal id or upstream id such as the bfi), or 404 "Game not found". */
export function findGame(model: ReadModel, gmid: string, sportId?: number): Event {
  const event = model.findEvent(gmid);
  if (!event || (sportId !== undefined && event.sportId !== sportId)) {
    throw new HttpError(404, 'Game not found', 'ERR_GAME_NOT_FOUND');
  }
  return event;
}

/** Every market of a game: from the provider when it has them, else built from the read model. */
async function fullMarkets(
  event: Event,
  markets: readonly Market[],
  provider: FullMarketsProvider | undefined,
): Promise<{ markets: FullMarket[]; from: 'scraped' | 'cache' }> {
  const scraped = provider ? await provider.fullMarkets(event) : null;
  return scraped
    ? { markets: scraped, from: 'scraped' }
    : { markets: fullMarketsFromCache(markets), from: 'cache' };
}

/** Routes under `/games/:gmid`: snapshot, data, detail, markets, odds, scorecard, live-tv. */
export function gameRoutes(provider: FullMarketsProvider | undefined) {
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const model = app.readModel;
    const names = sportNames(model);
    /** The event, its markets and its game object for a request. */
    const load = (gmid: string, sportId: number | undefined, raw?: boolean) => {
      const event = findGame(model, gmid, sportId);
      const markets = model.marketsOf(event.id);
      return { event, markets, game: toGame(event, markets, headlineBest, names, raw === true) };
    };

    for (const [path, summary] of [
      ['/games/:gmid', 'One game with its main market runners'],
      ['/games/:gmid/data', 'One game (alias of /games/:gmid)'],
    ] as const) {
      r.get(path, gameSchema(summary, GameBody), async (req) =>
        envelope(gameData(load(req.params.gmid, sportOf(req.query), req.query.raw).game)),
      );
    }

    const detailSchema = diamondSchema({
      summary: 'One game; full=1 scrapes every market on demand (browser sources)',
      params: GameParamsSchema,
      querystring: DetailQuerySchema,
      response: { 200: GameBody, ...GameErrors },
    });
    r.get('/games/:gmid/detail', { schema: detailSchema }, async (req) => {
      const { event, markets, game } = load(req.params.gmid, sportOf(req.query), req.query.raw);
      if (req.query.full !== true) return envelope(gameData(game));
      const full = await fullMarkets(event, markets, provider);
      return envelope({ ...gameData(game), fullMarkets: full.markets, _marketSource: full.from });
    });

    const marketsSummary = 'Every market of a game: match odds, bookmaker, fancy';
    r.get('/games/:gmid/markets', gameSchema(marketsSummary, MarketsBody), async (req) => {
      const { event, markets, game } = load(req.params.gmid, sportOf(req.query));
      const full = await fullMarkets(event, markets, provider);
      return envelope(marketsData(game, full.markets, full.from));
    });

    r.get('/games/:gmid/odds', gameSchema('Odds of a game', OddsBody), async (req) => {
      const { event, markets } = load(req.params.gmid, sportOf(req.query));
      return envelope(oddsData(event, markets));
    });

    r.get('/games/:gmid/scorecard', gameSchema('Scorecard iframe of a game', ScorecardBody), async (req) => {
      const { event, game } = load(req.params.gmid, sportOf(req.query));
      return envelope(scorecardData(event, game));
    });

    r.get('/games/:gmid/live-tv', gameSchema('Live TV availability of a game', LiveTvBody), async (req) => {
      const { event, markets } = load(req.params.gmid, sportOf(req.query));
      return envelope(liveTvData(event, markets));
    });
  };
}
