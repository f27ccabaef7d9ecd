/** Called when a client asks for an event's live data (subscribe to its room, get_odds). */
export type DemandListener = (eventId: number) => void;

const MAX_TRACKED = 20_000;

/**
 * Demand for per-event live data: the broker touches an event when a client subscribes to its room, and
 * a source that streams events on demand (the Betfair source) listens. With no listener it does nothing.
 */
export class DemandRegistry {
  private readonly listeners = new Set<DemandListener>();
  private readonly touched = new Map<number, number>();

  /** Records demand for an event and tells the listeners. */
  touch(eventId: number): void {
    this.touched.delete(eventId);
    this.touched.set(eventId, Date.now());
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
