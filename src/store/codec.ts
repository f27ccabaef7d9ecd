import type { Change, LogEntry, Result } from '../model/index.js';
import { parseLogId } from './log-id.js';

/**
 * A change in its stored form, shared by both stores. `data` is the JSON that goes into the update log
 * and, for upserts, is also the stored state value, so a change is serialized exactly once.
 *
 * | type          | key        | data              | aux1            | aux2     |
 * |---------------|------------|-------------------|-----------------|----------|
 * | sport         | sport id   | Sport JSON        |                 |          |
 * | event         | event id   | Event JSON        |                 |          |
 * | market        | market id  | Market JSON       | event id        |          |
 * | marketRemoved | market id  | event id          |                 |          |
 * | eventRemoved  | event id   | ""                |                 |          |
 * | result        | event id   | Result JSON       | completedAt ms  | sport id |
 * | score         | event id   | score JSON        |                 |          |
 * | notice        | name       | data JSON         |                 |          |
 *
 * `rooms` is the JSON of the change's broker positions (Change.rooms), "" when it has none; it travels
 * in the log entry only (field `r` on Redis).
 */
export interface EncodedChange {
  type: Change['type'];
  key: string;
  data: string;
  aux1: string;
  aux2: string;
  rooms: string;
}

/** Epoch ms of a result's completion (0 when `completedAt` does not parse), the results index score. */
export function resultTimeMs(result: Result): number {
  const ms = Date.parse(result.completedAt);
  return Number.isFinite(ms) ? ms : 0;
}

/** Serializes a change once into its stored form. */
export function encodeChange(change: Change): EncodedChange {
  const base = {
    type: change.type,
    aux1: '',
    aux2: '',
    rooms: change.rooms ? JSON.stringify(change.rooms) : '',
  };
  switch (change.type) {
    case 'sport':
      return { ...base, key: String(change.sport.id), data: JSON.stringify(change.sport) };
    case 'event':
      return { ...base, key: String(change.event.id), data: JSON.stringify(change.event) };
    case 'market': {
      const m = change.market;
      return { ...base, key: m.id, data: JSON.stringify(m), aux1: String(m.eventId) };
    }
    case 'marketRemoved':
      return { ...base, key: change.marketId, data: String(change.eventId) };
    case 'eventRemoved':
      return { ...base, key: String(change.eventId), data: '' };
    case 'result': {
      const r = change.result;
      const json = JSON.stringify(r);
      return {
        ...base,
        key: String(r.eventId),
        data: json,
        aux1: String(resultTimeMs(r)),
        aux2: String(r.sportId),
      };
    }
    case 'score':
      return { ...base, key: String(change.eventId), data: JSON.stringify(change.score) ?? 'null' };
    case 'notice':
      return { ...base, key: change.name, data: JSON.stringify(change.data) ?? 'null' };
    default:
      throw new TypeError(`unknown change type: ${JSON.stringify((change as { type: unknown }).type)}`);
  }
}

/** Rebuilds a change from its stored form; throws on a type it does not know or bad JSON. */
export function decodeChange(type: string, key: string, data: string, rooms = ''): Change {
  const change = decodeBase(type, key, data);
  if (rooms !== '') change.rooms = JSON.parse(rooms) as Record<string, number>;
  return change;
}

function decodeBase(type: string, key: string, data: string): Change {
  switch (type) {
    case 'sport':
      return { type, sport: JSON.parse(data) as Extract<Change, { type: 'sport' }>['sport'] };
    case 'event':
      return { type, event: JSON.parse(data) as Extract<Change, { type: 'event' }>['event'] };
    case 'market':
      return { type, market: JSON.parse(data) as Extract<Change, { type: 'market' }>['market'] };
    case 'marketRemoved':
      return { type, marketId: key, eventId: Number(data) };
    case 'eventRemoved':
      return { type, eventId: Number(key) };
    case 'result':
      return { type, result: JSON.parse(data) as Result };
    case 'score':
      return { type, eventId: Number(key), score: JSON.parse(data) as unknown };
    case 'notice':
      return { type, name: key, data: JSON.parse(data) as unknown };
    default:
      throw new TypeError(`unknown change type in the update log: ${JSON.stringify(type)}`);
  }
}

/** A log entry from its id and stored form; `ts` is the id's millisecond part (the append time). */
export function decodeEntry(id: string, type: string, key: string, data: string, rooms = ''): LogEntry {
  return { id, ts: parseLogId(id).ms, change: decodeChange(type, key, data, rooms) };
}
