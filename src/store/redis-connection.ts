import type { Redis, RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { StoreError } from './types.js';
import { CONNECT_TIMEOUT_MS, RECONNECT_MAX_MS, RECONNECT_MIN_MS } from './constants.js';

/** The URL with user name and password removed, safe to log. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '<unparseable redis url>';
  }
}

/** Exponential reconnect delay, capped: Redis coming back is noticed within RECONNECT_MAX_MS. */
export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MIN_MS * 2 ** Math.min(attempt, 16), RECONNECT_MAX_MS);
}

/**
 * Options of the store's command connection: fail fast while Redis is away (no offline queue, in-flight
 * commands rejected on disconnect and never re-sent, so a commit is never applied twice), reconnect
 * forever with backoff.
 */
export function commandClientOptions(name: string, commandTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    connectionName: name,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: commandTimeoutMs,
    retryStrategy: reconnectDelay,
  };
}

/**
 * Options of a tail connection (blocking XREAD): commands wait while Redis is away and the in-flight
 * XREAD is re-sent after a reconnect (reads are idempotent), so the tail resumes by itself.
 */
export function tailClientOptions(name: string): RedisOptions {
  return {
    lazyConnect: false,
    connectionName: name,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    autoResendUnfulfilledCommands: true,
    commandTimeout: undefined,
    retryStrategy: reconnectDelay,
  };
}

const TRANSIENT_REPLY = /^(LOADING|BUSY|READONLY|MASTERDOWN|OOM|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|LEASEFREE)\b/;

/**
 * Maps what a Redis call threw to a StoreError: server replies that mean bad data or a bad script
 * are STORE_CORRUPT, unparseable stored JSON too; argument errors (TypeError, RangeError) pass through;
 * a write the ingest lease fenced off (FENCED) is STORE_FENCED; everything else (closed, refused, timed
 * out, transient replies, a fenced write while the lease is free: LEASEFREE) is STORE_UNAVAILABLE.
 */
export function toStoreError(err: unknown): Error {
  if (err instanceof StoreError || err instanceof TypeError || err instanceof RangeError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e instanceof SyntaxError)
    return new StoreError('STORE_CORRUPT', `stored JSON: ${e.message}`, { cause: e });
  if (e.name === 'ReplyError' && e.message.startsWith('FENCED ')) {
    return new StoreError('STORE_FENCED', `write refused: ${e.message.slice(7)}`, { cause: e });
  }
  if (e.name === 'ReplyError' && !TRANSIENT_REPLY.test(e.message)) {
    return new StoreError('STORE_CORRUPT', `redis: ${e.message}`, { cause: e });
  }
  return new StoreError('STORE_UNAVAILABLE', `redis unavailable: ${e.message}`, { cause: e });
}

/**
 * Logs a connection's life without flooding: the first error of an outage at warn, the rest at debug,
 * the recovery at info. The 'error' listener also keeps ioredis from crashing the process.
 */
export function watchConnection(
  client: Redis,
  logger: Logger,
  level: 'warn' | 'debug',
  closing: () => boolean,
): void {
  let down = false;
  let everReady = false;
  client.on('error', (err: Error) => {
    if (closing()) return;
    if (down) logger.debug({ err: err.message }, 'redis still unavailable');
    else logger[level]({ err: err.message }, everReady ? 'redis connection lost' : 'redis connection failed');
    down = true;
  });
  client.on('close', () => {
    if (everReady && !down && !closing()) logger[level]('redis connection lost');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('redis connection restored');
    else if (!everReady) logger.debug('redis connected');
    down = false;
    everReady = true;
  });
}

/** Resolves when `client` is ready; rejects with STORE_UNAVAILABLE after `timeoutMs`. */
export function waitReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new StoreError('STORE_UNAVAILABLE', `redis not ready after ${timeoutMs} ms (${client.status})`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}
