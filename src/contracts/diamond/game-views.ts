import type { Event, Market } from '../../model/index.js';
import type { FullMarket } from './full-markets.js';
import type { DiamondGame } from './game.js';
import { gameSource, headlineMarket, iframeHtml, isLive, runnerStatus } from './game.js';

/** `/games/:gmid`, `/data`, `/detail` data: the game and its source. */
export function gameData(game: DiamondGame) {
  return { game, _source: game._source };
}

/** `/games/:gmid/markets` data (seed 000 §3.7) from a full-market view. */
export function marketsData(game: DiamondGame, markets: FullMarket[], from: 'scraped' | 'cache') {
  return {
    gmid: game.gmid,
    title: game.title,
    teams: { team1: game.team1, team2: game.team2 },
    status: game.status,
    isFancy: game.isFancy,
    isBookMaker: game.isBookMaker,
    markets,
    _source: game._source,
    _marketSource: from,
  };
}

/** `/games/:gmid/scorecard` data (seed 000 §3.8); additive `score_url` and `available`. */
export function scorecardData(event: Event, game: DiamondGame) {
  const iframe = iframeHtml(event.scoreUrl);
  return {
    event_id: game.gmid,
    score_iframe: iframe,
    title: game.title,
    teams: { team1: game.team1, team2: game.team2 },
    status: game.status,
    _source: game._source,
    score_url: event.scoreUrl,
    available: iframe !== '',
  };
}

/** `/games/:gmid/live-tv` data (seed 000 §3.8): the stream link as iframe HTML, "" when there is none. */
export function liveTvData(event: Event, markets: readonly Market[]) {
  const stream = iframeHtml(event.streamUrl, 360);
  return {
    event_id: String(event.id),
    source: gameSource(event, headlineMarket(markets)),
    tv_available: stream !== '',
    stream_url: stream,
    note: stream ? 'Direct stream URL from upstream' : 'No live stream for this game',
  };
}

/** `/games/:gmid/odds` data: every market of the game with numeric ladders, best first. */
export function oddsData(event: Event, markets: readonly Market[]) {
  return {
    gmid: String(event.id),
    title: event.name,
    status: event.status,
    isLive: isLive(event),
    markets: markets.map((m) => ({
      marketId: m.id,
      marketName: m.name,
      marketType: m.type,
      status: m.status,
      inPlay: m.inPlay,
      minStake: m.minStake,
      maxStake: m.maxStake,
      totalMatched: m.totalMatched,
      version: m.version,
      updatedAt: new Date(m.updatedAt).toISOString(),
      runners: m.runners.map((r) => ({
        selectionId: r.selectionId,
        handicap: r.handicap,
        name: r.name,
        status: runnerStatus(r.status, m.status),
        back: r.back,
        lay: r.lay,
        ltp: r.ltp,
        tv: r.tv,
      })),
      _source: m.source,
    })),
    _source: gameSource(event, headlineMarket(markets)),
  };
}
