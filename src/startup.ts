/**
 * Start-up checks of `oddsgate start` / `replay` that end the process with one clear line instead of a
 * stack trace or endless reconnect logs: Redis answers on the configured database (REDIS_URL, waiting up
 * to REDIS_WAIT_SEC for it), and the HTTP listener can bind HOST and PORT.
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactRedisUrl } from './store/redis-connection.js';
import { OddsgateError } from './core/errors.js';

/** A start-up failure the CLI prints as one line (`oddsgate: <message>`) before exiting with 1. */
export class StartupError extends OddsgateError<'ERR_STARTUP'> {
  constructor(message: string) {
    super('ERR_STARTUP', message);
    this.name = 'StartupError';
  }
}

/** Pause between connection attempts while waiting for Redis. */
const RETRY_MS = 250;
/** Longest a single connection attempt (connect, SELECT, PING) may take. */
const ATTEMPT_TIMEOUT_MS = 2000;

/** Replies worth waiting out (Redis starting or failing over), as opposed to a configuration mistake. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;

type Attempt = { ok: true } | { ok: false; fatal: boolean; message: string };

/** One attempt: connect, select the URL's database explicitly (ioredis would carry on in db 0), PING. */
async function attempt(url: string): Promise<Attempt> {
  let lastError: Error | null = null;
  const client = new Redis(url, {
    lazyConnect: true,
    connectionName: 'oddsgate-startup-check',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    connectTimeout: ATTEMPT_TIMEOUT_MS,
    commandTimeout: ATTEMPT_TIMEOUT_MS,
  });
  // Swallows ioredis' own error events (its failed SELECT on connect included): reported below instead.
  client.on('error', (err: Error) => (lastError = err));
  try {
    // Bounded as a whole: ioredis' own ready check waits as long as Redis says it is loading.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS} ms`)),
          ATTEMPT_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const db = client.options.db ?? 0;
    // A new connection is on database 0; Redis Cluster nodes refuse SELECT, even of 0.
    try {
      if (db !== 0) await client.select(db);
    } catch (err) {
      const message = (err as Error).message;
      return {
        ok: false,
        fatal: !TRANSIENT_REPLY.test(message),
        message: `cannot use database ${db}: ${message}`,
      };
    }
    await client.ping();
    return { ok: true };
  } catch (err) {
    // A refused AUTH surfaces as an 'error' event, then connect() fails with "Connection is closed".
    const e = (err as Error).name === 'ReplyError' ? (err as Error) : (lastError ?? (err as Error));
    const message = e.message;
    // A reply (NOAUTH, WRONGPASS, ...) is Redis answering no: waiting will not change it.
    const fatal = e.name === 'ReplyError' && !TRANSIENT_REPLY.test(message);
    return { ok: false, fatal, message: fatal ? message : `not reachable: ${message}` };
  } finally {
    client.disconnect();
  }
}

/**
 * Verifies that Redis at `url` answers on the URL's database, retrying for up to `waitSec` seconds while it
 * does not answer (a refused connection, a timeout, LOADING). Throws StartupError naming REDIS_URL (its
 * password removed) when it never does, or at once when Redis refuses the database or the credentials.
 */
export async function verifyRedis(
  url: string,
  waitSec: number,
  logger?: Pick<Logger, 'info'>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  const deadline = Date.now() + waitSec * 1000;
  const where = `REDIS_URL=${redactRedisUrl(url)}`;
  let told = false;
  for (;;) {
    const r = await attempt(url);
    if (r.ok) return;
    if (r.fatal) throw new StartupError(`${where}: ${r.message}`);
    if (Date.now() >= deadline) {
      const hint =
        waitSec > 0
          ? `gave up after REDIS_WAIT_SEC=${waitSec}`
          : 'set REDIS_WAIT_SEC to wait for it at start';
      throw new StartupError(`${where}: Redis ${r.message} (${hint})`);
    }
    if (!told) {
      logger?.info({ waitSec, reason: r.message }, `waiting up to ${waitSec} s for Redis at ${where}`);
      told = true;
    }
    await sleep(Math.min(RETRY_MS, Math.max(0, deadline - Date.now())));
  }
}

const LISTEN_REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name could not be resolved',
  EACCES: 'permission denied',
  EINVAL: 'invalid address',
};

/** The StartupError for a failed listen: `cannot listen on HOST=… PORT=…: <reason>`. */
export function listenError(err: unknown, host: string, port: number): StartupError {
  const e = err as NodeJS.ErrnoException;
  const reason = (e?.code && LISTEN_REASONS[e.code]) ?? (e instanceof Error ? e.message : String(err));
  return new StartupError(`cannot listen on HOST=${host} PORT=${port}: ${reason}`);
}
