import { OddsgateError } from '../../core/errors.js';
/**
 * The Exchange Stream API's status error codes and what the client does about each. Betfair closes the
 * connection after every error except SUBSCRIPTION_LIMIT_EXCEEDED (the status message says so in
 * `connectionClosed`, which always wins over this table).
 */

/** What the client does after an error status. */
export type StreamErrorAction =
  /** The session is missing or dead: get a new one (login) and reconnect. */
  | 'relogin'
  /** Configuration or account problem (app key, permissions): reconnect only slowly, report loudly. */
  | 'fatal'
  /** The resubscription clock was refused: reconnect and subscribe afresh (SUB_IMAGE). */
  | 'fresh'
  /** Transient: reconnect with backoff. */
  | 'retry'
  /** The request was refused but the connection and the previous subscription stay. */
  | 'report';

/** Per error code: does Betfair close the connection, and what the client does. */
export const STREAM_ERRORS: Readonly<
  Record<string, { closes: boolean; action: StreamErrorAction; meaning: string }>
> = {
  NO_APP_KEY: { closes: true, action: 'fatal', meaning: 'no application key in the authentication message' },
  INVALID_APP_KEY: { closes: true, action: 'fatal', meaning: 'the application key is not valid' },
  NO_SESSION: { closes: true, action: 'relogin', meaning: 'no session token in the authentication message' },
  INVALID_SESSION_INFORMATION: {
    closes: true,
    action: 'relogin',
    meaning: 'the session token is invalid or expired',
  },
  NOT_AUTHORIZED: { closes: true, action: 'fatal', meaning: 'the account may not use the stream' },
  INVALID_INPUT: { closes: true, action: 'retry', meaning: 'the request was malformed' },
  INVALID_CLOCK: {
    closes: true,
    action: 'fresh',
    meaning: 'the initialClk/clk given on resubscription is not valid',
  },
  UNEXPECTED_ERROR: { closes: true, action: 'retry', meaning: 'an internal error at Betfair' },
  TIMEOUT: { closes: true, action: 'retry', meaning: 'the connection was idle or not subscribed in time' },
  SUBSCRIPTION_LIMIT_EXCEEDED: {
    closes: false,
    action: 'report',
    meaning: 'the subscription covers more markets than the account may stream',
  },
  INVALID_REQUEST: { closes: true, action: 'retry', meaning: 'the request was not valid in this state' },
  CONNECTION_FAILED: { closes: true, action: 'retry', meaning: 'Betfair could not serve the connection' },
  MAX_CONNECTION_LIMIT_EXCEEDED: {
    closes: true,
    action: 'retry',
    meaning: 'too many stream connections open',
  },
  TOO_MANY_REQUESTS: { closes: true, action: 'retry', meaning: 'requests are being made too fast' },
};

/** The client's reading of an error status. Unknown codes are transient and close the connection. */
export function classifyStreamError(code: string | undefined): {
  closes: boolean;
  action: StreamErrorAction;
} {
  return (code && STREAM_ERRORS[code]) || { closes: true, action: 'retry' };
}

/** An error raised by the stream client, with Betfair's error code (or a transport code) in `code`. */
export class BetfairStreamError extends OddsgateError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'BetfairStreamError';
  }
}
