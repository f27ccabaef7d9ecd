import {
  ACTIONS,
  type ActionName,
  type ActionSpec,
  type ClientAction as RegistryAction,
} from '../contracts/ws/registry.js';
import { ErrorCode } from './close-codes.js';

/**
 * Client → server frames, parsed with the action schemas of the message registry (src/contracts/ws): seed
 * 001 "Client → Server actions", plus `ping`, `login` and the additive `since`/`snapshot`/`epoch` of
 * `subscribe`. Parsing is strict about types and lenient about extra fields; a refused field gets the
 * error code the registry declares for it (BAD_ROOM, BAD_SINCE), any other BAD_FRAME.
 */

/** A correlation id a client may attach to any action; echoed in the reply. */
export type RequestId = string | number;

/** A parsed client action (absent and null fields dropped). */
export type ClientAction = RegistryAction extends infer A
  ? A extends unknown
    ? { [K in keyof A]: Exclude<A[K], null> }
    : never
  : never;

/** Why a frame was refused: the error reply's code and text. */
export interface ProtocolError {
  code: ErrorCode;
  error: string;
  id?: RequestId | undefined;
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

/** What each field must be, for the error text. */
const FIELD_TEXT: Readonly<Record<string, string>> = {
  room: 'room must be a string',
  since: 'since must be a non-negative integer',
  matchId: 'matchId must be a string or number',
  apiKey: 'apiKey must be a string',
};

/** Drops absent and null fields and a `snapshot` that is not true (only `true` asks for one). */
function clean(parsed: Record<string, unknown>): ClientAction {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (v === undefined || v === null) continue;
    if (k === 'snapshot' && v !== true) continue;
    out[k] = v;
  }
  return out as ClientAction;
}

function parseAction(
  name: ActionName,
  f: Record<string, unknown>,
  id: RequestId | undefined,
): ClientAction | ProtocolError {
  const spec: ActionSpec = ACTIONS[name];
  const res = spec.schema.safeParse(f);
  if (res.success) return clean(res.data as Record<string, unknown>);
  const field = String(res.error.issues[0]?.path[0] ?? '');
  const code = spec.fieldErrors?.[field] ?? ErrorCode.BAD_FRAME;
  const error = FIELD_TEXT[field] ?? `invalid ${field || 'frame'}`;
  return code === ErrorCode.BAD_FRAME ? { code, error, id, action: name } : { code, error, id };
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
  if (!Object.hasOwn(ACTIONS, f.action)) {
    return { code: ErrorCode.UNKNOWN_ACTION, error: `unknown action "${f.action.slice(0, 40)}"`, id };
  }
  return parseAction(f.action as ActionName, f, id);
}

/** True when parseClientFrame refused the frame. */
export function isProtocolError(v: ClientAction | ProtocolError): v is ProtocolError {
  return 'code' in v;
}
