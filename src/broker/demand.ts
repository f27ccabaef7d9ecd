/** Called when a client asks for an event's live data (subscribe to its room, get_odds). */
export type DemandListener = (eventId: number) => void;

const MAX_TRACKED = 20_000;
/** Listeners hear of one event at most this often (ms); its last touch is always recorded. */
const TELL_EVERY_MS = 1000;

/** When an event was last asked for, and when the listeners were last told of it (epoch ms). */
interface Touch {
  at: number;
  told: number;
}

/**
 * Demand for per-event live data: the broker touches an event when a client subscribes to its room, and
 * a source that streams events on demand (the Betfair source) listens. With no listener it does nothing.
 */
export class DemandRegistry {
  private readonly listeners = new Set<DemandListener>();
  /** Oldest told first (the bound drops the event told of longest ago). */
  private readonly touched = new Map<number, Touch>();

  /**
   * Records demand for an event, and tells the listeners unless they heard of it within the last second:
   * demand expires over minutes, and every /event/:id/odds request touches its event (re-ordering the map
   * and calling the listeners per request was ~2% of that route's CPU).
   */
  touch(eventId: number): void {
    const now = Date.now();
    const t = this.touched.get(eventId);
    if (t !== undefined && now - t.told < TELL_EVERY_MS && now >= t.told) {
      t.at = now;
      return;
    }
    this.touched.delete(eventId);
    this.touched.set(eventId, { at: now, told: now });
    if (this.touched.size > MAX_TRACKED) {
      const oldest = this.touched.keys().next();
      if (!oldest.done) this.touched.delete(oldest.value);
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
