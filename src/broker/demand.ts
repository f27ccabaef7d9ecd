import { LRUCache } from 'lru-cache';
/** Called when a client asks for an event's live data (subscribe to its room, get_odds). */
export type DemandListener = (eventId: number) => void;

const MAX_TRACKED = 20_000;

/**
 * Demand for per-event live data: the broker touches an event when a client subscribes to its room, and
 * a source that streams events on demand (the Betfair source) listens. With no listener it does nothing.
 * Listeners hear every touch; each throttles what it does with them (EventThrottle).
 */
export class DemandRegistry {
  private readonly listeners = new Set<DemandListener>();
  /**
   * When each event was last asked for; least recently touched first (the bound drops that one). Every
   * /event/:id/odds request touches its event: lru-cache moves an entry to the newest end in O(1) (an index
   * list, no Map delete and re-insert, which was ~2% of that route's CPU).
   */
  private readonly touched = new LRUCache<number, number>({ max: MAX_TRACKED });

  /** Records demand for an event and tells the listeners. */
  touch(eventId: number): void {
    this.touched.set(eventId, Date.now());
    for (const l of this.listeners) l(eventId);
  }

  /** When an event was last asked for (epoch ms), if ever. */
  lastTouched(eventId: number): number | undefined {
    return this.touched.peek(eventId);
  }

  /** Registers a listener; returns the function that removes it. */
  onDemand(listener: DemandListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * "At most once per window" per event, for what a demand listener does with a touch (forward it to the
 * sources, relay it to other instances). Bounded: beyond `max` events the one marked longest ago is
 * forgotten (it is then simply due again).
 */
export class EventThrottle {
  /** When each event was last marked; least recently marked first. */
  private readonly last: LRUCache<number, number>;

  constructor(
    private readonly windowMs: number,
    max = MAX_TRACKED,
  ) {
    this.last = new LRUCache({ max });
  }

  /** True unless `eventId` was marked within the window before `now` (a clock set back counts as passed). */
  due(eventId: number, now: number): boolean {
    const last = this.last.peek(eventId);
    return last === undefined || now < last || now - last >= this.windowMs;
  }

  /** Marks `eventId` as done at `now`. */
  mark(eventId: number, now: number): void {
    this.last.set(eventId, now);
  }

  /** Forgets `eventId` (due at once). */
  forget(eventId: number): void {
    this.last.delete(eventId);
  }
}
