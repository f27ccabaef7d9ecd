import { ErrorCode } from './close-codes.js';

/**
 * Client → server frames (seed 001 "Client → Server actions", plus `ping`, `login` and the additive
 * `since`/`snapshot` of `subscribe`). Parsing is strict about types and lenient about extra fields.
 */

/** A correlation id a client may attach to any action; echoed in the reply. */
export type RequestId = string | number;

/** A parsed client action. */
export type ClientAction =
  | { action: 'subscribe'; room: string; since?: number; snapshot?: boolean; id?: RequestId }
  | { action: 'unsubscribe'; room: string; id?: RequestId }
  | { action: 'get_stats'; id?: RequestId }
  | { action: 'get_matches'; id?: RequestId }
  | { action: 'get_odds'; matchId: string; id?: RequestId }
  | { action: 'ping'; id?: RequestId }
  | { action: 'login'; apiKey: string; id?: RequestId };

/** Why a frame was refused: the error reply's code and text. */
export interface ProtocolError {
  code: ErrorCode;
  error: string;
  id?: RequestId;
  action?: string;
  /** RATE_LIMITED: seconds until the key's window renews. */
  retryAfter?: number;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function requestId(v: unknown): RequestId | undefined {
  if (typeof v === 'string' && v.length <= 64) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return undefined;
}

function withId<T extends object>(obj: T, id: RequestId | undefined): T & { id?: RequestId } {
  return id === undefined ? obj : { ...obj, id };
}

function parseSubscribe(f: Record<string, unknown>, id: RequestId | undefined): ClientAction | ProtocolError {
  if (typeof f.room !== 'string') return { code: ErrorCode.BAD_ROOM, error: 'room must be a string', id };
  const out: ClientAction = withId({ action: 'subscribe' as const, room: f.room }, id);
  if (f.since !== undefined && f.since !== null) {
    const since = typeof f.since === 'string' && /^\d{1,15}$/.test(f.since) ? Number(f.since) : f.since;
    if (typeof since !== 'number' || !Number.isSafeInteger(since) || since < 0) {
      return { code: ErrorCode.BAD_SINCE, error: 'since must be a non-negative integer', id };
    }
    out.since = since;
  }
  if (f.snapshot === true) out.snapshot = true;
  return out;
}

/** Parses one text frame into an action, or the protocol error to reply with. */
export function parseClientFrame(text: string): ClientAction | ProtocolError {
  let f: unknown;
  try {
    f = JSON.parse(text);
  } catch {
    return { code: ErrorCode.BAD_JSON, error: 'frame is not valid JSON' };
  }
  if (!isRecord(f) || typeof f.action !== 'string') {
    return { code: ErrorCode.BAD_FRAME, error: 'frame must be an object with a string "action"' };
  }
  const id = requestId(f.id);
  switch (f.action) {
    case 'subscribe':
      return parseSubscribe(f, id);
    case 'unsubscribe':
      if (typeof f.room !== 'string') return { code: ErrorCode.BAD_ROOM, error: 'room must be a string', id };
      return withId({ action: 'unsubscribe' as const, room: f.room }, id);
    case 'get_stats':
    case 'get_matches':
    case 'ping':
      return withId({ action: f.action } as ClientAction, id);
    case 'get_odds':
      if (typeof f.matchId !== 'string' && typeof f.matchId !== 'number') {
        return {
          code: ErrorCode.BAD_FRAME,
          error: 'matchId must be a string or number',
          id,
          action: f.action,
        };
      }
      return withId({ action: 'get_odds' as const, matchId: String(f.matchId) }, id);
    case 'login':
      if (typeof f.apiKey !== 'string') {
        return { code: ErrorCode.BAD_FRAME, error: 'apiKey must be a string', id, action: f.action };
      }
      return withId({ action: 'login' as const, apiKey: f.apiKey }, id);
    default:
      return { code: ErrorCode.UNKNOWN_ACTION, error: `unknown action "${f.action.slice(0, 40)}"`, id };
  }
}

/** True when parseClientFrame refused the frame. */
export function isProtocolError(v: ClientAction | ProtocolError): v is ProtocolError {
  return 'code' in v;
}
