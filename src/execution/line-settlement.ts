import type { Result } from '../model/index.js';
import { round2 } from './rows.js';
import { decodeOutcome, type CatalogueOutcome } from './outcomes.js';
import type { SettlementStatus } from './types.js';

/** A settled line bet: status, net result (profit positive) and why. */
export interface LineSettlement {
  status: SettlementStatus;
  amount: number;
  reason: string;
}

/** The final score as the results archive keeps it (`{home, away}` from a score feed), or null. */
export function scoreOf(r: Pick<Result, 'finalScore'>): { home: number; away: number } | null {
  const s = r.finalScore as { home?: unknown; away?: unknown } | null;
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
  return s && typeof s === 'object' && ok(s.home) && ok(s.away) ? { home: s.home, away: s.away } : null;
}

/** How far the selection is past its line at `line` (> 0 wins, 0 pushes, < 0 loses). */
function margin(o: CatalogueOutcome, line: number, score: { home: number; away: number }): number {
  const total = score.home + score.away;
  if (o.side === 'over') return total - line;
  if (o.side === 'under') return line - total;
  // handicap: `line` is the home side's; the away side has its opposite
  return o.side === 'home' ? score.home + line - score.away : score.away - line - score.home;
}

/** The halves of a line: a quarter line (x.25, x.75) is two half-stakes on the lines either side. */
function halves(line: number): number[] {
  const q = Math.abs(line * 4) % 2 === 1;
  return q ? [line - 0.25, line + 0.25] : [line];
}

const BACK_STATUS: Record<string, SettlementStatus> = {
  '1': 'WON',
  '0.5': 'HALF_WON',
  '0': 'PUSH',
  '-0.5': 'HALF_LOST',
  '-1': 'LOST',
};
const LAID: Partial<Record<SettlementStatus, SettlementStatus>> = {
  WON: 'LOST',
  HALF_WON: 'HALF_LOST',
  HALF_LOST: 'HALF_WON',
  LOST: 'WON',
};

/**
 * Settles a totals or handicap bet of the catalogue on the final score: each half of a quarter line wins,
 * pushes (stake back) or loses on its own, so a bet can be WON, HALF_WON, PUSH, HALF_LOST or LOST. Backing
 * wins stake × (price − 1) per winning part and loses the stake of a losing one; laying is the opposite.
 * Null when the outcome is not a line market or the score is not known.
 */
export function settleLine(
  bet: {
    outcomeId: number;
    playerId: number;
    back: boolean;
    placedStake: number;
    placedPrice: number | null;
  },
  r: Pick<Result, 'finalScore'>,
): LineSettlement | null {
  const o = bet.playerId === 0 ? decodeOutcome(bet.outcomeId) : null;
  const score = scoreOf(r);
  if (!o || o.market.line === null || !score) return null;
  const parts = halves(o.market.line);
  const share = bet.placedStake / parts.length;
  const price = bet.placedPrice ?? 1;
  let amount = 0;
  let outcome = 0; // +1 per winning part, −1 per losing one, over the number of parts
  for (const line of parts) {
    const m = margin(o, line, score);
    if (m > 0) amount += share * (price - 1);
    else if (m < 0) amount -= share;
    outcome += Math.sign(m) / parts.length;
  }
  const backStatus = BACK_STATUS[String(outcome)] ?? 'PUSH';
  const status = bet.back ? backStatus : (LAID[backStatus] ?? backStatus);
  return {
    status,
    amount: round2(bet.back ? amount : -amount),
    reason: `Final score ${score.home}-${score.away}: ${o.outcomeName} ${o.market.marketName}`,
  };
}
