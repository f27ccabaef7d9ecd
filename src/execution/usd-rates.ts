/**
 * Reference rates to US dollars for limits shown in USD (`limitUsd`, `limitMinUsd`). A fixed table: oddsgate
 * has no live currency feed; the order path's currency conversion may replace it with its currencies table.
 */
export const USD_PER_UNIT: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.08,
  GBP: 1.27,
  INR: 0.012,
  AUD: 0.66,
  CAD: 0.73,
  USDC: 1,
  USDT: 1,
};

/** `amount` in `currency` as US dollars (2 decimals), or null for a currency without a rate. */
export function toUsd(amount: number, currency: string): number | null {
  const rate = USD_PER_UNIT[currency.toUpperCase()];
  return rate === undefined ? null : Math.round(amount * rate * 100) / 100;
}
