import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Store } from './types.js';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';

export { StoreError, type Store, type StoreSnapshot, type ResultQuery } from './types.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { RedisStore, type RedisStoreOptions } from './redis-store.js';
export { compareLogIds, isLogId, parseLogId } from './log-id.js';
export { EVENT_ID_BASE } from './constants.js';

/** The configuration the store needs. */
export type StoreConfig = Pick<Config, 'redisUrl' | 'redisKeyPrefix' | 'updateLogMaxLen'>;

/**
 * The store for a configuration: RedisStore when `redisUrl` is set, else the embedded MemoryStore.
 * Not connected yet: call `connect()`.
 */
export function createStore(config: StoreConfig, logger: Logger): Store {
  if (config.redisUrl) {
    return new RedisStore({
      url: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      logMaxLen: config.updateLogMaxLen,
      logger,
    });
  }
  return new MemoryStore({ logMaxLen: config.updateLogMaxLen, logger });
}
