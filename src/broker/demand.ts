/** Called when a client asks for an event's live data (subscribe to its room, get_odds). */
export type DemandListener = (eventId: number) => void;

const MAX_TRACKED = 20_000;
/** Touches of one event closer together than this count once. */
const REPEAT_MS = 1000;

/**
 * Demand for per-event live data: the broker touches an event when a client subscribes to its room, and
 * a source that streams events on demand (the Betfair source) listens. With no listener it does nothing.
 */
export class DemandRegistry {
  private readonly listeners = new Set<DemandListener>();
  private readonly touched = new Map<number, number>();

  /**
   * Records demand for an event and tells the listeners. Repeats within a second are not recorded again
   * (demand expires over minutes; every /event/:id/odds request touches its event, and re-ordering the map
   * per request was ~2% of that route's CPU).
   */
  touch(eventId: number): void {
    const now = Date.now();
    const last = this.touched.get(eventId);
    if (last !== undefined && now - last < REPEAT_MS && now >= last) return;
    this.touched.delete(eventId);
    this.touched.set(eventId, now);
    if (this.touched.size > MAX_TRACKED) {
      const oldest = this.touched.keys().next();
      if (!oldest.done) this.touched.delete(oldest.value);
    }
    for (const l of this.listeners) l(eventId);
  }

  /** When an event was last asked for (epoch ms), if ever. */
  lastTouched(eventId: number): number | undefined {
    return this.touched.get(eventId);
  }

  /** Registers a listener; returns the function that removes it. */
  onDemand(listener: DemandListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
