import type { Change } from '../model/index.js';

/**
 * Immutable stored values. The MemoryStore keeps the objects it is given instead of encoded copies, so
 * one market object is shared by ingest, the store (state and update log) and the read model. Sharing is
 * safe only while nobody can change them: what the store keeps is deep-frozen, and a value that is not
 * deep-frozen already is copied (through JSON, as Redis would store it) before being frozen.
 */

/** Freezes `value` and everything reachable from it (plain objects and arrays); returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const v of value) deepFreeze(v);
  } else {
    for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  }
  if (!Object.isFrozen(value)) Object.freeze(value);
  return value;
}

/** True when `value` and everything reachable from it is frozen (primitives are). */
export function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (!isDeepFrozen(v)) return false;
  } else {
    for (const k in value) if (!isDeepFrozen((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** `value` itself when deep-frozen, else a deep-frozen JSON copy of it (undefined becomes null). */
export function frozenValue<T>(value: T): T {
  if (value === undefined) return null as T;
  if (isDeepFrozen(value)) return value;
  const json = JSON.stringify(value);
  return deepFreeze((json === undefined ? null : JSON.parse(json)) as T);
}

/** The stored form of a change: a new frozen change whose payload is shared when deep-frozen, else copied. */
export function frozenChange(change: Change): Change {
  const rooms = change.rooms ? { rooms: Object.freeze({ ...change.rooms }) } : {};
  let out: Change;
  switch (change.type) {
    case 'sport':
      out = { type: 'sport', sport: frozenValue(change.sport), ...rooms };
      break;
    case 'event':
      out = { type: 'event', event: frozenValue(change.event), ...rooms };
      break;
    case 'market':
      out = { type: 'market', market: frozenValue(change.market), ...rooms };
      break;
    case 'marketRemoved':
      out = { type: 'marketRemoved', marketId: change.marketId, eventId: change.eventId, ...rooms };
      break;
    case 'eventRemoved':
      out = { type: 'eventRemoved', eventId: change.eventId, ...rooms };
      break;
    case 'result':
      out = { type: 'result', result: frozenValue(change.result), ...rooms };
      break;
    case 'score':
      out = { type: 'score', eventId: change.eventId, score: frozenValue(change.score), ...rooms };
      break;
    case 'notice':
      out = { type: 'notice', name: change.name, data: frozenValue(change.data), ...rooms };
      break;
    default:
      throw new TypeError(`unknown change type: ${JSON.stringify((change as { type: unknown }).type)}`);
  }
  return Object.freeze(out);
}

/**
 * About how many bytes of heap a logged change holds once its value is no longer the current state (a
 * superseded market version kept only by the log). An estimate from the shape, not a measurement: it is
 * what the update log's byte bound counts.
 */
export function changeBytes(change: Change): number {
  switch (change.type) {
    case 'market': {
      let n = 400;
      for (const r of change.market.runners)
        n += 220 + 48 * (r.back.length + r.lay.length) + 2 * r.name.length;
      return n;
    }
    case 'event':
      return 600 + 2 * change.event.name.length;
    case 'result':
      return 500;
    case 'score':
    case 'notice':
      return 200 + 2 * (JSON.stringify(change.type === 'score' ? change.score : change.data)?.length ?? 0);
    default:
      return 120;
  }
}
