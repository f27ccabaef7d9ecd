/**
 * The Betfair CLASSIC price ladder: the only prices an exchange accepts, from 1.01 to 1000.
 * Bands: 1.01–2 step 0.01, 2–3 0.02, 3–4 0.05, 4–6 0.1, 6–10 0.2, 10–20 0.5, 20–30 1, 30–50 2,
 * 50–100 5, 100–1000 10 (350 prices). Prices are plain numbers rounded to 2 decimals.
 */

/** [band upper bound, step] in ascending order; a band starts where the previous one ends. */
export const TICK_BANDS: readonly (readonly [upTo: number, step: number])[] = [
  [2, 0.01],
  [3, 0.02],
  [4, 0.05],
  [6, 0.1],
  [10, 0.2],
  [20, 0.5],
  [30, 1],
  [50, 2],
  [100, 5],
  [1000, 10],
];

/** Lowest price on the ladder. */
export const MIN_PRICE = 1.01;
/** Highest price on the ladder. */
export const MAX_PRICE = 1000;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function buildTicks(): number[] {
  const out: number[] = [MIN_PRICE];
  let from = 1;
  for (const [upTo, step] of TICK_BANDS) {
    const n = Math.round((upTo - from) / step);
    for (let i = 1; i <= n; i++) {
      const p = round2(from + i * step);
      if (p > MIN_PRICE) out.push(p);
    }
    from = upTo;
  }
  return out;
}

/** Every valid price, ascending (index 0 = 1.01, last = 1000). */
export const PRICE_TICKS: readonly number[] = Object.freeze(buildTicks());

const INDEX = new Map<number, number>(PRICE_TICKS.map((p, i) => [p, i]));
/** Typed copy for the hot path. */
const TICKS = Float64Array.from(PRICE_TICKS);
const LAST = PRICE_TICKS.length - 1;

/** Index of a price on the ladder, or -1 when the price is not a valid tick. */
export function tickIndex(price: number): number {
  const r = round2(price);
  return Math.abs(price - r) < 1e-9 ? (INDEX.get(r) ?? -1) : -1;
}

/** True when `price` is exactly a ladder price (to 2 decimals). */
export function isValidPrice(price: number): boolean {
  return tickIndex(price) >= 0;
}

/** The price at a ladder index, clamped to the ladder. */
export function priceAt(index: number): number {
  const i = index < 0 ? 0 : index > LAST ? LAST : Math.trunc(index);
  return TICKS[i] as number;
}

/** Largest ladder index whose price is ≤ x (0 when x is below the ladder). */
export function floorIndex(x: number): number {
  if (x <= MIN_PRICE) return 0;
  if (x >= MAX_PRICE) return LAST;
  let lo = 0;
  let hi = LAST;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((TICKS[mid] as number) <= x + 1e-9) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Smallest ladder index whose price is ≥ x (the last index when x is above the ladder). */
export function ceilIndex(x: number): number {
  const i = floorIndex(x);
  return (TICKS[i] as number) >= x - 1e-9 || i === LAST ? i : i + 1;
}

/** Index of the highest price (1000). */
export const LAST_TICK_INDEX = LAST;

/** Largest ladder price ≤ x, clamped to [1.01, 1000]. */
export function floorTick(x: number): number {
  return priceAt(floorIndex(x));
}

/** Smallest ladder price ≥ x, clamped to [1.01, 1000]. */
export function ceilTick(x: number): number {
  return priceAt(ceilIndex(x));
}

/** The ladder price nearest to x (ties go up). */
export function nearestTick(x: number): number {
  const lo = floorTick(x);
  const hi = ceilTick(x);
  return x - lo < hi - x ? lo : hi;
}

/** The price `n` ticks above a valid price (clamped at 1000); throws on an invalid price. */
export function nextTick(price: number, n = 1): number {
  const i = tickIndex(price);
  if (i < 0) throw new RangeError(`not a ladder price: ${price}`);
  return priceAt(i + n);
}

/** The price `n` ticks below a valid price (clamped at 1.01); throws on an invalid price. */
export function prevTick(price: number, n = 1): number {
  return nextTick(price, -n);
}

/** Signed number of ticks from price a to price b (both valid). */
export function ticksBetween(a: number, b: number): number {
  const ia = tickIndex(a);
  const ib = tickIndex(b);
  if (ia < 0 || ib < 0) throw new RangeError(`not a ladder price: ${ia < 0 ? a : b}`);
  return ib - ia;
}

/** The ladder step that applies just above a price (0.01 at 1.5, 10 at 150). */
export function tickStep(price: number): number {
  for (const [upTo, step] of TICK_BANDS) if (price < upTo - 1e-9) return step;
  return 10;
}
