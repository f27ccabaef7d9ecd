import type { Convert } from './currencies.js';
import type { ExecutionAccount, Quote } from './types.js';

/** What routing needs of an order. */
export interface RoutedOrder {
  orderStake: number;
  orderPrice: number;
  orderCurrency: string;
  back: boolean;
  acceptPartialStake: boolean;
}

/** A bookmaker account able to take the order, with its price now. */
export interface Candidate {
  account: ExecutionAccount;
  /** The bookmaker's default limits (middle of the cascade). */
  bookmakerLimits: { minStake: number | null; maxStake: number | null };
  quote: Quote;
}

/** One bet of the plan: stake in the order's currency and in the account's. */
export interface Leg {
  account: ExecutionAccount;
  quote: Quote;
  /** Stake in the order currency. */
  stake: number;
  /** Stake in the account currency (what is sent). */
  accountStake: number;
}

/** A routing plan, or the document's decline reason. */
export type Plan = { legs: Leg[] } | { decline: string };

const money = (n: number, cur: string) => `${n.toFixed(2)} ${cur}`;

/** True when the quote's price is acceptable: back at least, lay at most, the order price. */
export function priceAcceptable(back: boolean, price: number, orderPrice: number): boolean {
  return back ? price >= orderPrice - 1e-9 : price <= orderPrice + 1e-9;
}

interface Sized {
  c: Candidate;
  min: number;
  max: number;
}

/**
 * Stake limits in the order currency, by the cascade: the minimum is the account's, else the bookmaker's,
 * else the odds'; the maximum is the account's, else the bookmaker's, and never above what the odds
 * allow now nor (backing) the balance, (laying) the balance over the liability per unit.
 */
function sized(c: Candidate, o: RoutedOrder, convert: Convert): Sized | null {
  const cur = c.account.currency;
  const toOrder = (n: number | null, from: string) => (n === null ? null : convert(n, from, o.orderCurrency));
  const minAcc = c.account.minStake ?? c.bookmakerLimits.minStake;
  const min = minAcc !== null ? toOrder(minAcc, cur) : toOrder(c.quote.limitMin, c.quote.currency);
  const maxAcc = c.account.maxStake ?? c.bookmakerLimits.maxStake;
  const caps = [
    maxAcc !== null ? toOrder(maxAcc, cur) : Infinity,
    c.quote.limit !== null ? toOrder(c.quote.limit, c.quote.currency) : Infinity,
    toOrder(o.back ? c.account.balance : c.account.balance / Math.max(c.quote.price - 1, 0.01), cur),
  ];
  if (caps.some((x) => x === null) || (min === null && (minAcc !== null || c.quote.limitMin !== null)))
    return null;
  const max = Math.max(0, Math.floor(Math.min(...(caps as number[])) * 100) / 100);
  return { c, min: min ?? 0, max };
}

/** Best price first (back: highest, lay: lowest), then the larger limit, then the higher account priority. */
function rank(back: boolean) {
  return (a: Sized, b: Sized): number => {
    const dp = a.c.quote.price - b.c.quote.price;
    if (Math.abs(dp) > 1e-12) return back ? -dp : dp;
    if (a.max !== b.max) return b.max - a.max;
    return b.c.account.priority - a.c.account.priority;
  };
}

/** Per bookmaker, the account to use: the highest priority one that can take a stake. */
function onePerBookmaker(list: Sized[]): Sized[] {
  const best = new Map<string, Sized>();
  for (const s of list) {
    const cur = best.get(s.c.account.bookmaker);
    if (!cur || s.c.account.priority > cur.c.account.priority) best.set(s.c.account.bookmaker, s);
  }
  return [...best.values()];
}

/**
 * Smart routing: splits the stake over the candidates whose price is acceptable, best price first, then
 * limits, then account priority. With `acceptPartialStake` the stake may be split across bookmakers and
 * partly filled; without it one bookmaker must take all of it.
 */
export function planOrder(o: RoutedOrder, candidates: readonly Candidate[], convert: Convert): Plan {
  const priced = candidates.filter(
    (c) => c.quote.active && priceAcceptable(o.back, c.quote.price, o.orderPrice),
  );
  if (priced.length === 0) {
    const active = candidates.filter((c) => c.quote.active);
    if (active.length === 0) return { decline: 'Invalid odds: market is suspended' };
    const best = active.map((c) => c.quote.price).sort((a, b) => (o.back ? b - a : a - b))[0] as number;
    return {
      decline: `Invalid odds: best available price ${best.toFixed(2)} is ${o.back ? 'below' : 'above'} orderPrice ${o.orderPrice.toFixed(2)}`,
    };
  }
  const withLimits = priced.map((c) => sized(c, o, convert));
  if (withLimits.some((s) => s === null))
    return {
      decline: `Currency conversion failed: no rate between ${o.orderCurrency} and the account currency`,
    };
  const usable = onePerBookmaker((withLimits as Sized[]).filter((s) => s.max >= s.min && s.max > 0)).sort(
    rank(o.back),
  );
  const minNeeded = Math.min(...(withLimits as Sized[]).map((s) => s.min));
  if (o.orderStake < minNeeded - 1e-9)
    return {
      decline: `Stake below minimum: order stake ${money(o.orderStake, o.orderCurrency)} is below the minimum ${money(minNeeded, o.orderCurrency)}`,
    };
  if (!o.acceptPartialStake) {
    const one = usable.find((s) => s.max >= o.orderStake - 1e-9 && s.min <= o.orderStake + 1e-9);
    if (!one) {
      const limit = Math.max(0, ...usable.map((s) => s.max));
      return {
        decline: `Order stake ${money(o.orderStake, o.orderCurrency)} exceeds available limit ${money(limit, o.orderCurrency)}`,
      };
    }
    return { legs: [leg(one, o.orderStake, o, convert)] };
  }
  const legs: Leg[] = [];
  let remaining = o.orderStake;
  for (const s of usable) {
    if (remaining < 0.005) break;
    const take = Math.min(remaining, s.max);
    if (take < s.min - 1e-9) continue;
    legs.push(leg(s, take, o, convert));
    remaining = Math.round((remaining - take) * 100) / 100;
  }
  if (legs.length === 0) {
    const limit = Math.max(0, ...usable.map((s) => s.max));
    return {
      decline: `Order stake ${money(o.orderStake, o.orderCurrency)} exceeds available limit ${money(limit, o.orderCurrency)}`,
    };
  }
  return { legs };
}

function leg(s: Sized, stake: number, o: RoutedOrder, convert: Convert): Leg {
  const accountStake = convert(stake, o.orderCurrency, s.c.account.currency) as number;
  return {
    account: s.c.account,
    quote: s.c.quote,
    stake: Math.round(stake * 100) / 100,
    accountStake: Math.round(accountStake * 100) / 100,
  };
}
