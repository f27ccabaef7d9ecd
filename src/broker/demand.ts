/** Called when a client asks for an event's live data (subscribe to its room, get_odds). */
export type DemandListener = (eventId: number) => void;

const MAX_TRACKED = 20_000;
/** An event touched again within this long keeps its place in the bound's order (ms). */
const REORDER_EVERY_MS = 1000;

/** When an event was last asked for, and when it last moved to the newest end of the bound's order. */
interface Touch {
  at: number;
  placed: number;
}

/**
 * Demand for per-event live data: the broker touches an event when a client subscribes to its room, and
 * a source that streams events on demand (the Betfair source) listens. With no listener it does nothing.
 * Listeners hear every touch; each throttles what it does with them (EventThrottle).
 */
export class DemandRegistry {
  private readonly listeners = new Set<DemandListener>();
  /** Least recently placed first (the bound drops that one). */
  private readonly touched = new Map<number, Touch>();

  /**
   * Records demand for an event and tells the listeners. Every /event/:id/odds request touches its event,
   * so an event touched again within a second only has its time updated, in place: moving it to the end of
   * the map on every request was ~2% of that route's CPU.
   */
  touch(eventId: number): void {
    const now = Date.now();
    const t = this.touched.get(eventId);
    if (t !== undefined && now >= t.placed && now - t.placed < REORDER_EVERY_MS) t.at = now;
    else {
      this.touched.delete(eventId);
      this.touched.set(eventId, { at: now, placed: now });
      if (this.touched.size > MAX_TRACKED) {
        const oldest = this.touched.keys().next();
        if (!oldest.done) this.touched.delete(oldest.value);
      }
    }
    for (const l of this.listeners) l(eventId);
  }

  /** When an event was last asked for (epoch ms), if ever. */
  lastTouched(eventId: number): number | undefined {
    return this.touched.get(eventId)?.at;
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
  private readonly last = new Map<number, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max = MAX_TRACKED,
  ) {}

  /** True unless `eventId` was marked within the window before `now` (a clock set back counts as passed). */
  due(eventId: number, now: number): boolean {
    const last = this.last.get(eventId);
    return last === undefined || now < last || now - last >= this.windowMs;
  }

  /** Marks `eventId` as done at `now`. */
  mark(eventId: number, now: number): void {
    this.last.delete(eventId);
    this.last.set(eventId, now);
    if (this.last.size > this.max) {
      const oldest = this.last.keys().next();
      if (!oldest.done) this.last.delete(oldest.value);
    }
  }

  /** Forgets `eventId` (due at once). */
  forget(eventId: number): void {
    this.last.delete(eventId);
  }
}
