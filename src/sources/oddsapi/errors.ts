import { OddsgateError } from '../../core/errors.js';
/** Why an Odds API request failed; callers switch on it. */
export type OddsApiErrorCode =
  /** 401: missing, invalid or deactivated key. */
  | 'UNAUTHORIZED'
  /** 401 OUT_OF_USAGE_CREDITS or 429 quota: the usage quota is spent. */
  | 'QUOTA_EXHAUSTED'
  /** 422: invalid parameters (unknown sport, market or region). */
  | 'INVALID_REQUEST'
  /** 429: too many requests too fast. */
  | 'RATE_LIMITED'
  /** Any other HTTP status. */
  | 'HTTP_ERROR'
  /** Connection, DNS or timeout failure. */
  | 'NETWORK'
  /** A 200 whose body is not the expected shape. */
  | 'BAD_RESPONSE';

/** A failed Odds API request. `upstreamCode` is the API's `error_code` when it gave one. */
export class OddsApiError extends OddsgateError<OddsApiErrorCode> {
  constructor(
    code: OddsApiErrorCode,
    message: string,
    readonly status: number | null = null,
    readonly upstreamCode: string | null = null,
    /** Seconds the API asked to wait (Retry-After), when given. */
    readonly retryAfterSec: number | null = null,
  ) {
    super(code, message);
    this.name = 'OddsApiError';
  }
}
