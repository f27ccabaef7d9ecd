/** Small statistics helpers shared by the benchmarks. */

/** The p-th percentile (0–100) of an ascending array (nearest rank), or null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

/** The median of any array (not modified), or null when empty. */
export function median(xs: readonly number[]): number | null {
  return percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
}

/** Rounds to `digits` decimals; null stays null. */
export function round(v: number | null | undefined, digits = 2): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** p50, p99 and max of samples, rounded to 0.01 ms. */
export function latencySummary(samples: number[]): {
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
} {
  const s = [...samples].sort((a, b) => a - b);
  return { p50Ms: round(percentile(s, 50)), p99Ms: round(percentile(s, 99)), maxMs: round(s.at(-1)) };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
