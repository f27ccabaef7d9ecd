import type { Market } from '../model/index.js';

/**
 * Units of prices. Most markets quote decimal odds; bookmaker (BOOKMAKER) markets of Indian-style
 * sites quote rates, the profit per 100 staked (back 85 = decimal 1.85, 123 = 2.23; their lay
 * column follows the same rule); fancy (FANCY) markets are single-line Yes/No markets whose
 * "prices" are runs or counts (the line), not odds. Every computation that compares or combines
 * prices across books works in decimal odds through `decimalOdds`; surfaces whose contract shows
 * rates keep showing the quoted numbers.
 */

/** How a market quotes its prices. */
export type PriceUnit = 'decimal' | 'rate' | 'line';

/** Market types quoted as rates (per 100). */
export const RATE_MARKET_TYPES: ReadonlySet<string> = new Set(['BOOKMAKER']);
/** Market types that are single-line Yes/No markets (prices are the line, never odds). */
export const LINE_MARKET_TYPES: ReadonlySet<string> = new Set(['FANCY']);

/** The unit of a market's prices. */
export function priceUnit(m: Pick<Market, 'type'>): PriceUnit {
  if (LINE_MARKET_TYPES.has(m.type)) return 'line';
  if (RATE_MARKET_TYPES.has(m.type)) return 'rate';
  return 'decimal';
}

/** True for a single-line Yes/No (fancy) market: never in best prices, overrounds or arbitrage. */
export function isLineMarket(m: Pick<Market, 'type'>): boolean {
  return priceUnit(m) === 'line';
}

/**
 * The decimal odds of a price level of market `m`: the price itself for decimal markets, rate / 100 + 1
 * for rate markets; null when the price is no odds at all (a fancy line) or not a usable price.
 */
export function decimalOdds(price: number, m: Pick<Market, 'type'>): number | null {
  if (!Number.isFinite(price)) return null;
  const unit = priceUnit(m);
  if (unit === 'line') return null;
  const dec = unit === 'rate' ? Math.round((price / 100 + 1) * 1e6) / 1e6 : price;
  return dec > 1 ? dec : null;
}
