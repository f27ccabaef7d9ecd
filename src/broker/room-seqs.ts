import type { LogEntry } from '../model/index.js';
import type { Store } from '../store/types.js';

/** Store document holding the last committed seq of every room and the log position it is consistent with. */
export const ROOM_SEQS_DOC = 'broker:room-seqs';

/** The persisted form of the room counters. */
export interface RoomSeqsDoc {
  /** Update-log id of the last entry these seqs include (null: none). */
  position: string | null;
  seqs: Record<string, number>;
}

const PAGE = 1000;
/** Upper bound of pages read by one scan (the log is bounded; this only stops a runaway loop). */
const MAX_PAGES = 5000;

/** Raises `seqs` with the rooms of one log entry. */
export function noteEntrySeqs(seqs: Map<string, number>, entry: LogEntry): void {
  const rooms = entry.change.rooms;
  if (!rooms) return;
  for (const room in rooms) {
    const seq = rooms[room] as number;
    if (seq > (seqs.get(room) ?? 0)) seqs.set(room, seq);
  }
}

/**
 * The last seq of every room as of now: the persisted document, raised by every log entry after its
 * position (the whole kept log when there is no document). Counters therefore never go backwards across
 * restarts, even when the document lags the log.
 */
export async function loadRoomSeqs(
  store: Store,
): Promise<{ seqs: Map<string, number>; position: string | null }> {
  const doc = await store.getDoc<RoomSeqsDoc>(ROOM_SEQS_DOC);
  const seqs = new Map<string, number>();
  for (const [room, seq] of Object.entries(doc?.seqs ?? {})) if (Number.isInteger(seq)) seqs.set(room, seq);
  let position = doc?.position ?? null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const entries = await store.readLog(position, PAGE);
    for (const e of entries) noteEntrySeqs(seqs, e);
    const last = entries[entries.length - 1];
    if (last) position = last.id;
    if (entries.length < PAGE) break;
  }
  return { seqs, position };
}

/** Persists the counters with the log position they include. */
export async function saveRoomSeqs(
  store: Store,
  seqs: Map<string, number>,
  position: string | null,
): Promise<void> {
  const doc: RoomSeqsDoc = { position, seqs: Object.fromEntries(seqs) };
  await store.setDoc(ROOM_SEQS_DOC, doc);
}
