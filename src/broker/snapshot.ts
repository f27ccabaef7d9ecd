import type { Change, Event, Market } from '../model/index.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { ScoreBoard } from '../read-model/score-board.js';
import { frameMessage } from './frame.js';
import { messageHead, pushType, renderBodyParts } from './messages.js';
import { ROOMS, type PushType, type RoomKind } from '../contracts/ws/registry.js';
import { marketKind, roomKindOf } from './rooms.js';
import { matchList } from './notices.js';

/** What a snapshot is built from: the current state, the latest scores and the current arbitrages. */
export interface SnapshotSource {
  readModel: ReadModel;
  scores: ScoreBoard;
  /** The current arbitrages, rendered as GET /api/v1/feed/arbs lists them, best edge first. */
  arbs: () => readonly unknown[];
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
    /** The push types the registry declares for this room's snapshot (ROOMS[kind].snapshot). */
    private readonly allowed: ReadonlySet<PushType>,
  ) {}

  add(change: Change, event: Event | undefined): void {
    const type = pushType(change, this.room);
    if (!type || !this.allowed.has(type)) return;
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
 * What a snapshot of each room kind holds (declared in ROOMS[kind].snapshot of the message registry):
 * one producer per room kind, so a new room does not compile without its snapshot.
 */
const SNAPSHOTS: Readonly<Record<RoomKind, (b: SnapshotBuilder, id: string, src: SnapshotSource) => void>> = {
  market: (b, id, { readModel: rm }) => {
    const m = rm.markets.get(id);
    if (m) b.market(m, rm.events.get(m.eventId));
  },
  event: (b, id, { readModel: rm }) => {
    const e = rm.events.get(Number(id));
    if (e) b.event(e);
  },
  sport: (b, id, { readModel: rm }) => {
    for (const e of rm.eventList(Number(id))) b.event(e);
  },
  all: (b, _id, { readModel: rm }) => {
    for (const e of rm.events.values()) b.event(e);
  },
  odds: (b, _id, { readModel: rm }) => {
    for (const m of rm.markets.values())
      if (marketKind(m.type) === 'odds') b.market(m, rm.events.get(m.eventId));
  },
  matches: (b, _id, { readModel: rm }) => {
    b.add({ type: 'notice', name: 'matches_updated', data: matchList(rm) }, undefined);
  },
  arbs: (b, _id, src) => {
    for (const arb of src.arbs()) b.add({ type: 'notice', name: 'arb_opened', data: arb }, undefined);
  },
};

/**
 * The current state of a room as framed messages (what a client gets after `subscribed` with
 * `snapshot:true`, or after `{"type":"recovery","recovered":false}`), all stamped with the room's seq and
 * `snapshot: true`; ROOMS[kind].snapshotDoc says what each holds.
 */
export function snapshotMessages(room: string, seq: number, src: SnapshotSource): Buffer[] {
  const kind = roomKindOf(room);
  if (kind === null) return [];
  const b = new SnapshotBuilder(room, seq, src, new Set(ROOMS[kind].snapshot));
  SNAPSHOTS[kind](b, room.slice(room.indexOf(':') + 1), src);
  return b.out;
}
