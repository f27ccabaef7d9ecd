/**
 * Outcome ids of the match-winner market (ABP / OddsPapi numbering, as the document uses them: 101 home,
 * 102 draw, 103 away) and the outcome key oddsgate's books give the same runner (src/books/books.ts).
 */
export const MATCH_WINNER_OUTCOMES: Readonly<Record<number, string>> = {
  101: 'home',
  102: 'draw',
  103: 'away',
};

/** The books outcome key of an ABP outcome id (null: not a market execution can route yet). */
export function outcomeKeyOf(outcomeId: number, playerId: number): string | null {
  if (playerId !== 0) return null;
  return MATCH_WINNER_OUTCOMES[outcomeId] ?? null;
}
