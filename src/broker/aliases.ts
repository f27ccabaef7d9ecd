import type { Event } from '../model/index.js';
import type { ClientConnection } from './connection.js';

/**
 * Subscribers of `event:<id>` rooms whose event is not known yet, by the id they asked for (an internal
 * id not seen yet, or an upstream id). When the event appears they are moved to its canonical room.
 */
export class PendingEventRooms {
  private readonly byId = new Map<string, Set<ClientConnection>>();

  /** Ids somebody is waiting for. */
  get size(): number {
    return this.byId.size;
  }

  /** `conn` waits in room `event:<id>`. */
  add(id: string, conn: ClientConnection): void {
    let set = this.byId.get(id);
    if (!set) this.byId.set(id, (set = new Set()));
    set.add(conn);
  }

  /** `conn` left `room` (nothing happens unless it is an event room somebody waits in). */
  remove(conn: ClientConnection, room: string): void {
    if (!room.startsWith('event:')) return;
    const id = room.slice(6);
    const set = this.byId.get(id);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.byId.delete(id);
  }

  /**
   * Takes out the waiters for any of the event's ids other than its canonical room: [the room they asked
   * for, the connections], the caller moves them.
   */
  take(e: Event): [string, Set<ClientConnection>][] {
    const out: [string, Set<ClientConnection>][] = [];
    const canonical = String(e.id);
    for (const id of [canonical, ...Object.values(e.upstreamIds)]) {
      const set = this.byId.get(id);
      if (!set || id === canonical) continue;
      this.byId.delete(id);
      out.push([`event:${id}`, set]);
    }
    return out;
  }
}
