/**
 * Every WebSocket close code and protocol error code the broker uses, each with its meaning, in one place.
 * Clients switch on these; they are part of the public contract (see the README "WebSocket" section).
 */

/** Close codes sent by the server. 1000–1015 are RFC 6455; 4000–4999 are the broker's own. */
export const CloseCode = {
  /** The server closes the connection normally (e.g. the client asked to, or a test ended). */
  NORMAL: 1000,
  /** The server is shutting down; reconnect (to another instance) and resume with `since`. */
  GOING_AWAY: 1001,
  /** A client frame was larger than `ws.maxFrameBytes` (sent by the WebSocket layer itself). */
  MESSAGE_TOO_BIG: 1009,
  /** The API key (query `?apiKey=` or `login` frame) is missing or wrong. Do not retry with the same key. */
  AUTH_FAILED: 4001,
  /** API keys are required and no `login` frame arrived within `ws.loginTimeoutMs` (10 s). */
  LOGIN_TIMEOUT: 4002,
  /**
   * Slow consumer: the connection's outgoing queue went over `ws.maxQueueBytes` or `ws.maxQueueMessages`
   * because the client does not read fast enough. Reconnect and resubscribe with `since` to recover.
   */
  SLOW_CONSUMER: 4008,
  /**
   * Too many open connections: over `ws.maxConnectionsPerKey` for this API key (instance-wide), or over
   * `ws.maxConnections` for this IP before a key is known (or when keys are off). Closing one frees a slot.
   */
  TOO_MANY_CONNECTIONS: 4029,
  /** Flooding: more than `ws.maxInboundPerSec` frames in a second, or more than `ws.maxErrors` bad frames. */
  FLOOD: 4030,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reason text sent with each close code (kept under 123 bytes, as RFC 6455 requires). */
export const CLOSE_REASONS: Readonly<Record<CloseCode, string>> = {
  [CloseCode.NORMAL]: 'bye',
  [CloseCode.GOING_AWAY]: 'server shutting down',
  [CloseCode.MESSAGE_TOO_BIG]: 'frame too large',
  [CloseCode.AUTH_FAILED]: 'invalid api key',
  [CloseCode.LOGIN_TIMEOUT]: 'login timeout',
  [CloseCode.SLOW_CONSUMER]: 'slow consumer',
  [CloseCode.TOO_MANY_CONNECTIONS]: 'too many connections',
  [CloseCode.FLOOD]: 'too many frames',
};

/**
 * Error codes of `{"type":"error","error","code"}` replies. The connection stays open after any of these
 * but AUTH_CONFLICT; repeated errors count towards the FLOOD close.
 */
export const ErrorCode = {
  /** The frame is not valid JSON. */
  BAD_JSON: 'BAD_JSON',
  /** Valid JSON but not an object with a string `action`, or a field has the wrong type. */
  BAD_FRAME: 'BAD_FRAME',
  /** `action` is not one the server knows. */
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  /** `room` is missing or not one of all, odds, matches, event:<id>, market:<id>, sport:<id>. */
  BAD_ROOM: 'BAD_ROOM',
  /** Subscribing would exceed `ws.maxRooms` rooms on this connection. */
  TOO_MANY_ROOMS: 'TOO_MANY_ROOMS',
  /** `since` is not a non-negative integer. */
  BAD_SINCE: 'BAD_SINCE',
  /** API keys are configured and this connection has not logged in yet. */
  AUTH_REQUIRED: 'AUTH_REQUIRED',
  /** `get_odds` for an event the server does not know. */
  NOT_FOUND: 'NOT_FOUND',
  /**
   * `get_odds`, `get_matches` or `get_stats` over the API key's requests per minute, the same budget its
   * REST requests count against; `retryAfter` (seconds) says when the window renews.
   */
  RATE_LIMITED: 'RATE_LIMITED',
  /**
   * `subscribe` with `snapshot` or `since` to a room whose previous snapshot or replay on this connection
   * has not left the server yet (one burst per room per connection); the room is not joined. Retry later.
   */
  BURST_IN_FLIGHT: 'BURST_IN_FLIGHT',
  /**
   * A second, different API key on one connection (header, `?apiKey=` and `login` must agree): the error
   * is followed by close 4001.
   */
  AUTH_CONFLICT: 'AUTH_CONFLICT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
