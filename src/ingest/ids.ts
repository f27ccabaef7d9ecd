import type { Event, SourceEventFields, SourceUpdate } from '../model/index.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../core/clock.js';
import { mergeEvent } from './merge.js';
import type { EventMatcher } from './types.js';

/** What id resolution reads and fills: the "source:upstreamId" → internal id map and the known events. */
export interface IdContext {
  store: Store;
  matcher: EventMatcher | undefined;
  clock: Clock;
  /** "source:upstreamId" → internal event id; filled with every id resolved. */
  ids: Map<string, number>;
  events: ReadonlyMap<number, Event>;
}

/** The key of an upstream event in the id map. */
export function upstreamKey(source: string, upstreamId: string): string {
  return `${source}:${upstreamId}`;
}

/**
 * Gives every upstream event of `batch` not known yet its internal id (allocated by the store, or the
 * matched existing event's when a matcher is configured).
 */
export async function resolveIds(ctx: IdContext, batch: readonly SourceUpdate[]): Promise<void> {
  const missing = new Map<string, [string, string]>();
  const fields = new Map<string, SourceEventFields>();
  for (const u of batch) {
    if (u.kind === 'marketRemoved') continue;
    const key = upstreamKey(u.source, u.upstreamEventId);
    if (!ctx.ids.has(key)) missing.set(key, [u.source, u.upstreamEventId]);
    if (u.kind === 'event' && missing.has(key)) fields.set(key, u.event);
  }
  if (ctx.matcher) return resolveMatched(ctx, ctx.matcher, missing, fields);
  await Promise.all(
    [...missing].map(async ([key, [src, up]]) => ctx.ids.set(key, await ctx.store.resolveEventId(src, up))),
  );
}

/**
 * Resolves new upstream events one by one, asking the matcher for an existing event first (one seen
 * earlier in this batch included) and linking the upstream id to it when found.
 */
async function resolveMatched(
  ctx: IdContext,
  matcher: EventMatcher,
  missing: Map<string, [string, string]>,
  fields: Map<string, SourceEventFields>,
): Promise<void> {
  const fresh = new Map<number, Event>();
  for (const [key, [src, up]] of missing) {
    const f = fields.get(key);
    let id = f ? await ctx.store.findEventId(src, up) : null;
    if (id === null && f) {
      const known = [...ctx.events.values()].filter((e) => !fresh.has(e.id));
      id = await matcher.match(src, up, f, [...known, ...fresh.values()]);
      if (id !== null) await ctx.store.linkEventId(src, up, id);
    }
    id ??= await ctx.store.resolveEventId(src, up);
    ctx.ids.set(key, id);
    const base = fresh.get(id) ?? ctx.events.get(id);
    if (f) fresh.set(id, mergeEvent(id, src, up, f, base, ctx.clock()));
  }
}
