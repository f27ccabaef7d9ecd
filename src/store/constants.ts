/** Store tunables, in one place. */

/**
 * Internal event ids are EVENT_ID_BASE + n (n = 1, 2, ...), so the first is 1_000_001: they never look
 * like small numbers, upstream ids or sport ids, and stay 7 digits for the first 9 million events.
 */
export const EVENT_ID_BASE = 1_000_000;

/** Update-log length when none is configured (matches config `updateLogMaxLen`). */
export const DEFAULT_LOG_MAX_LEN = 200_000;

/** Update-log age bound when none is configured (matches config `updateLogMaxAgeSec`). */
export const DEFAULT_LOG_MAX_AGE_MS = 600_000;

/** Memory store: update-log byte bound when none is configured (matches config `updateLogMaxMb`). */
export const DEFAULT_MEMORY_LOG_MAX_BYTES = 32 * 2 ** 20;

/** Default Redis key prefix (config `redisKeyPrefix`). */
export const DEFAULT_KEY_PREFIX = 'oddsgate:';

/** ping() answers false after this long. */
export const PING_TIMEOUT_MS = 1000;

/** Redis: connect attempt timeout, and the longest a command waits for its reply. */
export const CONNECT_TIMEOUT_MS = 2000;
export const COMMAND_TIMEOUT_MS = 5000;

/** Redis: reconnect backoff bounds (exponential from the first to the second). */
export const RECONNECT_MIN_MS = 50;
export const RECONNECT_MAX_MS = 2000;

/** Redis tail: XREAD BLOCK time and batch size. */
export const TAIL_BLOCK_MS = 5000;
export const TAIL_BATCH = 1000;

/** Redis: field/id batch size for HDEL, HMGET and similar multi-key commands. */
export const CHUNK = 1000;
