import type { Change, Event, Market } from '../model/index.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { ScoreBoard } from '../read-model/score-board.js';
import { frameMessage } from './frame.js';
import { messageHead, pushType, renderBodyParts } from './messages.js';
import { marketKind } from './rooms.js';
import { matchList } from './notices.js';

/** What a snapshot is built from: the current state and the latest scores. */
export interface SnapshotSource {
  readModel: ReadModel;
  scores: ScoreBoard;
}

const SNAPSHOT_FLAG = ',"snapshot":true';

/** Collects the messages of a snapshot (framed), all stamped with the room's current seq and `snapshot: true`. */
class SnapshotBuilder {
  readonly out: Buffer[] = [];
  private readonly ts = Date.now();

  constructor(
    private readonly room: string,
    private readonly seq: number,
    private readonly src: SnapshotSource,
  ) {}

  add(change: Change, event: Event | undefined): void {
    const type = pushType(change, this.room);
    if (!type) return;
    const head = messageHead(type, this.room, this.seq, this.ts, SNAPSHOT_FLAG);
    this.out.push(frameMessage(head, renderBodyParts(change, type, event)));
  }

  market(m: Market, event: Event | undefined): void {
    this.add({ type: 'market', market: m }, event);
  }

  /** The event (unless closed), its markets and its latest score. */
  event(e: Event): void {
    if (e.status !== 'CLOSED') this.add({ type: 'event', event: e }, e);
    for (const m of this.src.readModel.marketsOf(e.id)) this.market(m, e);
    const score = this.src.scores.get(e.id);
    if (score) this.add({ type: 'score', eventId: e.id, score: score.score }, e);
  }
}

/**
 * The current state of a room as framed messages (what a client that cannot be replayed gets after
 * `{"type":"recovery","recovered":false}`): for an event room the event, its markets and score; for a
 * market room the market; for a sport room or `all` every event of it; for `odds` every odds market
 * (`match_odds`); for `matches` one `matches_updated` with the current list.
 */
export function snapshotMessages(room: string, seq: number, src: SnapshotSource): Buffer[] {
  const b = new SnapshotBuilder(room, seq, src);
  const rm = src.readModel;
  const colon = room.indexOf(':');
  const kind = colon < 0 ? room : room.slice(0, colon);
  const id = room.slice(colon + 1);
  switch (kind) {
    case 'market': {
      const m = rm.markets.get(id);
      if (m) b.market(m, rm.events.get(m.eventId));
      break;
    }
    case 'event': {
      const e = rm.events.get(Number(id));
      if (e) b.event(e);
      break;
    }
    case 'sport':
      for (const e of rm.eventList(Number(id))) b.event(e);
      break;
    case 'all':
      for (const e of rm.events.values()) b.event(e);
      break;
    case 'odds':
      for (const m of rm.markets.values())
        if (marketKind(m.type) === 'odds') b.market(m, rm.events.get(m.eventId));
      break;
    case 'matches':
      b.add({ type: 'notice', name: 'matches_updated', data: matchList(rm) }, undefined);
      break;
  }
  return b.out;
}
