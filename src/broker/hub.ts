import type { ClientConnection } from './connection.js';

/**
 * Room → connections. Knows nothing about messages or sockets beyond handing a shared frame to each
 * member's writer.
 */
export class RoomHub {
  private readonly rooms = new Map<string, Set<ClientConnection>>();

  /** Adds a connection to a room; false when it was already a member. */
  add(room: string, conn: ClientConnection): boolean {
    let set = this.rooms.get(room);
    if (!set) this.rooms.set(room, (set = new Set()));
    if (set.has(conn)) return false;
    set.add(conn);
    return true;
  }

  /** Removes a connection from a room; forgets the room when it empties. */
  remove(room: string, conn: ClientConnection): void {
    const set = this.rooms.get(room);
    if (!set) return;
    set.delete(conn);
    if (set.size === 0) this.rooms.delete(room);
  }

  /** True when the room has at least one member. */
  has(room: string): boolean {
    return this.rooms.has(room);
  }

  /** Queues the same frame on every member of a room; returns how many got it. */
  publish(room: string, frame: Buffer): number {
    const set = this.rooms.get(room);
    if (!set) return 0;
    for (const conn of set) conn.enqueue(frame);
    return set.size;
  }

  /** Rooms with their member counts. */
  stats(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [room, set] of this.rooms) out[room] = set.size;
    return out;
  }

  /** Number of rooms with members. */
  get size(): number {
    return this.rooms.size;
  }
}
