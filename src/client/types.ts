/**
 * Message types of the oddsgate WebSocket protocol (/ws), as the client sees them. Pushes carry the
 * Porqpine fields plus `room`, `seq` (per room, +1 per message) and `ts` (epoch ms of the change).
 */

/** Push types (Porqpine v1 plus oddsgate's additive `event_update`). */
export type PushType =
  | 'market_odds'
  | 'match_odds'
  | 'fancy_update'
  | 'bookmaker_add'
  | 'bookmaker_remove'
  | 'event_update'
  | 'remove_match_from_list'
  | 'event_scores'
  | 'matches_updated';

/** A message published to a room. */
export interface PushMessage {
  type: PushType | (string & {});
  room: string;
  seq: number;
  ts: number;
  /** True for messages of a snapshot (current state at `seq`), not a change. */
  snapshot?: boolean;
  marketId?: string;
  matchId?: string;
  bfi?: string | null;
  data?: unknown;
}

/** `{"type":"connected"}`, the first frame of every connection. */
export interface ConnectedMessage {
  type: 'connected';
  clientId: string;
  stats: Record<string, unknown>;
  auth: 'ok' | 'required';
}

/** Reply to subscribe: the canonical room and its last seq. */
export interface SubscribedMessage {
  type: 'subscribed';
  room: string;
  seq: number;
  requested?: string;
  /** The connection was already in the room: nothing changed, no snapshot or replay follows. */
  already?: true;
  id?: string | number;
}

/** Sent after `subscribed` when `since` was given. recovered:false is followed by a snapshot. */
export interface RecoveryMessage {
  type: 'recovery';
  room: string;
  recovered: boolean;
  since: number;
  seq: number;
  count?: number;
}

/** `{"type":"error"}`: a refused frame; the connection stays open (but after AUTH_CONFLICT, closed 4001). */
export interface ErrorMessage {
  type: 'error';
  error: string;
  code: string;
  id?: string | number;
  action?: string;
  /** RATE_LIMITED: seconds until the key's window renews. */
  retryAfter?: number;
}

/** Any frame the server sends. */
export type ServerMessage =
  | PushMessage
  | ConnectedMessage
  | SubscribedMessage
  | RecoveryMessage
  | ErrorMessage
  | {
      type: 'unsubscribed' | 'pong' | 'stats' | 'matches' | 'odds' | 'login';
      id?: string | number;
      [k: string]: unknown;
    };

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
