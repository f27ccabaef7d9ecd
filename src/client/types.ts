/**
 * Message types of the oddsgate WebSocket protocol (/ws), as the client sees them: inferred from the
 * server's own message registry (src/contracts/ws/registry.ts), never copied. Pushes carry the Porqpine
 * fields plus `room`, `seq` (per room, +1 per message) and `ts` (epoch ms of the change).
 */
import type {
  ActionName,
  PushMessage,
  PushMessageOf,
  PushType,
  Reply,
  ReplyOf,
  ReplyType,
  RoomKind,
  ServerMessage,
  ClientFrame,
} from '../contracts/ws/registry.js';
import type { ACTIONS } from '../contracts/ws/registry.js';
import type { CloseCodeName, ErrorCodeName } from '../contracts/ws/codes.js';

export type {
  ActionName,
  ClientFrame,
  CloseCodeName,
  ErrorCodeName,
  PushMessage,
  PushMessageOf,
  PushType,
  Reply,
  ReplyOf,
  ReplyType,
  RoomKind,
  ServerMessage,
};
export type {
  ArbClosedData,
  ArbData,
  EventSummary,
  MarketData,
  ResultData,
  ScoreData,
} from './payload-types.js';

/** `{"type":"connected"}`, the first frame of every connection. */
export type ConnectedMessage = ReplyOf<'connected'>;
/** Reply to subscribe: the canonical room, its last seq and the log epoch. */
export type SubscribedMessage = ReplyOf<'subscribed'>;
/** Sent after `subscribed` when `since` was given. recovered:false is followed by a snapshot. */
export type RecoveryMessage = ReplyOf<'recovery'>;
/** `{"type":"error"}`: a refused frame; the connection stays open (but after AUTH_CONFLICT, closed 4001). */
export type ErrorMessage = ReplyOf<'error'>;

/** Actions that are requests: each has one reply, matched by id. */
export type RequestAction = 'get_stats' | 'get_matches' | 'get_odds' | 'ping';
/** The reply of a request action. */
export type ReplyFor<A extends RequestAction> = ReplyOf<(typeof ACTIONS)[A]['replies'][0]>;
/** The fields of a request action beside `action` and `id`. */
export type RequestFields<A extends RequestAction> = Omit<
  Extract<ClientFrame, { action: A }>,
  'action' | 'id'
>;

/** The subset of the WHATWG WebSocket API the client uses (browsers, Node 22+, and the `ws` package). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/**
 * A WebSocket constructor whose instances behave as WebSocketLike (browsers' and Node 22's WebSocket, or
 * `ws`'s). Typed loosely so implementations with richer event types are accepted without casts.
 */
export type WebSocketFactory = new (url: string) => unknown;
