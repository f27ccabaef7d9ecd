import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry } from '../../config/operations.js';

/** Longest key accepted from a request; anything longer cannot match and is not hashed. */
const MAX_KEY_LENGTH = 4096;

/**
 * The accepted API keys, held only as SHA-256 digests. `match` hashes the presented key once and compares
 * it with every digest in constant time (`timingSafeEqual` on equal-length buffers, no early exit), so
 * neither which key matched nor how much of it did shows in the timing.
 */
export class KeyRing {
  private readonly digests: { entry: ApiKeyEntry; digest: Buffer }[];

  constructor(entries: readonly ApiKeyEntry[]) {
    this.digests = entries.map((entry) => ({ entry, digest: Buffer.from(entry.sha256, 'hex') }));
  }

  /** Configured keys (0: the feed and /ws are open). */
  get size(): number {
    return this.digests.length;
  }

  /** The entry of the presented key, or null (also for non-strings, empty and oversized values). */
  match(given: unknown): ApiKeyEntry | null {
    if (typeof given !== 'string' || given.length === 0 || given.length > MAX_KEY_LENGTH) return null;
    const d = createHash('sha256').update(given, 'utf8').digest();
    let found: ApiKeyEntry | null = null;
    for (const k of this.digests) if (timingSafeEqual(d, k.digest)) found = k.entry;
    return found;
  }
}
