import { groupBooks, type MarketGroup } from '../books/books.js';
import type { Event, Market } from '../model/index.js';
import { decodeOutcome, marketOfGroup } from './outcomes.js';

/**
 * Outcome ids of the match-winner market (ABP / OddsPapi numbering, as the document uses them: 101 home,
 * 102 draw, 103 away) and the outcome key oddsgate's books give the same runner (src/books/books.ts).
 */
export const MATCH_WINNER_OUTCOMES: Readonly<Record<number, string>> = {
  101: 'home',
  102: 'draw',
  103: 'away',
};

/** The books outcome key of a match-winner outcome id (null: another market; settlement reads this). */
export function outcomeKeyOf(outcomeId: number, playerId: number): string | null {
  if (playerId !== 0) return null;
  return MATCH_WINNER_OUTCOMES[outcomeId] ?? null;
}

/**
 * Where an outcome of the published catalogue (src/execution/outcomes.ts: the result, every totals line,
 * every handicap) trades among an event's books: the market groups that are its catalogue market (the
 * result: the match-winner group only, whose prices are decimal odds) and the runner key there (home,
 * draw, away, over, under). Null for an id the catalogue does not define, or a player market.
 */
export function catalogueGroups(
  event: Event,
  markets: readonly Market[],
  outcomeId: number,
  playerId: number,
): { groups: MarketGroup[]; key: string } | null {
  if (playerId !== 0) return null;
  const outcome = decodeOutcome(outcomeId);
  if (!outcome) return null;
  const id = outcome.market.marketId;
  const groups = groupBooks(event, markets).filter((g) =>
    outcome.market.marketType === 'MATCH_ODDS' ? g.key === 'MATCH_ODDS' : marketOfGroup(g)?.marketId === id,
  );
  return { groups, key: outcome.side };
}
