/**
 * Every WebSocket close code and protocol error code of `/ws`, each declared once with its meaning and
 * what a client should do. The broker (src/broker/close-codes.ts), `/docs/websocket`, `/asyncapi.json`
 * and the client SDK all read these declarations.
 */

/** One close code: the number, the reason text sent on the wire (< 123 bytes) and what it means. */
export interface CloseCodeSpec {
  code: number;
  reason: string;
  meaning: string;
  /** What the client should do next. */
  advice: string;
  /** The client SDK reconnects after this close (false: retrying cannot help). */
  retry: boolean;
}

function close<const C extends number>(
  code: C,
  reason: string,
  meaning: string,
  advice: string,
  retry = true,
) {
  return { code, reason, meaning, advice, retry } satisfies CloseCodeSpec;
}

/** Close codes sent by the server. 1000–1015 are RFC 6455; 4000–4999 are the broker's own. */
export const CLOSE_CODES = {
  NORMAL: close(1000, 'bye', 'The server closed the connection normally.', 'Nothing to do.'),
  GOING_AWAY: close(
    1001,
    'server shutting down',
    'The server is shutting down or draining (deploy, scale-in).',
    'Reconnect, to any instance, and resume every room with since (and epoch).',
  ),
  MESSAGE_TOO_BIG: close(
    1009,
    'frame too large',
    'A client frame was larger than ws.maxFrameBytes (WS_MAX_FRAME_BYTES); sent by the WebSocket layer.',
    'Send smaller frames; reconnect.',
  ),
  AUTH_FAILED: close(
    4001,
    'invalid api key',
    'The API key (X-API-Key header, ?apiKey= or login frame) is wrong, or two different keys were presented on one connection.',
    'Do not retry with the same key.',
    false,
  ),
  LOGIN_TIMEOUT: close(
    4002,
    'login timeout',
    'API keys are required and no login frame arrived within ws.loginTimeoutMs (10 s).',
    'Reconnect and send {"action":"login","apiKey"} first (or pass ?apiKey=).',
  ),
  SLOW_CONSUMER: close(
    4008,
    'slow consumer',
    "The connection's outgoing queue went over ws.maxQueueBytes or ws.maxQueueMessages: the client does not read fast enough.",
    'Reconnect and resubscribe with since to recover what was missed; read faster or join fewer rooms.',
  ),
  TOO_MANY_CONNECTIONS: close(
    4029,
    'too many connections',
    'Over ws.maxConnectionsPerKey open connections for this API key (instance-wide), or over ws.maxConnections for this IP before a key is known.',
    'Close another connection first; retry later.',
  ),
  FLOOD: close(
    4030,
    'too many frames',
    'More than ws.maxInboundPerSec frames in a second, or more than ws.maxErrors refused frames in a minute.',
    'Send fewer frames; reconnect after a pause.',
  ),
} as const;

/** Close code names. */
export type CloseCodeName = keyof typeof CLOSE_CODES;

/** One error code of `{"type":"error","code","error"}` replies. */
export interface ErrorCodeSpec {
  meaning: string;
  /** The connection is closed after this error (with this close code). */
  closes?: number;
}

/**
 * Error codes of `{"type":"error","error","code"}` replies. The connection stays open after every one but
 * AUTH_CONFLICT; repeated errors count towards the FLOOD close.
 */
export const ERROR_CODES = {
  BAD_JSON: { meaning: 'The frame is not valid JSON.' },
  BAD_FRAME: {
    meaning:
      'Valid JSON but not an object with a string "action", a binary frame, or a field of the wrong type (matchId, apiKey).',
  },
  UNKNOWN_ACTION: { meaning: '"action" is not one the server knows.' },
  BAD_ROOM: {
    meaning:
      '"room" is missing or not a room: all, odds, matches, arbs, sport:<id or name>, event:<id or bfi>, market:<id>.',
  },
  TOO_MANY_ROOMS: { meaning: 'Subscribing would exceed ws.maxRooms rooms on this connection.' },
  BAD_SINCE: { meaning: '"since" is not a non-negative integer.' },
  AUTH_REQUIRED: {
    meaning: 'API keys are configured and this connection has not logged in yet; send a login frame first.',
  },
  NOT_FOUND: { meaning: 'get_odds for an event the server does not know.' },
  RATE_LIMITED: {
    meaning:
      "get_odds, get_matches or get_stats over the API key's requests per minute (the budget its REST requests count against); retryAfter (seconds) says when the window renews.",
  },
  BURST_IN_FLIGHT: {
    meaning:
      'subscribe with snapshot or since to a room whose previous snapshot or replay on this connection has not left the server yet (one burst per room per connection); the room is not joined. Retry once it has arrived.',
  },
  AUTH_CONFLICT: {
    meaning:
      'A second, different API key on one connection (header, ?apiKey= and login must agree); the connection is then closed with 4001.',
    closes: 4001,
  },
} as const satisfies Record<string, ErrorCodeSpec>;

/** Error code names (the `code` of error replies). */
export type ErrorCodeName = keyof typeof ERROR_CODES;
