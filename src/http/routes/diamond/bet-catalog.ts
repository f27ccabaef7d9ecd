import { outcomeKey } from '../../../books/books.js';
import { MATCH_WINNER_OUTCOMES } from '../../../execution/outcome-keys.js';
import type { Event, Market, Result, Runner } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import { HttpError } from '../../errors.js';

/** The execution outcome id of each books outcome key of the match-winner market (home 101, …). */
const OUTCOME_ID_OF_KEY = new Map(
  Object.entries(MATCH_WINNER_OUTCOMES).map(([id, key]) => [key, Number(id)]),
);

/** What a Diamond bet names, resolved: the fixture, the execution outcome, the runner and its market. */
export interface ResolvedSelection {
  fixtureId: string;
  outcomeId: number;
  marketId: string;
  selectionId: number;
  runnerName: string;
}

/** A game as settlement sees it: who played, and its match-winner market (for runner names). */
export interface SettleableGame {
  fixtureId: string;
  sportId: number;
  eventName: string;
  team1: string | null;
  team2: string | null;
  market: Market;
}

function matchMarkets(model: ReadModel, event: Event): Market[] {
  return model.marketsOf(event.id).filter((m) => m.type === 'MATCH_ODDS');
}

/** The game a `gmid` names (internal id, or an upstream id as the other Diamond routes accept). */
export function gameOf(model: ReadModel, gmid: string): Event | undefined {
  return model.findEvent(gmid);
}

/**
 * The execution selection of a runner of a game's match odds (the only market execution routes today):
 * the market is `marketId` when given, else the match-odds market that has the runner.
 */
export function resolveSelection(
  model: ReadModel,
  gmid: string,
  selectionId: number,
  marketId: string | undefined,
): ResolvedSelection {
  const event = gameOf(model, gmid);
  if (!event) throw new HttpError(404, 'Game not found', 'ERR_GAME_NOT_FOUND');
  const markets = matchMarkets(model, event).filter((m) => marketId === undefined || m.id === marketId);
  if (markets.length === 0)
    throw new HttpError(
      422,
      marketId === undefined
        ? `Game ${gmid} has no match odds market: only match odds can be bet`
        : `Market ${marketId} is not a match odds market of game ${gmid}`,
      'ERR_MARKET_NOT_BETTABLE',
    );
  for (const market of markets) {
    const runner = market.runners.find((r) => r.selectionId === selectionId);
    if (!runner) continue;
    const outcomeId = OUTCOME_ID_OF_KEY.get(outcomeKey(runner, event, market));
    if (outcomeId === undefined)
      throw new HttpError(
        422,
        `Selection ${selectionId} (${runner.name}) cannot be matched to the home, draw or away outcome`,
        'ERR_SELECTION_NOT_BETTABLE',
      );
    return {
      fixtureId: String(event.id),
      outcomeId,
      marketId: market.id,
      selectionId,
      runnerName: runner.name,
    };
  }
  throw new HttpError(
    422,
    `Selection ${selectionId} is not a runner of game ${gmid}'s match odds`,
    'ERR_UNKNOWN_SELECTION',
  );
}

/** A game for settlement: from the read model while it is there, else from its recorded result. */
export function settleableGame(
  model: ReadModel,
  gmid: string,
  recorded: Result | null,
): SettleableGame | null {
  const event = gameOf(model, gmid);
  const market = event ? matchMarkets(model, event)[0] : undefined;
  if (event && market)
    return {
      fixtureId: String(event.id),
      sportId: event.sportId,
      eventName: event.name,
      team1: event.team1,
      team2: event.team2,
      market,
    };
  if (!recorded) return null;
  return {
    fixtureId: String(recorded.eventId),
    sportId: recorded.sportId,
    eventName: recorded.eventName,
    team1: recorded.team1,
    team2: recorded.team2,
    market: recorded.finalMarket,
  };
}

/**
 * The result an operator gives for a game: its winners by selection id of the match odds market (several
 * for a dead heat), or none to void every bet. Shaped as a settled result so it settles exactly as the
 * recorded ones do (src/execution/settlement.ts).
 */
export function givenResult(game: SettleableGame, winners: readonly number[]): Result {
  const runners: Runner[] = [];
  for (const id of winners) {
    const r = game.market.runners.find((x) => x.selectionId === id);
    if (!r)
      throw new HttpError(
        422,
        `Selection ${id} is not a runner of game ${game.fixtureId}'s match odds`,
        'ERR_UNKNOWN_SELECTION',
      );
    runners.push(r);
  }
  return {
    eventId: Number(game.fixtureId),
    upstreamIds: {},
    sportId: game.sportId,
    eventName: game.eventName,
    team1: game.team1,
    team2: game.team2,
    marketId: game.market.id,
    winners: runners.map((r) => ({ selectionId: r.selectionId, name: r.name })),
    winner: runners.map((r) => r.name).join(', ') || null,
    winnerSource: 'settled',
    finalMarket: game.market,
    finalScore: null,
    completedAt: new Date().toISOString(),
  };
}
