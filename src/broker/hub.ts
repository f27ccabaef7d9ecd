import type { ClientConnection } from './connection.js';
import { WriteBatch } from './write-batch.js';

/**
 * Room → connections. Knows nothing about messages or sockets beyond handing a shared frame to each
 * member's writer.
 */
export class RoomHub {
  private readonly rooms = new Map<string, Set<ClientConnection>>();
  private batches = new Map<string, WriteBatch>();

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

  /** Queues the same frame on every member of a room (in the room's batch of this turn); returns how many. */
  publish(room: string, frame: Buffer): number {
    const set = this.rooms.get(room);
    if (!set) return 0;
    let batch = this.batches.get(room);
    if (!batch) this.batches.set(room, (batch = new WriteBatch()));
    batch.add(frame);
    for (const conn of set) conn.enqueue(frame, batch);
    return set.size;
  }

  /** Starts a new turn: later publishes go to fresh batches (call before flushing connections). */
  endTurn(): void {
    if (this.batches.size > 0) this.batches = new Map();
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
