import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Store } from './types.js';
import { MemoryStore, type DurableBacking } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import { DEFAULT_LOG_MAX_AGE_MS, DEFAULT_MEMORY_LOG_MAX_BYTES } from './constants.js';

export { StoreError, type Store, type StoreSnapshot, type ResultQuery } from './types.js';
export { MemoryStore, type MemoryStoreOptions, type DurableBacking } from './memory-store.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export { compareLogIds, isLogId, parseLogId } from './log-id.js';
export { EVENT_ID_BASE } from './constants.js';
export { deepFreeze, isDeepFrozen } from './frozen.js';

/** The configuration the store needs (the log's age and byte bounds default as in the config schema). */
export type StoreConfig = Pick<Config, 'redisUrl' | 'redisKeyPrefix' | 'updateLogMaxLen'> &
  Partial<Pick<Config, 'updateLogMaxAgeSec' | 'updateLogMaxMb'>> & {
    ws?: Pick<Config['ws'], 'recoveryWindowSec'>;
  };

/**
 * The update-log bounds of a configuration: entries, age (never less than the WebSocket recovery window,
 * which the broker fills from the log at boot) and, for the memory store, estimated bytes.
 */
export function logBounds(config: StoreConfig): {
  logMaxLen: number;
  logMaxAgeMs: number;
  logMaxBytes: number;
} {
  const ageSec = Math.max(
    config.updateLogMaxAgeSec ?? DEFAULT_LOG_MAX_AGE_MS / 1000,
    config.ws?.recoveryWindowSec ?? 0,
  );
  return {
    logMaxLen: config.updateLogMaxLen,
    logMaxAgeMs: ageSec * 1000,
    logMaxBytes:
      config.updateLogMaxMb === undefined
        ? DEFAULT_MEMORY_LOG_MAX_BYTES
        : Math.round(config.updateLogMaxMb * 2 ** 20),
  };
}

/**
 * The store for a configuration: RedisStore when `redisUrl` is set, else the embedded MemoryStore (whose
 * ids and results `durable` keeps across restarts, when given). Not connected yet: call `connect()`.
 */
export function createStore(config: StoreConfig, logger: Logger, durable?: DurableBacking): Store {
  const { logMaxLen, logMaxAgeMs, logMaxBytes } = logBounds(config);
  if (config.redisUrl) {
    return new RedisStore({
      url: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      logMaxLen,
      logMaxAgeMs,
      logger,
    });
  }
  return new MemoryStore({ logMaxLen, logMaxAgeMs, logMaxBytes, logger, ...(durable ? { durable } : {}) });
}
