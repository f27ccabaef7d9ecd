import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { AppLogger as Logger } from '../logger.js';
import { reconnectDelay } from '../store/redis-connection.js';

/** Lease defaults: a holder that stops renewing is replaced within TTL (+ one attempt interval). */
export const LEASE_DEFAULTS = { ttlMs: 10_000, attemptEveryMs: 2000 } as const;

/** Extends the lease only while `token` still holds it (compare-and-extend). */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lease only while `token` still holds it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/**
 * Takes the lease when free (or already this token's, e.g. an earlier reply was lost) and starts a new term:
 * returns the term (INCR of the epoch key, never reset), or 0 when another instance holds it.
 * KEYS: lease, epoch. ARGV: token, ttl ms.
 */
const ACQUIRE = `
local cur = redis.call('get', KEYS[1])
if cur and cur ~= ARGV[1] then return 0 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('incr', KEYS[2])`;
/**
 * A holder whose renewal found the lease gone takes it back, in the same term, only when nobody else took
 * it since (the epoch is still its term): 1 taken back (or still its own), 0 held by another instance,
 * -1 free but another term began meanwhile (or Redis lost its data): this holder's view is stale.
 * KEYS: lease, epoch. ARGV: token, ttl ms, term.
 */
const RECLAIM = `
local cur = redis.call('get', KEYS[1])
if cur == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
if cur then return 0 end
if redis.call('get', KEYS[2]) ~= ARGV[3] then return -1 end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** What the lease runs while it is held. */
export interface LeaseHolder {
  /** Called when the lease is won: start ingesting. */
  acquired(): Promise<void>;
  /** Called when the lease is lost or given up: stop ingesting (another instance may hold it now). */
  lost(): Promise<void>;
  /**
   * Called instead of lost() when this instance stops (shutdown) while holding the lease: stop the
   * sources and commit what is held. The lease is still this instance's meanwhile (it is renewed), and
   * released after, so no other instance writes before these changes are in. Without it, lost() is called.
   */
  stopping?(): Promise<void>;
}

/** Options of IngestLease. */
export interface IngestLeaseOptions {
  redisUrl: string;
  /** Redis key of the lease (e.g. `oddsgate:ingest:lease`). */
  key: string;
  logger: Logger;
  ttlMs?: number;
  /** How often a holder renews and a non-holder tries to take the lease. */
  attemptEveryMs?: number;
}

/**
 * The ingest lease on Redis: one instance among those sharing a Redis runs the sources and writes (the
 * single writer the broker's sequencer relies on). Taking it (set the token with a TTL when free) starts a
 * new term (`<key>:epoch`, INCR); the holder renews it with a compare-and-extend script every
 * `attemptEveryMs`; others try every `attemptEveryMs`, so a dead holder is replaced within TTL +
 * attemptEveryMs. A holder finding the lease held by another instance stops; one that cannot reach Redis
 * keeps going (see renew()), and a standby that reconnects waits one TTL before competing, so that holder
 * gets its lease back (only if no other term began meanwhile). Stopping releases it (compare-and-delete).
 *
 * The lease alone cannot stop a holder that lost it without noticing (its event loop stalled past the
 * TTL, or renewal replies were lost) from writing: its store is fenced with this token (Store.fence), so
 * each commit checks the lease atomically, and a refused one calls fenced(), which stops the holder.
 */
export class IngestLease {
  readonly token = `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private readonly everyMs: number;
  private readonly epochKey: string;
  private holding = false;
  /** The term this instance holds (or last held) the lease in; null before it first takes it. */
  private term: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;
  /** A standby does not take the lease before this (see the constructor). */
  private quietUntil = 0;

  constructor(private readonly opts: IngestLeaseOptions) {
    this.ttlMs = opts.ttlMs ?? LEASE_DEFAULTS.ttlMs;
    this.everyMs = opts.attemptEveryMs ?? LEASE_DEFAULTS.attemptEveryMs;
    this.epochKey = `${opts.key}:epoch`;
    this.redis = new Redis(opts.redisUrl, {
      lazyConnect: false,
      connectionName: 'oddsgate-lease',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: Math.max(500, Math.floor(this.everyMs / 2)),
      retryStrategy: reconnectDelay,
    });
    this.redis.on('error', () => undefined);
    // Back from a lost connection (Redis restarted, or this instance's link to it broke), a standby lets
    // the holder of before take its lease back first: the lease may have expired only because Redis was
    // away, and that holder has changes held through the outage that only it can commit.
    let connected = false;
    this.redis.on('ready', () => {
      if (connected && !this.holding) this.quietUntil = Date.now() + this.ttlMs;
      connected = true;
    });
  }

  /** True once the current wait for the lease has been logged (reset when it is taken). */
  private standbyLogged = false;

  /** True while this instance holds the lease. */
  get held(): boolean {
    return this.holding;
  }

  /** Redis key of the lease. */
  get key(): string {
    return this.opts.key;
  }

  /** The term (fencing epoch) of this instance's current or last holding; null before it ever held it. */
  get epoch(): number | null {
    return this.term === null ? null : Number(this.term);
  }

  /**
   * A write was refused because another instance holds the lease (STORE_FENCED): stops the holder now,
   * without waiting for the next renewal, and competes again as a standby. Queued after any start or
   * renewal under way; nothing to do when the lease was already given up.
   */
  fenced(holder: LeaseHolder): Promise<void> {
    const run = async (): Promise<void> => {
      if (!this.holding || this.stopped) return;
      this.holding = false;
      this.opts.logger.warn(
        { lease: this.opts.key, epoch: this.epoch },
        'ingest write refused: the lease is held by another instance; sources stopped, now standby',
      );
      await holder.lost();
    };
    this.busy = this.busy.then(run).catch(() => undefined);
    return this.busy;
  }

  /** Starts competing for the lease; `holder` is started and stopped as it is won and lost. */
  start(holder: LeaseHolder): void {
    const tick = () => {
      this.busy = this.busy.then(() => this.attempt(holder)).catch(() => undefined);
    };
    // The first attempt waits for the connection (commands are not queued offline): an instance starting
    // beside a lost holder competes as soon as it can, not one attempt interval later.
    if (this.redis.status === 'ready') tick();
    else this.redis.once('ready', tick);
    this.timer = setInterval(tick, this.everyMs);
  }

  /**
   * Stops competing and releases the lease. A holder is first stopped while the lease is still held (and
   * kept renewed): holder.stopping() commits what it holds, so the next holder starts after those writes.
   */
  async stop(holder: LeaseHolder): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.busy;
    if (this.holding) {
      this.holding = false;
      await this.keepingLease(() => (holder.stopping ? holder.stopping() : holder.lost()));
      await this.redis.eval(RELEASE, 1, this.opts.key, this.token).catch(() => undefined);
    }
    this.redis.disconnect();
  }

  /**
   * Runs `work` (starting or stopping the holder, which may outlast the TTL on a loaded machine: loading
   * the state, reading the log to its end, committing) while renewing the lease every attempt interval, so
   * it does not expire under a holder that is still starting or finishing its writes.
   */
  private async keepingLease<T>(work: () => Promise<T>): Promise<T> {
    const renew = () =>
      void this.redis.eval(RENEW, 1, this.opts.key, this.token, String(this.ttlMs)).catch(() => undefined);
    const keep = setInterval(renew, this.everyMs);
    try {
      return await work();
    } finally {
      clearInterval(keep);
    }
  }

  private async attempt(holder: LeaseHolder): Promise<void> {
    if (this.stopped) return;
    if (this.holding) return this.renew(holder);
    if (Date.now() < this.quietUntil) return;
    const got = await this.acquire();
    if (this.stopped) return;
    if (!got) {
      // One line per wait, not one per attempt: this instance is healthy, standing by.
      if (!this.standbyLogged)
        this.opts.logger.info(
          { lease: this.opts.key },
          'standby: another instance holds the ingest lease; waiting to take over',
        );
      this.standbyLogged = true;
      return;
    }
    this.standbyLogged = false;
    this.holding = true;
    this.opts.logger.info(
      { lease: this.opts.key, epoch: this.epoch },
      'ingest lease acquired; starting sources',
    );
    try {
      await this.keepingLease(() => holder.acquired());
    } catch (err) {
      // Could not start (e.g. Redis went away again while loading the state): give the lease back, retry.
      this.holding = false;
      this.opts.logger.warn({ err: (err as Error).message }, 'ingest start failed; lease released');
      await holder.lost().catch(() => undefined);
      await this.redis.eval(RELEASE, 1, this.opts.key, this.token).catch(() => undefined);
    }
  }

  /**
   * Renews the lease. While Redis cannot be reached the holder keeps running (its commits fail and are held
   * by ingest, and nobody else can take the lease from an unreachable Redis either; its writes are fenced,
   * so keeping going while unsure is safe). When Redis answers again and the lease has expired meanwhile,
   * the holder takes it back if it is free and no other term began since; a lease held by another
   * instance, or taken and given up by one meanwhile, stops it.
   */
  private async renew(holder: LeaseHolder): Promise<void> {
    const ttl = String(this.ttlMs);
    const renewed = await this.redis.eval(RENEW, 1, this.opts.key, this.token, ttl).then(
      (r) => r === 1,
      () => null,
    );
    if (renewed !== false) return;
    const keys = [this.opts.key, this.epochKey];
    const back = await this.redis.eval(RECLAIM, 2, ...keys, this.token, ttl, this.term ?? '').then(
      (r) => Number(r),
      () => null,
    );
    if (back === null || back === 1) return;
    this.holding = false;
    this.opts.logger.warn(
      { lease: this.opts.key, epoch: this.epoch },
      back === 0
        ? 'ingest lease taken by another instance; sources stopped'
        : 'ingest lease expired and another instance held it meanwhile; sources stopped',
    );
    await holder.lost();
  }

  /** Takes the lease if free (or already this instance's), starting a new term; true when held now. */
  private async acquire(): Promise<boolean> {
    const keys = [this.opts.key, this.epochKey];
    const term = await this.redis.eval(ACQUIRE, 2, ...keys, this.token, String(this.ttlMs)).catch(() => 0);
    if (!term) return false;
    this.term = String(term);
    return true;
  }
}
