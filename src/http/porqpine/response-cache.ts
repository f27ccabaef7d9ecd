import type { ReadModel } from '../../read-model/read-model.js';
import { etagOf } from './http.js';

/** A pre-serialized body with its ETag. */
export interface CachedBody {
  body: string;
  etag: string;
}

/**
 * Pre-serialized Porqpine list bodies: built through ReadModel.serialized (rebuilt only when their
 * version changes) with an ETag computed once per build. Keys are prefixed `porqpine:`; the key space is
 * bounded by the callers (route × resolved sport), never by raw user input.
 */
export class ResponseCache {
  private readonly etags = new Map<string, CachedBody>();

  constructor(private readonly readModel: ReadModel) {}

  /** The body for `key` at `version` (built by `build` when stale) and its ETag. */
  get(key: string, version: number, build: () => string): CachedBody {
    const fullKey = `porqpine:${key}`;
    const body = this.readModel.serialized(fullKey, version, build);
    const hit = this.etags.get(fullKey);
    if (hit && hit.body === body) return hit;
    const entry = { body, etag: etagOf(body) };
    this.etags.set(fullKey, entry);
    return entry;
  }

  /** Entry counts by key prefix (the part before the first `:` after `porqpine:`). */
  countsByPrefix(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of this.etags.keys()) {
      const prefix = key.split(':').slice(0, 2).join(':');
      out[prefix] = (out[prefix] ?? 0) + 1;
    }
    return out;
  }

  /** Number of cached bodies. */
  get size(): number {
    return this.etags.size;
  }

  /** Total bytes (UTF-16 length) of the cached bodies. */
  get chars(): number {
    let n = 0;
    for (const e of this.etags.values()) n += e.body.length;
    return n;
  }
}
