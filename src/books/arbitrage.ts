import type { BestMarket, BookPrice } from './best.js';

/**
 * Arbitrage: a market whose best prices across books lock a profit whatever the outcome.
 * - back: Σ 1/best back < 1. Backing runner i with stake T·(1/bᵢ)/Σ returns T/Σ whoever wins.
 * - lay: Σ 1/best lay > 1. Laying runner i for backer's stake T·(1/lᵢ)/Σ takes in T and pays out T/Σ
 *   (stake plus liability of the winner) whoever wins.
 * Stakes are rounded to cents and the profit is the worst case after rounding.
 */

/** One leg of an arbitrage. */
export interface ArbLeg {
  runner: string;
  name: string;
  /** Decimal odds. */
  price: number;
  /** The rate as quoted, only when the book quotes rates (bookmaker markets). */
  rate?: number;
  book: string;
  source: string;
  marketId: string;
  /** Stake to back (back arb) or the backer's stake to lay (lay arb). */
  stake: number;
  /** Lay arb: what is paid if this runner wins (stake × (price − 1)). */
  liability: number | null;
  /** Back arb: the return if this runner wins. */
  payout: number | null;
  /** Size available at the price, null when the book does not say. */
  size: number | null;
}

/** An arbitrage on one market group. */
export interface Arbitrage {
  kind: 'back' | 'lay';
  /** Σ 1/price over the legs. */
  sum: number;
  /** Locked profit as a percentage of the total stake (before rounding). */
  edgePct: number;
  total: number;
  /** Worst-case profit after rounding the stakes. */
  profit: number;
  /** Largest total the available sizes allow, null when some book gives no size. */
  maxTotal: number | null;
  legs: ArbLeg[];
}

const cents = (x: number) => Math.round(x * 100) / 100;

function prices(m: BestMarket, side: 'back' | 'lay'): BookPrice[] | null {
  const out: BookPrice[] = [];
  for (const r of m.runners) {
    const p = side === 'back' ? r.bestBack : r.bestLay;
    if (!p) return null;
    out.push(p);
  }
  return out.length >= 2 ? out : null;
}

function maxTotal(legs: readonly BookPrice[], weights: readonly number[]): number | null {
  let max = Infinity;
  legs.forEach((p, i) => {
    if (p.size === null) return;
    max = Math.min(max, p.size / (weights[i] as number));
  });
  return Number.isFinite(max) ? cents(max) : null;
}

/** The back arbitrage of a market for a total stake, or null when its best backs sum to 1 or more. */
export function backArb(m: BestMarket, total: number): Arbitrage | null {
  const ps = prices(m, 'back');
  if (!ps || m.backOverround === null || m.backOverround >= 1) return null;
  const sum = m.backOverround;
  const weights = ps.map((p) => 1 / p.price / sum);
  const legs: ArbLeg[] = ps.map((p, i) => {
    const stake = cents(total * (weights[i] as number));
    const r = m.runners[i];
    return {
      runner: r?.key ?? '',
      name: r?.name ?? '',
      price: p.price,
      ...(p.rate === undefined ? {} : { rate: p.rate }),
      book: p.book,
      source: p.source,
      marketId: p.marketId,
      stake,
      liability: null,
      payout: cents(stake * p.price),
      size: p.size,
    };
  });
  const staked = legs.reduce((s, l) => s + l.stake, 0);
  const profit = cents(Math.min(...legs.map((l) => l.payout as number)) - staked);
  return {
    kind: 'back',
    sum,
    edgePct: (1 / sum - 1) * 100,
    total,
    profit,
    maxTotal: maxTotal(ps, weights),
    legs,
  };
}

/** The lay arbitrage of a market for a total (backers' stakes taken), or null when best lays sum to 1 or less. */
export function layArb(m: BestMarket, total: number): Arbitrage | null {
  const ps = prices(m, 'lay');
  if (!ps || m.layOverround === null || m.layOverround <= 1) return null;
  const sum = m.layOverround;
  const weights = ps.map((p) => 1 / p.price / sum);
  const legs: ArbLeg[] = ps.map((p, i) => {
    const stake = cents(total * (weights[i] as number));
    const r = m.runners[i];
    return {
      runner: r?.key ?? '',
      name: r?.name ?? '',
      price: p.price,
      ...(p.rate === undefined ? {} : { rate: p.rate }),
      book: p.book,
      source: p.source,
      marketId: p.marketId,
      stake,
      liability: cents(stake * (p.price - 1)),
      payout: null,
      size: p.size,
    };
  });
  const taken = legs.reduce((s, l) => s + l.stake, 0);
  const profit = cents(Math.min(...legs.map((l) => taken - l.stake - (l.liability as number))));
  return {
    kind: 'lay',
    sum,
    edgePct: (1 - 1 / sum) * 100,
    total,
    profit,
    maxTotal: maxTotal(ps, weights),
    legs,
  };
}
