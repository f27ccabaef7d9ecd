import type { RunnerStatus } from '../../model/index.js';

/** A matched bet of the backtest: a quote's fill or a hedge (backer's stake at decimal odds). */
export interface MatchedBet {
  selectionId: number;
  back: boolean;
  price: number;
  stake: number;
}

/** A runner's position: what it pays if the runner wins and if it loses. */
export interface Position {
  ifWins: number;
  ifLoses: number;
}

/** The position of one bet. */
export function positionOf(b: MatchedBet): Position {
  const win = b.stake * (b.price - 1);
  return b.back ? { ifWins: win, ifLoses: -b.stake } : { ifWins: -win, ifLoses: b.stake };
}

/** The worst-case loss of a position (≥ 0). */
export function lossOf(p: Position): number {
  return Math.max(0, -Math.min(p.ifWins, p.ifLoses));
}

/** How a runner settled: its result, void (removed: stakes returned), or not known (market unsettled). */
export type Settlement = 'win' | 'lose' | 'void' | 'open';

/** The settlement a recorded runner status means. PLACED pays as a win (place markets). */
export function settlementOf(status: RunnerStatus | undefined): Settlement {
  if (status === 'WINNER' || status === 'PLACED') return 'win';
  if (status === 'LOSER') return 'lose';
  if (status === 'REMOVED') return 'void';
  return 'open';
}

/** Every runner's position in one market, in the order bets were matched. */
export class MarketLedger {
  private readonly positions = new Map<number, Position>();
  readonly bets: MatchedBet[] = [];

  add(b: MatchedBet): void {
    const p = this.position(b.selectionId);
    const d = positionOf(b);
    this.positions.set(b.selectionId, { ifWins: p.ifWins + d.ifWins, ifLoses: p.ifLoses + d.ifLoses });
    this.bets.push(b);
  }

  position(selectionId: number): Position {
    return this.positions.get(selectionId) ?? { ifWins: 0, ifLoses: 0 };
  }

  /**
   * The market's worst-case loss over which runner wins (one winner among `selectionIds`; a market with
   * several winners is not backtested).
   */
  exposure(selectionIds: readonly number[]): number {
    const losing = selectionIds.reduce((s, id) => s + this.position(id).ifLoses, 0);
    let worst = 0;
    for (const id of selectionIds) {
      const p = this.position(id);
      worst = Math.min(worst, losing - p.ifLoses + p.ifWins);
    }
    return Math.max(0, -worst);
  }

  /**
   * The market's profit by the recorded runner statuses, or null when a runner with a position has no
   * result (the recording ends before the market settled).
   */
  profit(statuses: ReadonlyMap<number, RunnerStatus>): number | null {
    let total = 0;
    for (const [id, p] of this.positions) {
      const s = settlementOf(statuses.get(id));
      if (s === 'open') return null;
      total += s === 'win' ? p.ifWins : s === 'lose' ? p.ifLoses : 0;
    }
    return total;
  }
}

/** Exchange commission: a share of the market's net winnings, nothing on a loss. */
export function commissionOf(profit: number, rate: number): number {
  return profit > 0 ? profit * rate : 0;
}
