/**
 * Deterministic randomness for the simulator: a seeded PRNG for market moves and a stable hash for
 * everything that must come out the same after a restart (ids, names, start times).
 */

/** murmur3 finalizer: spreads the bits of a 32-bit value. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stable unsigned 32-bit hash of the parts (numbers and strings), e.g. hash32(seed, 'football', lane, slot). */
export function hash32(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const s = typeof part === 'number' ? String(part) : part;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // part separator
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** A stable float in [0, 1) from the parts. */
export function hashUnit(...parts: readonly (string | number)[]): number {
  return hash32(...parts) / 4294967296;
}

/** A stable integer in [min, max] from the parts. */
export function hashInt(min: number, max: number, ...parts: readonly (string | number)[]): number {
  return min + (hash32(...parts) % (max - min + 1));
}

/** Seeded PRNG (mulberry32) with helpers; fast and good enough for price moves. */
export class Prng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = hash32('prng', seed) || 1;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform float in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal deviate (Box–Muller, second value cached). */
  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson deviate (Knuth; for small means). */
  poisson(mean: number): number {
    const l = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > l && k < 50) {
      k++;
      p *= this.next();
    }
    return k;
  }
}
