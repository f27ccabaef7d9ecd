/**
 * Errors with stable codes, in one place (like undici's `UND_ERR_*`). Every error oddsgate raises on purpose
 * is an {@link OddsgateError}: callers switch on `code`, never on the message or on `instanceof` across
 * layers. The codes oddsgate defines are listed in {@link ERROR_CODES} with what each means; three families
 * carry someone else's codes through unchanged and say so on their class: Betfair's (`BetfairApiError`,
 * `BetfairSessionError`, `BetfairStreamError`: the APINGException / login / stream status `errorCode`, or a
 * transport code), and `HttpError` (the surface's `ERR_*` code of the 4xx/5xx it answers).
 */

/** oddsgate's own error codes and what each means. */
export const ERROR_CODES = {
  // Start-up and configuration
  CONFIG_INVALID: 'the configuration (file, environment, flags) failed validation',
  SITE_PROFILE_INVALID: 'a site profile (config/sites/<name>.json) failed validation',
  ERR_STARTUP: 'the server could not start (the CLI prints the message as one line and exits 1)',
  ERR_DATA_DIR_LOCKED: 'the records data directory is held by another live oddsgate process',
  // Store
  STORE_UNAVAILABLE: 'the store cannot answer now (Redis down or unreachable)',
  STORE_CORRUPT: 'a stored value failed to decode',
  STORE_CLOSED: 'the store was closed',
  STORE_FENCED: 'a fenced write was refused: another instance holds the ingest lease',
  // Matching (manual links)
  NOT_FOUND: 'the event or link named does not exist',
  CONFLICT: 'the link contradicts an existing one',
  BAD_REQUEST: 'the link request is not valid',
  // Sources
  ERR_BROWSER: 'a browser page or operation failed; `reason` says how (counts against the domain)',
  ERR_STOPPED: 'the operation was abandoned because its source was stopped',
  UNAUTHORIZED: 'odds API: missing, invalid or deactivated key',
  QUOTA_EXHAUSTED: 'odds API: the usage quota is spent',
  INVALID_REQUEST: 'odds API: invalid parameters (unknown sport, market or region)',
  RATE_LIMITED: 'odds API: too many requests too fast',
  HTTP_ERROR: 'odds API: any other HTTP status',
  NETWORK: 'odds API: connection, DNS or timeout failure',
  BAD_RESPONSE: 'odds API: a 200 whose body is not the expected shape',
  // HTTP
  ERR_HTTP: 'an HTTP error answered with its status (the default code of HttpError)',
  ERR_TIMEOUT: 'an operation did not settle in time (withTimeout)',
  ERR_HISTORY_QUERY:
    'an odds-history request asked for more than history serves (range or points); the API answers 400',
  ERR_PROXY_BLOCKED_ADDRESS: 'the iframe proxy refused a host that resolves to a private or loopback address',
  // Execution (bookmaker connectors)
  EXEC_TRANSIENT: 'a bookmaker refused a placement before it took effect: safe to retry with the same key',
  EXEC_UNKNOWN_OUTCOME: 'a placement may or may not have taken effect: reconciled by its key, never re-sent',
  // ABP surface (/abp)
  ERR_ABP_HTTP: 'an ABP error answered with its status and the document\'s body (`{"detail":…}`)',
  ERR_SECRET_OPEN:
    'a sealed account credential could not be decrypted (another SECRETS_KEY, or altered text)',
  ERR_ACCOUNT_EXISTS: 'an ABP account with this (bookmaker, username) already exists',
  ERR_ACCOUNT_STAKES: 'an ABP account change would leave minStake above maxStake',
} as const;

/** A code oddsgate defines. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The base of every error oddsgate raises on purpose: a message plus a stable `code`. */
export class OddsgateError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OddsgateError';
  }
}

/** True when `err` is an OddsgateError with `code` (any of them when `code` is omitted). */
export function isOddsgateError(err: unknown, code?: string): err is OddsgateError {
  return err instanceof OddsgateError && (code === undefined || err.code === code);
}
