import type { Result } from '../../model/index.js';
import { BETFAIR_ID_SOURCES } from './ids.js';
import { renderMarket, type PorqpineMarket } from './markets.js';
import { porqpineSport } from './sports.js';

/** A completed event as /results and /result/:id render it. */
export interface PorqpineResult {
  internal_id: string;
  bfi: string | null;
  name: string;
  sport: string;
  team_a: string | null;
  team_b: string | null;
  completed_at: string;
  winner: string | null;
  final_match_odds: Record<string, PorqpineMarket>;
  final_scores: unknown;
  /** How the winner was known: `settled` upstream, `inferred` from the final prices, or `unknown`. */
  winner_source: Result['winnerSource'];
  winners: { selection_id: number; name: string }[];
  market_id: string;
}

function resultBfi(r: Result): string | null {
  for (const s of BETFAIR_ID_SOURCES) {
    const id = r.upstreamIds[s];
    if (id !== undefined) return id;
  }
  return null;
}

/** Renders a stored Result in the Porqpine shape (plus additive `winner_source`, `winners`, `market_id`). */
export function renderResult(r: Result): PorqpineResult {
  return {
    internal_id: String(r.eventId),
    bfi: resultBfi(r),
    name: r.eventName,
    sport: porqpineSport(r.sportId),
    team_a: r.team1,
    team_b: r.team2,
    completed_at: r.completedAt,
    winner: r.winner,
    final_match_odds: { [r.finalMarket.id]: renderMarket(r.finalMarket) },
    final_scores: r.finalScore ?? null,
    winner_source: r.winnerSource,
    winners: r.winners.map((w) => ({ selection_id: w.selectionId, name: w.name })),
    market_id: r.marketId,
  };
}
