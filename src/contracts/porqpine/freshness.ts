import type { Event, Market, SourceStatus } from '../../model/index.js';

/** Server-side TTLs of the Porqpine surface (seed 001, "Caching, polling, freshness"), in seconds. */
export const TTL_SEC = {
  lists: 30,
  event: 5,
  fancyInPlay: 8,
  fancyPreMatch: 60,
  scores: 10,
  scorecard: 60,
  stream: 30,
  results: 12 * 3600,
  /** /socket-events and /socket-odds are live (no TTL); their data counts as stale after this long. */
  live: 5,
} as const;

/**
 * How long a client may reuse a response without asking again, where it differs from the server's TTL: the
 * /results list is kept 12 h by the server (seed 001), but new results join it at any time, so browsers
 * keep it briefly and then revalidate with its ETag (a 304 when nothing changed).
 */
export const CLIENT_MAX_AGE_SEC = {
  results: 30,
} as const;

/** `Cache-Control` for a TTL in seconds; live routes (0) are not cached by clients or proxies. */
export function cacheControl(ttlSec: number): string {
  return ttlSec > 0 ? `public, max-age=${ttlSec}` : 'no-cache';
}

/**
 * What a response's freshness is judged against: the time, and when each source last confirmed its data.
 * A source that is connected and healthy confirms its data now (a quiet market is not a stale one); a
 * disconnected or degraded one confirms it as of its last upstream update; a source this instance does
 * not run (an API-only instance, a replayed store) counts as current when the update log moved recently.
 */
export interface FreshnessContext {
  now: number;
  /** Epoch ms at which `source` last confirmed its data, or null when unknown. */
  confirmedAt(source: string): number | null;
  /** When present, records what the stale flags judged with this context depend on (see FreshnessDeps). */
  readonly deps?: FreshnessDeps | undefined;
}

/** How a source confirms its data: `'now'` while connected and healthy, else as of an epoch ms (or null). */
export type Confirmation = number | null | 'now';

/** The sources' confirmations: read from their statuses, the update log's last change for the others. */
export interface SourceConfirmations {
  of(source: string): Confirmation;
}

/** Where the update log's last change time is read (the read model). */
export interface LastChange {
  readonly lastChangeAt: number | null;
}

/**
 * Confirmations from the sources' statuses; a source without a status counts as confirmed at the update
 * log's last change, read when asked (it moves with the log). A class rather than closures: one is made
 * per request.
 */
class StatusConfirmations implements SourceConfirmations {
  private readonly names: string[] = [];
  private readonly values: Confirmation[] = [];

  constructor(
    statuses: readonly SourceStatus[],
    private readonly log: LastChange,
  ) {
    for (const s of statuses) {
      this.names.push(s.source);
      this.values.push(s.connected && s.state === 'connected' ? 'now' : (s.lastUpdateAt ?? null));
    }
  }

  of(source: string): Confirmation {
    const i = this.names.lastIndexOf(source);
    return i >= 0 ? (this.values[i] ?? null) : this.log.lastChangeAt;
  }
}

/** Confirmations from the sources' statuses and the update log's last change (see StatusConfirmations). */
export function sourceConfirmations(statuses: readonly SourceStatus[], log: LastChange): SourceConfirmations {
  return new StatusConfirmations(statuses, log);
}

/**
 * What a rendering's stale flags depended on, recorded through its context: the confirmation of every
 * source consulted and the earliest moment at which a flag judged fresh turns stale. While `stillValid`
 * holds, the same rendering made anew would be identical (same data version assumed), so a cached body
 * never claims fresh data that has gone stale, nor stale data that a source has since confirmed.
 */
export class FreshnessDeps {
  /** Epoch ms up to which every flag judged fresh stays fresh. */
  validUntil = Number.POSITIVE_INFINITY;
  readonly sources = new Map<string, Confirmation>();

  /** `since`: the time the flags are judged at (a clock set back makes them judged anew). */
  constructor(readonly since: number) {}

  /** True when, at `now` and with `conf`, every flag would be judged as it was. */
  stillValid(conf: SourceConfirmations, now: number): boolean {
    if (now > this.validUntil || now < this.since) return false;
    for (const [source, c] of this.sources) if (conf.of(source) !== c) return false;
    return true;
  }
}

/** The FreshnessContext of contextOf (a class: one is made per request). */
class ConfirmationContext implements FreshnessContext {
  constructor(
    private readonly conf: SourceConfirmations,
    readonly now: number,
    readonly deps: FreshnessDeps | undefined,
  ) {}

  confirmedAt(source: string): number | null {
    const c = this.conf.of(source);
    this.deps?.sources.set(source, c);
    return c === 'now' ? this.now : c;
  }
}

/** A FreshnessContext at `now` over `conf`, recording into `deps` when given. */
export function contextOf(conf: SourceConfirmations, now: number, deps?: FreshnessDeps): FreshnessContext {
  return new ConfirmationContext(conf, now, deps);
}

/** Builds a FreshnessContext from the sources' statuses and the read model's last change time. */
export function freshnessContext(
  statuses: readonly SourceStatus[],
  lastChangeAt: number | null,
  now: number,
): FreshnessContext {
  return contextOf(sourceConfirmations(statuses, { lastChangeAt }), now);
}

/** Epoch ms the market's data is known good as of. */
export function marketAsOf(m: Market, ctx: FreshnessContext): number {
  return Math.max(m.updatedAt, ctx.confirmedAt(m.source) ?? 0);
}

/** Epoch ms the event's data is known good as of: its own update, its sources, its markets. */
export function eventAsOf(e: Event, markets: readonly Market[], ctx: FreshnessContext): number {
  let t = e.updatedAt;
  for (const s of Object.keys(e.upstreamIds)) t = Math.max(t, ctx.confirmedAt(s) ?? 0);
  for (const m of markets) t = Math.max(t, marketAsOf(m, ctx));
  return t;
}

/** True when data good as of `asOf` is older than `ttlSec`: it must then be marked stale, not live. */
export function isStale(asOf: number, ttlSec: number, ctx: FreshnessContext): boolean {
  const stale = ctx.now - asOf > ttlSec * 1000;
  // Fresh until now - asOf exceeds the TTL: valid while now <= asOf + TTL.
  if (!stale && ctx.deps) ctx.deps.validUntil = Math.min(ctx.deps.validUntil, asOf + ttlSec * 1000);
  return stale;
}

/**
 * A version for ReadModel.serialized that also changes every `granularityMs`, so bodies carrying `stale`
 * flags are rebuilt as time passes even when the data does not change.
 */
export function timedVersion(dataVersion: number, now: number, granularityMs = 1000): number {
  return dataVersion * 2 ** 20 + (Math.floor(now / granularityMs) % 2 ** 20);
}
