/**
 * The simulated exchange account's money: balance, the exposure its open bets reserve (the worst
 * outcome per market, unmatched parts counted as if matched), commission on each market's net winnings.
 */
import { betProfit, round2, type SimBet } from './types.js';

/** Worst profit over the outcomes of one market's bets (≤ 0): each runner winning, or none of them. */
function marketWorst(bets: readonly SimBet[]): number {
  const selections = new Set(bets.map((b) => b.selectionId));
  let worst = 0;
  for (const winner of [...selections, null]) {
    let pnl = 0;
    for (const b of bets) pnl += betProfit(b, b.selectionId === winner, true);
    worst = Math.min(worst, pnl);
  }
  return round2(worst);
}

/** The account's funds. */
export class Account {
  private retainedCommission = 0;

  constructor(
    private balance: number,
    readonly commissionRate: number,
  ) {}

  /** Exposure of open bets (≤ 0), summed over markets. */
  exposure(open: readonly SimBet[]): number {
    const byMarket = new Map<string, SimBet[]>();
    for (const b of open) {
      if (b.settled) continue;
      const list = byMarket.get(b.marketId);
      if (list) list.push(b);
      else byMarket.set(b.marketId, [b]);
    }
    let sum = 0;
    for (const bets of byMarket.values()) sum += marketWorst(bets);
    return round2(sum);
  }

  /** True when the balance covers the exposure with `bet` added. */
  canAfford(open: readonly SimBet[], bet: SimBet): boolean {
    return this.balance + this.exposure([...open, bet]) >= -1e-9;
  }

  /** Books one market's settled bets: their net profit, less commission when it is a win. */
  settle(bets: readonly SimBet[]): void {
    const net = bets.reduce((s, b) => s + (b.settled?.profit ?? 0), 0);
    const commission = net > 0 ? round2(net * this.commissionRate) : 0;
    this.retainedCommission = round2(this.retainedCommission + commission);
    this.balance = round2(this.balance + net - commission);
  }

  /** getAccountFunds' AccountFundsResponse. */
  funds(open: readonly SimBet[]): Record<string, unknown> {
    const exposure = this.exposure(open);
    return {
      availableToBetBalance: round2(this.balance + exposure),
      exposure,
      retainedCommission: this.retainedCommission,
      exposureLimit: -10_000_000,
      discountRate: 0,
      pointsBalance: 0,
      wallet: 'UK',
    };
  }

  /** Balance after settlements. */
  get total(): number {
    return this.balance;
  }
}
