import { ceilTick, floorTick, nextTick, prevTick, ticksBetween } from '../model/ticks.js';

/** One book's prices of a market's outcomes (decimal odds by outcome key: home, draw, away…). */
export interface BookPrices {
  book: string;
  prices: Readonly<Record<string, number>>;
}

/** The fair price of each outcome, and how many books it came from. */
export interface FairPrices {
  odds: Record<string, number>;
  probabilities: Record<string, number>;
  books: number;
}

/**
 * The de-margined consensus: each book's implied probabilities (1/odds) are scaled to sum to 1 (its
 * margin taken out proportionally), averaged over the books that price every outcome, and normalized
 * again. Null when no book prices all of `outcomes`.
 */
export function fairPrices(books: readonly BookPrices[], outcomes: readonly string[]): FairPrices | null {
  const sums: Record<string, number> = Object.fromEntries(outcomes.map((o) => [o, 0]));
  let n = 0;
  for (const b of books) {
    const implied = outcomes.map((o) => b.prices[o]);
    if (implied.some((p) => p === undefined || !(p > 1))) continue;
    const total = implied.reduce((s: number, p) => s + 1 / (p as number), 0);
    outcomes.forEach((o, i) => (sums[o] = (sums[o] as number) + 1 / (implied[i] as number) / total));
    n++;
  }
  if (n === 0) return null;
  const avg = outcomes.map((o) => (sums[o] as number) / n);
  const norm = avg.reduce((s, p) => s + p, 0);
  const probabilities = Object.fromEntries(outcomes.map((o, i) => [o, (avg[i] as number) / norm]));
  const odds = Object.fromEntries(outcomes.map((o) => [o, 1 / (probabilities[o] as number)]));
  return { odds, probabilities, books: n };
}

/** How the engine quotes around a fair price. */
export interface QuoteParams {
  /** Ticks between the fair price and each quote (at least 1). */
  spreadTicks: number;
  /** Backer's stake of each quote. */
  size: number;
}

/** The two quotes of an outcome: our back (at odds above fair) and our lay (below fair). */
export interface TwoSidedQuote {
  back: { price: number; size: number };
  lay: { price: number; size: number };
}

/**
 * Quotes on the exchange ladder around `fair`: we back at `spreadTicks` above the fair price (rounded up
 * to the ladder) and lay at `spreadTicks` below it (rounded down), so both quotes carry an edge.
 */
export function quoteAround(fair: number, p: QuoteParams): TwoSidedQuote {
  const ticks = Math.max(1, Math.floor(p.spreadTicks));
  const up = ceilTick(fair);
  const down = floorTick(fair);
  return {
    back: { price: nextTick(up, up === fair ? ticks : ticks - 1), size: p.size },
    lay: { price: prevTick(down, down === fair ? ticks : ticks - 1), size: p.size },
  };
}

/** True when the fair price moved at least `thresholdTicks` ladder ticks from where the quotes were set. */
export function fairMoved(quotedFair: number, fair: number, thresholdTicks: number): boolean {
  return Math.abs(ticksBetween(floorTick(quotedFair), floorTick(fair))) >= thresholdTicks;
}

/** What a quote may still add to exposure: the smaller of the market's and the client's room. */
export interface ExposureRoom {
  market: { cap: number; used: number };
  client: { cap: number; used: number };
}

/**
 * The size a quote may show without its fill taking exposure past either cap. The exposure of a fill is the
 * backer's stake for our back and the liability (size × (price − 1)) for our lay; the size is cut so that
 * exposure fits, to cents, and 0 when there is no room.
 */
export function cappedSize(size: number, price: number, back: boolean, room: ExposureRoom): number {
  const left = Math.min(room.market.cap - room.market.used, room.client.cap - room.client.used);
  if (left <= 0) return 0;
  const perUnit = back ? 1 : price - 1;
  return Math.max(0, Math.min(size, Math.floor((left / perUnit) * 100) / 100));
}
