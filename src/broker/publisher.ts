import type { AppLogger as Logger } from '../logger.js';
import type { Change, Event, LogEntry } from '../model/index.js';
import { compareIds, type ReadModel, type ReadModelChange } from '../read-model/read-model.js';
import type { Store } from '../store/types.js';
import { ScoreBoard } from '../read-model/score-board.js';
import { frameMessage } from './frame.js';
import type { RoomHub } from './hub.js';
import { messageHead, pushType, renderBodyParts, type Body } from './messages.js';
import type { RoomHistory } from './room-history.js';
import { loadRoomSeqs } from './room-seqs.js';
import { goneRoom } from './sequencer.js';

const BACKFILL_PAGE = 1000;

/** What the publisher works with. */
export interface PublisherOptions {
  readModel: ReadModel;
  store: Store;
  logger: Logger;
  hub: RoomHub;
  history: RoomHistory;
  /** Seconds of history filled from the update log at boot. */
  recoveryWindowSec: number;
  /** Called for every event change before its messages are published (pending event rooms resolve). */
  onEvent: (e: Event) => void;
}

/**
 * Turns the read model's changes into room messages: each change goes to the rooms its stored `rooms`
 * field names, with those seqs; the message is kept in the room's history and, when the room has
 * subscribers, framed once and queued on every one of them.
 */
export class Publisher {
  /** The latest score of every event (snapshots carry it). */
  readonly scores = new ScoreBoard();
  /** Push messages queued to subscribers (one per recipient), for metrics. */
  messagesOut = 0;
  private booting: ReadModelChange[] | null = [];
  private readonly stopListening: () => void;

  constructor(private readonly opts: PublisherOptions) {
    this.stopListening = opts.readModel.onChange((c) => {
      if (this.booting) this.booting.push(c);
      else this.publish(c.entry, c.event, true);
    });
  }

  /** Fills the recovery window from the log up to `until`, loads the room seqs, then goes live. */
  async boot(until: string | null): Promise<void> {
    try {
      if (until !== null) await this.backfill(until);
      const { seqs } = await loadRoomSeqs(this.opts.store);
      for (const [room, seq] of seqs) this.opts.history.noteSeq(room, seq);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'broker history not filled from the update log');
    }
    const pending = this.booting ?? [];
    this.booting = null;
    for (const c of pending) this.publish(c.entry, c.event, true);
  }

  /** Stops listening to the read model. */
  stop(): void {
    this.stopListening();
  }

  /**
   * Publishes one log entry: for each room it names, the message is composed and kept in the room's
   * history, then framed once and queued on every subscriber.
   */
  private publish(entry: LogEntry, event: Event | undefined, live: boolean): void {
    const { hub, history } = this.opts;
    const change = entry.change;
    this.scores.onChange({ entry, event });
    if (change.type === 'event') this.opts.onEvent(change.event);
    const rooms = change.rooms;
    if (rooms) {
      let bodyType = '';
      let body: Body | null = null;
      for (const room in rooms) {
        const seq = rooms[room] as number;
        const type = pushType(change, room);
        if (!type) continue;
        if (body === null || type !== bodyType) {
          // rendered once per change and type (market data once per change), framed per room from its parts
          body = renderBodyParts(change, type, event);
          bodyType = type;
        }
        history.append(room, seq, entry.ts, type, body);
        if (live && hub.has(room)) {
          this.messagesOut += hub.publish(room, frameMessage(messageHead(type, room, seq, entry.ts), body));
        }
      }
    }
    const gone = goneRoom(change);
    if (gone) history.forget(gone);
  }

  private async backfill(until: string): Promise<void> {
    const windowMs = this.opts.recoveryWindowSec * 1000;
    let after: string | null = `${Math.max(0, Date.now() - windowMs)}-0`;
    for (;;) {
      const page = await this.opts.store.readLog(after, BACKFILL_PAGE);
      for (const e of page) {
        if (compareIds(e.id, until) > 0) return;
        this.publish(e, this.eventOf(e.change), false);
      }
      const last = page[page.length - 1];
      if (!last || page.length < BACKFILL_PAGE) return;
      after = last.id;
    }
  }

  private eventOf(change: Change): Event | undefined {
    const rm = this.opts.readModel;
    switch (change.type) {
      case 'event':
        return change.event;
      case 'market':
        return rm.events.get(change.market.eventId);
      case 'marketRemoved':
      case 'score':
        return rm.events.get(change.eventId);
      case 'result':
        return rm.events.get(change.result.eventId);
      default:
        return undefined;
    }
  }
}
