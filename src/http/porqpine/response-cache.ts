import type { ReadModel } from '../../read-model/read-model.js';
import type { FreshnessContext, SourceConfirmations } from '../../contracts/porqpine/freshness.js';
import { contextOf, FreshnessDeps } from '../../contracts/porqpine/freshness.js';
import { etagOf } from './http.js';

/**
 * A response body rendered once: its UTF-8 bytes (encoded once, written as they are by every response),
 * the time it was built, its ETag (computed on first use, then kept) and, for bodies carrying stale
 * flags, what those flags depend on.
 */
export class PreparedBody {
  /** Epoch ms the body was built (envelopes carrying a `timestamp` were serialized at this time). */
  readonly builtAt: number;
  readonly body: Buffer;
  private tag: string | undefined;

  constructor(
    json: string,
    readonly deps?: FreshnessDeps,
    builtAt = Date.now(),
  ) {
    this.body = Buffer.from(json, 'utf8');
    this.builtAt = builtAt;
  }

  /** Weak ETag of the bytes. */
  get etag(): string {
    return (this.tag ??= etagOf(this.body));
  }
}

/** Key prefix of the Porqpine bodies in the read model's derived cache. */
const PREFIX = 'porqpine:';

/**
 * Pre-rendered Porqpine bodies, kept in the read model's derived cache (dropped when it reloads): rebuilt
 * only when their data version changes or, for bodies with stale flags, when a flag would now be judged
 * otherwise (time passed a flag's TTL, or a source it depends on changed state). The key space is bounded
 * by the callers (route × resolved sport, event × its canonical ids), never by raw user input.
 */
export class ResponseCache {
  constructor(private readonly readModel: ReadModel) {}

  /** The body for `key` at `version` (built by `build` when missing or older). */
  get(key: string, version: number, build: () => string): PreparedBody {
    return this.readModel.derived(`${PREFIX}${key}`, version, () => new PreparedBody(build()));
  }

  /**
   * The body for `key` at `version` whose stale flags are judged at `now` against `conf`: the cached one
   * while every flag would be judged the same, else `build(ctx)`'s (its flags recorded through `ctx`).
   */
  timed(
    key: string,
    version: number,
    conf: SourceConfirmations,
    now: number,
    build: (ctx: FreshnessContext) => string,
  ): PreparedBody {
    return this.readModel.derived(
      `${PREFIX}${key}`,
      version,
      () => {
        const deps = new FreshnessDeps(now);
        return new PreparedBody(build(contextOf(conf, now, deps)), deps, now);
      },
      (p) => p.deps === undefined || p.deps.stillValid(conf, now),
    );
  }

  /** Entry counts by key prefix (the part before the first `:` after `porqpine:`). */
  countsByPrefix(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const key of this.readModel.derivedKeys()) {
      if (!key.startsWith(PREFIX)) continue;
      const prefix = key.split(':').slice(0, 2).join(':');
      out[prefix] = (out[prefix] ?? 0) + 1;
    }
    return out;
  }

  /** Number of cached bodies. */
  get size(): number {
    let n = 0;
    for (const key of this.readModel.derivedKeys()) if (key.startsWith(PREFIX)) n++;
    return n;
  }
}
