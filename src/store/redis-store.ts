/**
 * RedisStore — the Store on Redis (≥ 6.2), shared by every oddsgate instance pointed at the same Redis
 * and key prefix.
 *
 * Key layout (P = keyPrefix, default "oddsgate:"; every value is JSON text unless said otherwise):
 *
 * | key                       | type   | content                                                    |
 * |---------------------------|--------|------------------------------------------------------------|
 * | P sports                  | hash   | sport id → Sport                                           |
 * | P events                  | hash   | event id → Event                                           |
 * | P markets                 | hash   | market id → Market                                         |
 * | P market-event            | hash   | market id → event id (plain), to re-index a moved market   |
 * | P event-markets:<eventId> | set    | market ids of the event                                    |
 * | P results                 | hash   | event id → Result                                          |
 * | P result-sport            | hash   | event id → sport id (plain)                                |
 * | P results:by-time         | zset   | event id, score = completedAt epoch ms                     |
 * | P results:by-sport:<id>   | zset   | the same, per sport                                        |
 * | P log                     | stream | the update log: fields t (type), k (key), d (data), see codec.ts; MAXLEN ~ logMaxLen, MINID ~ newest − logMaxAgeMs |
 * | P log:epoch               | string | the log's epoch (Store.logEpoch): a random id set when absent (plain) |
 * | P ids:src:<source>        | hash   | upstream id → internal event id (plain)                    |
 * | P ids:seq                 | string | id counter; internal id = 1_000_000 + INCR                 |
 * | P doc:<key>               | string | getDoc/setDoc documents; P doc:score:<eventId> = latest score |
 *
 * A commit is one EVALSHA of COMMIT_SCRIPT (lua.ts): state writes, index updates, XADDs and the trim,
 * atomic and in one round trip. Fenced (fence(): an ingest lease holder), the script first GETs the lease
 * key and writes nothing unless it holds this writer's token, so a holder that lost its lease without
 * knowing (stalled past the TTL, renewals lost) cannot write after another instance took it; links
 * (linkEventId) are fenced the same way. Ids are allocated by RESOLVE_ID_SCRIPT (HGET, else INCR + HSET, atomic).
 * Scripts touch keys they build from the prefix: on Redis Cluster use a hash-tagged prefix ("{oddsgate}:").
 * What is read back is trusted JSON written by this code, except at loadSnapshot, which checks every
 * sport and event with the model's zod schemas and every market structurally (see validate.ts), and
 * skips (and logs) the ones that fail.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Change, LogEntry, Result } from '../model/index.js';
import { StoreError, type LeaseFence, type ResultQuery, type Store, type StoreSnapshot } from './types.js';
import { encodeChange } from './codec.js';
import {
  CHUNK,
  COMMAND_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_LOG_MAX_AGE_MS,
  DEFAULT_LOG_MAX_LEN,
  EVENT_ID_BASE,
  PING_TIMEOUT_MS,
} from './constants.js';
import { storeKeys, type StoreKeys } from './keys.js';
import { isLogId, parseLogId } from './log-id.js';
import { COMMIT_SCRIPT, LINK_ID_SCRIPT, RESOLVE_ID_SCRIPT, commitArgs, commitKeys } from './lua.js';
import {
  commandClientOptions,
  redactRedisUrl,
  tailClientOptions,
  toStoreError,
  waitReady,
  watchConnection,
} from './redis-connection.js';
import { snapshotChecks } from './validate.js';
import { decodeStreamEntries, startRedisTail, type RawStreamEntry, type RedisTail } from './redis-tail.js';
import { StoreObservers, type StoreObserver } from './observers.js';

/** Options of RedisStore. */
export interface RedisStoreOptions {
  /** redis:// or rediss:// URL; credentials in it are never logged. */
  url: string;
  /** Prefix of every key. Default "oddsgate:". */
  keyPrefix?: string;
  /** Entries kept in the update log (approximately: MAXLEN ~, at least this many). Default 200,000. */
  logMaxLen?: number;
  /**
   * Update-log entries older than this, from the newest entry's time, are trimmed (approximately:
   * MINID ~, whole stream nodes). Default 10 min; Infinity: no age bound.
   */
  logMaxAgeMs?: number;
  logger: Logger;
  /** CLIENT SETNAME of the command connection; tail connections get "<name>:tail". Default "oddsgate-store". */
  connectionName?: string;
  /** Longest wait for a reply before a command fails with STORE_UNAVAILABLE. Default 5000 ms. */
  commandTimeoutMs?: number;
}

/** The Store on Redis; see the key layout above. Call connect() first; close() when done. */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly observers = new StoreObservers();
  private readonly client: Redis;
  private readonly keys: StoreKeys;
  private readonly logMaxLen: number;
  private readonly logMaxAgeMs: number;
  private readonly logger: Logger;
  private readonly name: string;
  private readonly tails = new Set<RedisTail>();
  private closed = false;
  private leaseFence: LeaseFence | null = null;

  constructor(private readonly opts: RedisStoreOptions) {
    this.keys = storeKeys(opts.keyPrefix ?? DEFAULT_KEY_PREFIX);
    this.logMaxLen = opts.logMaxLen ?? DEFAULT_LOG_MAX_LEN;
    this.logMaxAgeMs = opts.logMaxAgeMs ?? DEFAULT_LOG_MAX_AGE_MS;
    this.name = opts.connectionName ?? 'oddsgate-store';
    this.logger = opts.logger.child({ redis: redactRedisUrl(opts.url) });
    this.client = new Redis(
      opts.url,
      commandClientOptions(this.name, opts.commandTimeoutMs ?? COMMAND_TIMEOUT_MS),
    );
    watchConnection(this.client, this.logger, 'warn', () => this.closed);
    this.client.on('ready', () => void this.loadScripts().catch(() => undefined));
  }

  /**
   * Connects and loads the scripts. Rejects with STORE_UNAVAILABLE when Redis does not answer; the store
   * keeps reconnecting in the background either way, so a caller may carry on and use it once ping() is true.
   */
  async connect(): Promise<void> {
    this.assertOpen();
    try {
      if (this.client.status === 'wait') await this.client.connect();
      else await waitReady(this.client, this.opts.commandTimeoutMs ?? COMMAND_TIMEOUT_MS);
      await this.loadScripts();
    } catch (err) {
      throw toStoreError(err);
    }
    this.logger.info({ keyPrefix: this.keys.prefix }, 'redis store connected');
  }

  /** Stops every tail and closes the connections. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const tails = [...this.tails];
    this.tails.clear();
    for (const t of tails) t.stop();
    await Promise.all(tails.map((t) => t.done));
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }

  /** True when Redis answers PING within a second; never throws. */
  async ping(): Promise<boolean> {
    if (this.closed || this.client.status !== 'ready') return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, PING_TIMEOUT_MS, false)));
    try {
      return await Promise.race([this.client.ping().then((r) => r === 'PONG'), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** See Store.resolveEventId: atomic across processes (one script call). */
  async resolveEventId(source: string, upstreamId: string): Promise<number> {
    return this.run(async () => {
      const keys = [this.keys.ids(source), this.keys.idSeq];
      return Number(await RESOLVE_ID_SCRIPT.run(this.client, keys, [upstreamId, EVENT_ID_BASE]));
    });
  }

  /** See Store.findEventId. */
  async findEventId(source: string, upstreamId: string): Promise<number | null> {
    return this.run(async () => {
      const v = await this.client.hget(this.keys.ids(source), upstreamId);
      return v === null ? null : Number(v);
    });
  }

  /** See Store.linkEventId: one script call (HSET; fenced, see fence(), it checks the lease first). */
  async linkEventId(source: string, upstreamId: string, eventId: number): Promise<void> {
    const fence = this.leaseFence;
    const keys = fence ? [this.keys.ids(source), fence.key] : [this.keys.ids(source)];
    const args = [upstreamId, String(eventId), fence?.token ?? ''];
    await this.run(() => LINK_ID_SCRIPT.run(this.client, keys, args));
  }

  /** See Store.fence: later commits and links check the lease inside their own script call. */
  fence(fence: LeaseFence | null): void {
    this.leaseFence = fence;
  }

  /**
   * See Store.commit: one EVALSHA, whatever the number of changes, atomic on the server. A commit that
   * fails with STORE_UNAVAILABLE because the connection dropped mid-call may or may not have been applied
   * (it is never re-sent automatically, so it is never applied twice). Fenced and the lease is another
   * instance's: STORE_FENCED, nothing written.
   */
  commit(changes: readonly Change[]): Promise<LogEntry[]> {
    return this.observers.time('commit', () => this.commitNow(changes));
  }

  /** See Store.observe. */
  observe(observer: StoreObserver): () => void {
    return this.observers.add(observer);
  }

  private async commitNow(changes: readonly Change[]): Promise<LogEntry[]> {
    this.assertOpen();
    if (changes.length === 0) return [];
    const fence = this.leaseFence;
    const args = commitArgs(this.keys, this.logMaxLen, this.logMaxAgeMs, fence);
    for (const c of changes) {
      const e = encodeChange(c);
      args.push(e.type, e.key, e.data, e.aux1, e.aux2, e.rooms);
    }
    const ids = await this.run(() => COMMIT_SCRIPT.run(this.client, commitKeys(this.keys, fence), args));
    if (!Array.isArray(ids) || ids.length !== changes.length) {
      throw new StoreError('STORE_CORRUPT', `commit script returned ${JSON.stringify(ids)?.slice(0, 80)}`);
    }
    return changes.map((change, i) => {
      const id = String(ids[i]);
      return { id, ts: parseLogId(id).ms, change };
    });
  }

  /** State and last log id read in one MULTI, so they are consistent. */
  async loadSnapshot(): Promise<StoreSnapshot> {
    const k = this.keys;
    const res = await this.run(() =>
      this.client
        .multi()
        .hvals(k.sports)
        .hvals(k.events)
        .hvals(k.markets)
        .xrevrange(k.log, '+', '-', 'COUNT', 1)
        .exec(),
    );
    const [sports, events, markets, last] = (res ?? []).map(([err, value]) => {
      if (err) throw toStoreError(err);
      return value;
    });
    return {
      sports: this.parseValues(sports, snapshotChecks.sport, 'sport'),
      events: this.parseValues(events, snapshotChecks.event, 'event'),
      markets: this.parseValues(markets, snapshotChecks.market, 'market'),
      logPosition: (last as RawStreamEntry[] | undefined)?.[0]?.[0] ?? null,
    };
  }

  /** See Store.readLog (XRANGE with an exclusive start). */
  readLog(after: string | null, limit: number): Promise<LogEntry[]> {
    return this.observers.time('readLog', () => this.readLogNow(after, limit));
  }

  private async readLogNow(after: string | null, limit: number): Promise<LogEntry[]> {
    this.assertOpen();
    checkPosition(after);
    if (limit <= 0) return [];
    const start = after === null ? '-' : `(${after}`;
    const raw = await this.run(() => this.client.xrange(this.keys.log, start, '+', 'COUNT', limit));
    return this.decode(raw as RawStreamEntry[]);
  }

  /** See Store.oldestLogId. */
  async oldestLogId(): Promise<string | null> {
    const raw = await this.run(() => this.client.xrange(this.keys.log, '-', '+', 'COUNT', 1));
    return raw[0]?.[0] ?? null;
  }

  /**
   * See Store.tailLog. Each tail has its own connection doing XREAD BLOCK from the last delivered id;
   * with `after` null, "now" is read on the command connection before this returns, so later commits
   * of this process are always delivered. Entries trimmed before a slow tail reads them are skipped
   * (compare with oldestLogId to detect it).
   */
  tailLog(after: string | null, onEntries: (entries: LogEntry[]) => void): () => void {
    this.assertOpen();
    checkPosition(after);
    const start =
      after !== null
        ? Promise.resolve(after)
        : this.client.xrevrange(this.keys.log, '+', '-', 'COUNT', 1).then((r) => r[0]?.[0] ?? '0-0');
    const conn = this.client.duplicate(tailClientOptions(`${this.name}:tail`));
    let stopped = false;
    watchConnection(conn, this.logger.child({ tail: true }), 'debug', () => stopped || this.closed);
    const tail = startRedisTail({ conn, logKey: this.keys.log, start, onEntries, logger: this.logger });
    this.tails.add(tail);
    return () => {
      stopped = true;
      this.tails.delete(tail);
      tail.stop();
    };
  }

  /** See Store.getResult. */
  async getResult(eventId: number): Promise<Result | null> {
    const json = await this.run(() => this.client.hget(this.keys.results, String(eventId)));
    return json === null ? null : this.parse<Result>(json);
  }

  /** Newest completion first; ties by event id, descending as text (sorted-set order). */
  async listResults(query: ResultQuery): Promise<Result[]> {
    this.assertOpen();
    if (query.limit <= 0) return [];
    const key =
      query.sportId === undefined ? this.keys.resultsByTime : this.keys.resultsBySport(query.sportId);
    const min = query.since === undefined ? '-inf' : String(query.since);
    return this.run(async () => {
      const ids = await this.client.zrevrangebyscore(key, '+inf', min, 'LIMIT', 0, query.limit);
      const out: Result[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const jsons = await this.client.hmget(this.keys.results, ...ids.slice(i, i + CHUNK));
        for (const j of jsons) if (j !== null) out.push(this.parse<Result>(j));
      }
      return out;
    });
  }

  /** See Store.countResults. */
  async countResults(): Promise<number> {
    return this.run(() => this.client.hlen(this.keys.results));
  }

  /**
   * See Store.logEpoch: `<prefix>log:epoch`, set to a random id when absent (SET NX, so every instance
   * reads the one that won) and read back each time, so a flushed Redis gives a new epoch.
   */
  async logEpoch(): Promise<string> {
    const fresh = randomBytes(6).toString('base64url');
    const key = this.keys.logEpoch;
    return this.run(async () => {
      await this.client.set(key, fresh, 'NX');
      return (await this.client.get(key)) ?? fresh;
    });
  }

  /** See Store.getDoc; the latest score of an event is `getDoc('score:<eventId>')`. */
  async getDoc<T>(key: string): Promise<T | null> {
    const json = await this.run(() => this.client.get(this.keys.doc(key)));
    return json === null ? null : this.parse<T>(json);
  }

  /** See Store.setDoc. */
  async setDoc(key: string, value: unknown): Promise<void> {
    await this.run(() => this.client.set(this.keys.doc(key), JSON.stringify(value) ?? 'null'));
  }

  private async loadScripts(): Promise<void> {
    const scripts = [COMMIT_SCRIPT, RESOLVE_ID_SCRIPT, LINK_ID_SCRIPT];
    await Promise.all(scripts.map((s) => s.load(this.client)));
  }

  /** Runs Redis calls with the closed check and error mapping. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn();
    } catch (err) {
      throw toStoreError(err);
    }
  }

  private decode(raw: RawStreamEntry[]): LogEntry[] {
    return decodeStreamEntries(raw, (id, err) => {
      throw new StoreError('STORE_CORRUPT', `update-log entry ${id} does not decode`, { cause: err });
    });
  }

  private parse<T>(json: string): T {
    try {
      return JSON.parse(json) as T;
    } catch (err) {
      throw new StoreError('STORE_CORRUPT', 'stored value is not JSON', { cause: err });
    }
  }

  /** Parses and checks a hash's values; bad ones are logged and skipped so one cannot block a boot. */
  private parseValues<T>(values: unknown, check: (v: unknown) => v is T, kind: string): T[] {
    const out: T[] = [];
    for (const json of (values ?? []) as string[]) {
      let value: unknown;
      try {
        value = JSON.parse(json);
      } catch {
        value = undefined;
      }
      if (check(value)) out.push(value);
      else this.logger.error({ kind, value: json.slice(0, 120) }, 'invalid stored value skipped');
    }
    return out;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'store is closed');
  }
}

function checkPosition(after: string | null): void {
  if (after !== null && !isLogId(after)) throw new TypeError(`not a log position: ${JSON.stringify(after)}`);
}
