import type { Event, LogEntry, Market, Sport } from '../model/index.js';
import { BETFAIR_ID_SOURCES } from '../model/index.js';
import type { StoreSnapshot } from '../store/types.js';
import { compareLogIds as compareIds } from '../store/log-id.js';

/** Orders update-log ids "<ms>-<seq>" (the store's comparison). */
export { compareIds };

/** What changed, as seen by read-model listeners (broker, caches). */
export interface ReadModelChange {
  entry: LogEntry;
  /** The event the change belongs to (after the change; before it for removals), when known. */
  event: Event | undefined;
}

export type ReadModelListener = (change: ReadModelChange) => void;

/**
 * The current state held in memory by every API instance: loaded from the store at boot and kept current
 * from the update log. Routes read from it; nothing here does I/O.
 */
export class ReadModel {
  readonly sports = new Map<number, Sport>();
  readonly events = new Map<number, Event>();
  readonly markets = new Map<string, Market>();
  private readonly marketsByEvent = new Map<number, Set<string>>();
  private readonly byUpstream = new Map<string, number>();
  private readonly sportVersions = new Map<number, number>();
  private readonly eventVersions = new Map<number, number>();
  /** `version` at the last load(): the version of every event not changed since. */
  private loadedAt = 0;
  private readonly listeners = new Set<ReadModelListener>();
  /**
   * Derived bodies by key. Kept a plain Map cleared past 5,000 keys rather than an lru-cache: it is read on
   * every list request (the REST benchmark's hot path, where one Map lookup is the whole cost), its keys are
   * routes × sports (a few hundred), so the clear never happens in use, and a cleared body is rebuilt anyway.
   */
  private readonly cache = new Map<string, { version: number; value: unknown }>();
  /** Log position of the last applied entry. */
  position: string | null = null;
  /** Increases with every applied change. */
  version = 0;
  /** Epoch ms of the last applied change. */
  lastChangeAt: number | null = null;

  /** Replaces the whole state with a store snapshot. */
  load(snapshot: StoreSnapshot): void {
    this.sports.clear();
    this.events.clear();
    this.markets.clear();
    this.marketsByEvent.clear();
    this.byUpstream.clear();
    this.eventVersions.clear();
    this.cache.clear();
    for (const s of snapshot.sports) this.sports.set(s.id, s);
    for (const e of snapshot.events) this.putEvent(e);
    for (const m of snapshot.markets) this.putMarket(m);
    this.position = snapshot.logPosition;
    this.version++;
    this.loadedAt = this.version;
  }

  /** Applies update-log entries in order and notifies listeners. Entries at or before `position` are skipped. */
  apply(entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      if (this.position !== null && compareIds(entry.id, this.position) <= 0) continue;
      const event = this.applyOne(entry);
      this.position = entry.id;
      this.version++;
      this.lastChangeAt = entry.ts;
      for (const l of this.listeners) l({ entry, event });
    }
  }

  /** Registers a listener for applied changes; returns the unsubscribe function. */
  onChange(listener: ReadModelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Finds an event by internal id or by an upstream id (the bfi first, then any source). */
  findEvent(id: string | number): Event | undefined {
    const key = String(id).trim();
    if (!/^\d{1,15}$/.test(key)) return this.findByAnyUpstream(key);
    const internal = this.events.get(Number(key));
    if (internal) return internal;
    for (const source of BETFAIR_ID_SOURCES) {
      const viaBfi = this.byUpstream.get(`${source}:${key}`);
      if (viaBfi !== undefined) return this.events.get(viaBfi);
    }
    return this.findByAnyUpstream(key);
  }

  /** The event known to `source` by `upstreamId`. */
  findByUpstream(source: string, upstreamId: string): Event | undefined {
    const id = this.byUpstream.get(`${source}:${upstreamId}`);
    return id === undefined ? undefined : this.events.get(id);
  }

  /** Markets of an event, in insertion order. */
  marketsOf(eventId: number): Market[] {
    const ids = this.marketsByEvent.get(eventId);
    if (!ids) return [];
    const out: Market[] = [];
    for (const id of ids) {
      const m = this.markets.get(id);
      if (m) out.push(m);
    }
    return out;
  }

  /** Events, optionally of one sport. */
  eventList(sportId?: number): Event[] {
    const out: Event[] = [];
    for (const e of this.events.values()) if (sportId === undefined || e.sportId === sportId) out.push(e);
    return out;
  }

  /** Version of a sport's slice of state (changes when any event or market of that sport changes). */
  sportVersion(sportId: number | undefined): number {
    if (sportId === undefined) return this.sportVersions.get(-1) ?? 0;
    return this.sportVersions.get(sportId) ?? 0;
  }

  /**
   * Version of one event's data: the event and its markets (changes when either does). Unique across
   * events and loads (it is the model's `version` when the event last changed), so it never repeats.
   */
  eventVersion(eventId: number): number {
    return this.eventVersions.get(eventId) ?? this.loadedAt;
  }

  /**
   * Pre-serialized responses: returns the cached body for `key` if built at `version`, else builds,
   * caches and returns it. Callers pass the version of the slice the body depends on.
   */
  serialized(key: string, version: number, build: () => string): string {
    return this.derived(key, version, build);
  }

  /**
   * A value derived from the state (a pre-rendered body), cached under `key`: the cached value when it
   * was built at `version` and `valid` (if given) accepts it, else `build()`'s, cached. Dropped on load().
   */
  derived<T>(key: string, version: number, build: () => T, valid?: (value: T) => boolean): T {
    const hit = this.cache.get(key);
    if (hit && hit.version === version && (!valid || valid(hit.value as T))) return hit.value as T;
    const value = build();
    if (this.cache.size > 5000) this.cache.clear();
    this.cache.set(key, { version, value });
    return value;
  }

  /** Keys of the derived values held. */
  derivedKeys(): IterableIterator<string> {
    return this.cache.keys();
  }

  private applyOne(entry: LogEntry): Event | undefined {
    const c = entry.change;
    switch (c.type) {
      case 'sport':
        this.sports.set(c.sport.id, c.sport);
        this.bump(c.sport.id);
        return undefined;
      case 'event':
        this.putEvent(c.event);
        this.bump(c.event.sportId, c.event.id);
        return c.event;
      case 'market': {
        this.putMarket(c.market);
        const ev = this.events.get(c.market.eventId);
        this.bump(ev?.sportId, c.market.eventId);
        return ev;
      }
      case 'marketRemoved': {
        this.markets.delete(c.marketId);
        this.marketsByEvent.get(c.eventId)?.delete(c.marketId);
        const ev = this.events.get(c.eventId);
        this.bump(ev?.sportId, c.eventId);
        return ev;
      }
      case 'eventRemoved':
        return this.removeEvent(c.eventId);
      case 'result':
        return this.events.get(c.result.eventId);
      case 'score':
        return this.events.get(c.eventId);
      case 'notice':
        return undefined;
    }
  }

  private putEvent(e: Event): void {
    const prev = this.events.get(e.id);
    if (prev) for (const [s, u] of Object.entries(prev.upstreamIds)) this.byUpstream.delete(`${s}:${u}`);
    this.events.set(e.id, e);
    for (const [s, u] of Object.entries(e.upstreamIds)) this.byUpstream.set(`${s}:${u}`, e.id);
  }

  private putMarket(m: Market): void {
    const prev = this.markets.get(m.id);
    if (prev && prev.eventId !== m.eventId) {
      this.marketsByEvent.get(prev.eventId)?.delete(m.id);
      this.eventVersions.set(prev.eventId, this.version + 1);
    }
    this.markets.set(m.id, m);
    let set = this.marketsByEvent.get(m.eventId);
    if (!set) this.marketsByEvent.set(m.eventId, (set = new Set()));
    set.add(m.id);
  }

  private removeEvent(eventId: number): Event | undefined {
    const ev = this.events.get(eventId);
    for (const id of this.marketsByEvent.get(eventId) ?? []) this.markets.delete(id);
    this.marketsByEvent.delete(eventId);
    // Forgotten with the event (bounded); nothing is served for it until it comes back with a new version.
    this.eventVersions.delete(eventId);
    if (ev) {
      for (const [s, u] of Object.entries(ev.upstreamIds)) this.byUpstream.delete(`${s}:${u}`);
      this.events.delete(eventId);
      this.bump(ev.sportId);
    }
    return ev;
  }

  private findByAnyUpstream(key: string): Event | undefined {
    for (const [k, id] of this.byUpstream)
      if (k.slice(k.indexOf(':') + 1) === key) return this.events.get(id);
    return undefined;
  }

  /** Moves the versions an applied change touches (`version + 1`: the version it is applied as). */
  private bump(sportId: number | undefined, eventId?: number): void {
    if (eventId !== undefined) this.eventVersions.set(eventId, this.version + 1);
    this.sportVersions.set(-1, (this.sportVersions.get(-1) ?? 0) + 1);
    if (sportId !== undefined) this.sportVersions.set(sportId, (this.sportVersions.get(sportId) ?? 0) + 1);
  }
}
