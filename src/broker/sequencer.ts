import type { AppLogger as Logger } from '../logger.js';
import type { CommitSequencer } from '../ingest/ingest.js';
import type { Change, Event } from '../model/index.js';
import type { ReadModel, ReadModelChange } from '../read-model/read-model.js';
import type { Store } from '../store/types.js';
import { roomsFor, type RoomContext } from './rooms.js';
import { loadRoomSeqs, noteEntrySeqs, saveRoomSeqs } from './room-seqs.js';

/** Options of RoomSequencer.create. */
export interface RoomSequencerOptions {
  store: Store;
  readModel: ReadModel;
  logger: Logger;
  /** How often committed counters are persisted (when they changed). */
  persistMs: number;
}

/**
 * Assigns per-room seqs to changes right before the single ingest writer commits them (Change.rooms),
 * so every instance publishes each change with the same seqs. A room's seq starts at 1 and grows by 1
 * per message. Counters survive restarts: they are persisted periodically with `store.setDoc` and, at
 * boot, raised by scanning the update log, so they never go backwards.
 *
 * Every instance runs one and observes the log: an instance that is not writing keeps its counters and
 * room context current, so it can take over as the writer without reusing a seq.
 */
export class RoomSequencer implements CommitSequencer {
  private readonly seqs: Map<string, number>;
  private readonly committed: Map<string, number>;
  private readonly events = new Map<number, Event>();
  private readonly marketTypes = new Map<string, string>();
  private readonly removed = new Set<number>();
  private position: string | null;
  private writer = false;
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private stopObserving: (() => void) | null = null;

  private constructor(
    private readonly opts: RoomSequencerOptions,
    loaded: { seqs: Map<string, number>; position: string | null },
  ) {
    this.seqs = new Map(loaded.seqs);
    this.committed = new Map(loaded.seqs);
    this.position = loaded.position;
    for (const e of opts.readModel.events.values()) {
      this.events.set(e.id, e);
      if (e.status === 'CLOSED') this.removed.add(e.id);
    }
    for (const m of opts.readModel.markets.values()) this.marketTypes.set(m.id, m.type);
  }

  /** Loads the counters (document + log scan), starts observing the log and persisting. */
  static async create(opts: RoomSequencerOptions): Promise<RoomSequencer> {
    const seq = new RoomSequencer(opts, await loadRoomSeqs(opts.store));
    seq.stopObserving = opts.readModel.onChange((c) => seq.observe(c));
    seq.timer = setInterval(() => void seq.persist(), opts.persistMs);
    seq.timer.unref();
    return seq;
  }

  /** CommitSequencer: sets `rooms` on each change; the returned function restores everything. */
  assign(changes: Change[]): () => void {
    this.writer = true;
    const undo: (() => void)[] = [];
    for (const change of changes) {
      const rooms = roomsFor(change, this.contextOf(change));
      this.updateContext(change, undo);
      if (rooms.length === 0) continue;
      const assigned: Record<string, number> = {};
      for (const room of rooms) {
        const prev = this.seqs.get(room) ?? 0;
        assigned[room] = prev + 1;
        this.seqs.set(room, prev + 1);
        undo.push(() => this.seqs.set(room, prev));
      }
      change.rooms = assigned;
      undo.push(() => delete change.rooms);
    }
    return () => {
      for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)();
    };
  }

  /** The last seq assigned (or seen) for a room. */
  current(room: string): number {
    return this.seqs.get(room) ?? 0;
  }

  /** Persists the committed counters if they changed. Errors are logged, never thrown. */
  async persist(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    try {
      await saveRoomSeqs(this.opts.store, this.committed, this.position);
    } catch (err) {
      this.dirty = true;
      this.opts.logger.warn({ err: (err as Error).message }, 'room seqs not persisted; will retry');
    }
  }

  /** Stops observing and persists a last time. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stopObserving?.();
    await this.persist();
  }

  private observe({ entry }: ReadModelChange): void {
    noteEntrySeqs(this.committed, entry);
    noteEntrySeqs(this.seqs, entry);
    this.position = entry.id;
    this.dirty = true;
    if (!this.writer) this.updateContext(entry.change, null);
    const gone = goneRoom(entry.change);
    if (gone) {
      this.seqs.delete(gone);
      this.committed.delete(gone);
    }
  }

  private contextOf(change: Change): RoomContext {
    switch (change.type) {
      case 'market':
        return { event: this.eventOf(change.market.eventId) };
      case 'marketRemoved':
        return { event: this.eventOf(change.eventId), marketType: this.marketTypes.get(change.marketId) };
      case 'event':
        return {
          event: change.event,
          prev: this.events.get(change.event.id),
          removed: this.removed.has(change.event.id),
        };
      case 'result':
        return {
          event: this.eventOf(change.result.eventId),
          removed: this.removed.has(change.result.eventId),
        };
      case 'score':
        return { event: this.eventOf(change.eventId) };
      default:
        return { event: undefined };
    }
  }

  private eventOf(id: number): Event | undefined {
    return this.events.get(id) ?? this.opts.readModel.events.get(id);
  }

  /** Applies a change to the room context; with `undo`, records how to restore it. */
  private updateContext(change: Change, undo: (() => void)[] | null): void {
    const keep = <K, V>(map: Map<K, V>, key: K) => {
      if (!undo) return;
      const had = map.has(key);
      const old = map.get(key) as V;
      undo.push(() => (had ? map.set(key, old) : map.delete(key)));
    };
    const mark = (id: number, on: boolean) => {
      if (undo && this.removed.has(id) !== on)
        undo.push(() => (on ? this.removed.delete(id) : this.removed.add(id)));
      if (on) this.removed.add(id);
      else this.removed.delete(id);
    };
    switch (change.type) {
      case 'event':
        keep(this.events, change.event.id);
        this.events.set(change.event.id, change.event);
        if (change.event.status === 'CLOSED') mark(change.event.id, true);
        return;
      case 'market':
        keep(this.marketTypes, change.market.id);
        this.marketTypes.set(change.market.id, change.market.type);
        return;
      case 'marketRemoved':
        keep(this.marketTypes, change.marketId);
        this.marketTypes.delete(change.marketId);
        return;
      case 'result':
        mark(change.result.eventId, true);
        return;
      case 'eventRemoved':
        keep(this.events, change.eventId);
        this.events.delete(change.eventId);
        mark(change.eventId, false);
        return;
      default:
        return;
    }
  }
}

/** The room of a market or event that left the state for good (its counter is no longer needed). */
export function goneRoom(change: Change): string | null {
  if (change.type === 'marketRemoved') return `market:${change.marketId}`;
  if (change.type === 'eventRemoved') return `event:${change.eventId}`;
  return null;
}
