import { z } from 'zod';
import {
  ApiKeysSchema,
  HealthSchema,
  MetricsSchema,
  OPERATIONS_ENV_KEYS,
  ProxySchema,
  MIN_SECRET_LENGTH,
  RoleSchema,
} from './operations.js';
import { ABP_ENV_KEYS, AbpSchema } from './abp.js';
import { EXECUTION_ENV_KEYS, ExecutionVenuesSchema } from './execution.js';
import { MM_ENV_KEYS, MmSchema } from './mm.js';

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

/** A browser origin: scheme, host, optional port; no path, no trailing slash. */
const CORS_ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?$/;

const num = (def: number) => z.coerce.number().finite().default(def);

/** A configured secret (password, token): at least 12 characters, the message names the variable. */
const secret = (envName: string) =>
  z.string().min(MIN_SECRET_LENGTH, `${envName} must be at least ${MIN_SECRET_LENGTH} characters`);

/**
 * TRUST_PROXY: whether `X-Forwarded-For` names the client (fastify `trustProxy`): `false` (default: the
 * socket's peer is the client), `true` (trust every hop: only behind a proxy that overwrites the header),
 * or a comma list of the proxies' addresses or CIDRs (`10.0.0.0/8,127.0.0.1`, also `loopback`). It decides
 * the client address the per-address limits count.
 */
const PROXY_ADDRESS = /^([0-9a-f.:]+(\/\d{1,3})?|loopback|linklocal|uniquelocal)$/;
const TrustProxySchema = z
  .union([z.boolean(), z.string(), z.array(z.string())])
  .transform((v, ctx): boolean | string[] => {
    if (typeof v === 'boolean') return v;
    const t = typeof v === 'string' ? v.trim().toLowerCase() : '';
    if (t === 'true' || t === '1') return true;
    if (typeof v === 'string' && (t === 'false' || t === '0' || t === '')) return false;
    const list = (Array.isArray(v) ? v : t.split(','))
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s.length > 0);
    if (list.length > 0 && list.every((s) => PROXY_ADDRESS.test(s))) return list;
    ctx.addIssue({
      code: 'custom',
      message: 'TRUST_PROXY must be true, false or a comma list of proxy addresses/CIDRs',
    });
    return z.NEVER;
  });

/** A boolean from JSON or env text ("true"/"false"/"1"/"0"). */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

/** The whole configuration. Every key can come from config/*.json, the CONFIG file or the environment. */
export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3001),
  host: z.string().min(1).default('0.0.0.0'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: the in-memory store. */
  redisUrl: z.string().url().optional(),
  redisKeyPrefix: z.string().min(1).default('oddsgate:'),
  /** At start, how long to wait for Redis to answer before giving up (0: fail at once). */
  redisWaitSec: z.coerce.number().int().min(0).max(3600).default(0),
  /** The records database (ids, results archive): a PostgreSQL URL; unset: embedded PGlite in dataDir. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional(),
  /** Where the embedded records database (PGlite) keeps its files; one process at a time. */
  dataDir: z.string().min(1).default('./data'),
  /** Entries kept in the update log. */
  updateLogMaxLen: z.coerce.number().int().min(100).default(200_000),
  /**
   * Update-log entries older than this (from the newest entry) are trimmed; never less than the WebSocket
   * recovery window (ws.recoveryWindowSec), which is filled from the log at boot.
   */
  updateLogMaxAgeSec: z.coerce.number().int().min(1).default(600),
  /** Memory store: bound of the update log in (estimated) heap megabytes. Redis: not applicable. */
  updateLogMaxMb: z.coerce.number().positive().default(32),
  /** Unset: a random password is generated at start and logged once with a warning. */
  diamondPassword: secret('DIAMOND_PASSWORD').optional(),
  /**
   * Origins a browser page may call the Diamond surface from (CORS): `*` (default: any origin, never with
   * credentials) or a comma list of origins such as `https://app.example.com,http://localhost:5173`.
   */
  diamondCorsOrigins: csv
    .default(['*'])
    .refine((list) => list.length > 0 && list.every((o) => o === '*' || CORS_ORIGIN.test(o)), {
      message: 'DIAMOND_CORS_ORIGINS must be * or a comma list of origins (scheme://host[:port], no path)',
    }),
  /**
   * Which sources run: sim, historical, betfair, imatchodds, imatchodds-replay, oddsapi. The default pairs
   * the simulated exchange with a recording of the simulated betting site (fancy and bookmaker markets,
   * no browser needed).
   */
  sources: csv.default(['sim', 'imatchodds-replay']),
  sim: z
    .object({
      /** Simulator clock multiplier. */
      speed: z.coerce.number().positive().max(10_000).default(1),
      seed: z.coerce.number().int().default(20261122),
      /** Target runner changes per second. */
      rate: z.coerce.number().positive().max(100_000).default(300),
      /** Events kept scheduled at any time. */
      events: z.coerce.number().int().min(4).max(10_000).default(40),
    })
    .default({ speed: 1, seed: 20261122, rate: 300, events: 40 }),
  historical: z
    .object({
      files: csv.default([]),
      /** Replay speed factor; 0 = as fast as possible. */
      speed: num(0),
    })
    .default({ files: [], speed: 0 }),
  /** Closed markets are evicted from the current state after this many seconds. */
  closedMarketTtlSec: z.coerce.number().int().min(0).default(3600),
  /** The WebSocket broker (/ws). */
  ws: z
    .object({
      /** Server ping interval; a connection that has not answered the previous ping is reaped. */
      pingIntervalMs: z.coerce.number().int().min(50).default(30_000),
      /** Outgoing queue bound per connection (bytes queued + held by the socket) before 4008. */
      maxQueueBytes: z.coerce
        .number()
        .int()
        .min(1024)
        .default(8 * 1024 * 1024),
      /** Outgoing queue bound per connection (messages not yet written) before 4008. */
      maxQueueMessages: z.coerce.number().int().min(10).default(20_000),
      /** Recovery window: messages this recent are kept per room for `subscribe` with `since`. */
      recoveryWindowSec: z.coerce.number().int().min(1).default(180),
      /** Hard cap of kept messages per room (memory bound of the recovery window). */
      recoveryMaxMessages: z.coerce.number().int().min(100).default(100_000),
      /** Rooms one connection may be subscribed to. */
      maxRooms: z.coerce.number().int().min(1).default(200),
      /** Open connections per client IP while no API key is known (keys off, or before `login`). */
      maxConnections: z.coerce.number().int().min(1).default(2000),
      /** Open connections per API key on this instance (header, `?apiKey=` or `login`); the next gets 4029. */
      maxConnectionsPerKey: z.coerce.number().int().min(1).default(5),
      /** Largest client frame accepted (ws maxPayload); bigger ones close with 1009. */
      maxFrameBytes: z.coerce
        .number()
        .int()
        .min(256)
        .default(16 * 1024),
      /** Client frames per second before the connection is closed with 4030. */
      maxInboundPerSec: z.coerce.number().int().min(1).default(100),
      /** Refused (error-replied) frames per minute before the connection is closed with 4030. */
      maxErrors: z.coerce.number().int().min(1).default(30),
      /** With API keys configured, time allowed for the `login` frame before 4002. */
      loginTimeoutMs: z.coerce.number().int().min(100).default(10_000),
      /** After a close frame, the socket is destroyed if the client has not closed within this. */
      closeGraceMs: z.coerce.number().int().min(10).default(5000),
      /** `matches_updated` interval. */
      matchesIntervalMs: z.coerce.number().int().min(100).default(30_000),
      /** How often room counters are persisted. */
      seqPersistMs: z.coerce.number().int().min(100).default(5000),
    })
    .prefault({}),
  /** Browser sources (Vue betting sites read through Chromium: imatchodds, ...). */
  browser: z
    .object({
      /**
       * Chromium binary. Unset: a system Chromium (/usr/bin/chromium, chromium-browser, google-chrome…),
       * else the one the npm package @sparticuz/chromium ships (see src/sources/browser/chromium.ts).
       */
      chromiumPath: z.string().min(1).optional(),
      headless: flag.default(true),
      /** localStorage poll interval. */
      pollMs: z.coerce.number().int().min(200).default(20_000),
      /** Page navigation / app-ready timeout. */
      navTimeoutMs: z.coerce.number().int().min(500).default(15_000),
      /** On-demand full-market scrape timeout (then 502). */
      scrapeTimeoutMs: z.coerce.number().int().min(500).default(10_000),
      /** Full-market scrapes are served from cache this long. */
      fullMarketsTtlMs: z.coerce.number().int().min(0).default(15_000),
      /** Scrape tabs per source. */
      tabs: z.coerce.number().int().min(1).max(16).default(2),
      /** The browser is restarted when its processes use more than this (MB). */
      maxMemoryMb: z.coerce.number().int().min(100).default(1500),
      /** Fancy/bookmaker events scraped in the background after each poll (0 = on demand only). */
      liveScrapes: z.coerce.number().int().min(0).max(50).default(3),
      /** Folder of site profiles. */
      sitesDir: z.string().min(1).default('config/sites'),
      /** Append localStorage snapshots and scrapes to this NDJSON file (a recording for replay). */
      recordFile: z.string().min(1).optional(),
    })
    .prefault({}),
  /** The imatchodds site (profile config/sites/imatchodds.json). */
  imatchodds: z
    .object({
      /** Overrides the profile's URL pool. */
      urls: csv.default([]),
      /** HTTP proxies handed to the pool's domains round-robin. */
      proxies: csv.default([]),
      /** Recording played by the imatchodds-replay source. */
      replayFile: z.string().min(1).default('config/recordings/imatchodds-sim-site.ndjson'),
      /** Replay speed factor (1 = as recorded). */
      replaySpeed: z.coerce.number().positive().max(1000).default(1),
    })
    .prefault({}),
  /** The live Betfair Exchange source (SOURCES=betfair): stream, catalogue, session, subscription. */
  betfair: z
    .object({
      appKey: z.string().min(1).optional(),
      /** A session token to start with; with username/password a new one is obtained when it dies. */
      sessionToken: z.string().min(1).optional(),
      username: z.string().min(1).optional(),
      password: z.string().min(1).optional(),
      /** Client certificate and key (PEM files): certificate login instead of interactive login. */
      certFile: z.string().min(1).optional(),
      keyFile: z.string().min(1).optional(),
      streamHost: z.string().min(1).default('stream-api.betfair.com'),
      streamPort: z.coerce.number().int().min(1).max(65535).default(443),
      /** PEM CA file trusted instead of the system CAs for every Betfair connection (the simulator). */
      caFile: z.string().min(1).optional(),
      apiUrl: z.string().url().default('https://api.betfair.com/exchange/betting/json-rpc/v1'),
      /** Base of login / keepAlive / logout. */
      identityUrl: z.string().url().default('https://identitysso.betfair.com/api'),
      /** Base of certlogin. */
      identityCertUrl: z.string().url().default('https://identitysso-cert.betfair.com/api'),
      /** Market filter (resolved to market ids by the catalogue): Betfair event type ids. */
      eventTypeIds: csv.default(['1', '2', '4', '7']),
      marketTypes: csv.default(['MATCH_ODDS', 'WIN']),
      countryCodes: csv.default([]),
      inPlayOnly: flag.default(false),
      /** Stream data fields and ladder depth. */
      fields: csv
        .pipe(
          z.array(
            z.enum([
              'EX_BEST_OFFERS_DISP',
              'EX_BEST_OFFERS',
              'EX_ALL_OFFERS',
              'EX_TRADED',
              'EX_TRADED_VOL',
              'EX_LTP',
              'EX_MARKET_DEF',
              'SP_TRADED',
              'SP_PROJECTED',
            ]),
          ),
        )
        .default(['EX_BEST_OFFERS', 'EX_TRADED_VOL', 'EX_LTP', 'EX_MARKET_DEF']),
      ladderLevels: z.coerce.number().int().min(1).max(10).default(3),
      conflateMs: z.coerce.number().int().min(0).max(120_000).default(0),
      /** Heartbeat asked of Betfair; nothing received for twice this long → reconnect. */
      heartbeatMs: z.coerce.number().int().min(500).max(30_000).default(5000),
      /** Markets per subscription (Betfair's default limit is 200). */
      marketLimit: z.coerce.number().int().min(1).max(5000).default(200),
      /** Markets clients asked for stay subscribed this long after the last request. */
      demandMinutes: z.coerce.number().positive().default(10),
      resubscribeDebounceMs: z.coerce.number().int().min(0).default(1000),
      catalogueRefreshSec: z.coerce.number().int().min(5).default(300),
      /** listMarketBook polling while the stream is down (after pollAfterMs). */
      pollIntervalMs: z.coerce.number().int().min(100).default(5000),
      pollAfterMs: z.coerce.number().int().min(0).default(3000),
      keepAliveMin: z.coerce.number().positive().default(60),
      requestTimeoutMs: z.coerce.number().int().min(100).default(10_000),
      /** Latency (now − pt) above which a warning is logged. */
      maxLatencyMs: z.coerce.number().int().min(0).default(2000),
      /** Subscribe to the order stream. */
      orders: flag.default(true),
    })
    .prefault({}),
  /** Admin credential for Diamond `/tokens` (sent as `x-admin-password`); unset: /tokens is refused. */
  diamondAdminPassword: secret('DIAMOND_ADMIN_PASSWORD').optional(),
  /** The Odds API v4 source (`oddsapi`): key, endpoint, monthly quota plan, what is polled. */
  oddsApi: z
    .object({
      /** Required when SOURCES includes oddsapi. */
      apiKey: z.string().min(1).optional(),
      url: z.string().url().default('https://api.the-odds-api.com'),
      /** Credits this source may spend per quota period (the plan spreads them over the period). */
      monthlyQuota: z.coerce.number().int().min(1).default(500),
      /** Day of the month (UTC) the quota renews. */
      quotaResetDay: z.coerce.number().int().min(1).max(28).default(1),
      regions: csv.default(['uk', 'eu']),
      /** Odds API market keys: h2h, h2h_lay, spreads, totals. */
      markets: csv.default(['h2h']),
      /** Sport keys (soccer_epl, ...); empty: the active match sports of /v4/sports, at most maxSports. */
      sports: csv.default([]),
      maxSports: z.coerce.number().int().min(1).max(100).default(8),
      /** No sport is polled more often than this. */
      minIntervalSec: z.coerce.number().int().min(1).default(60),
      /** How much more often a sport with games in play is polled than one with games to come. */
      inPlayWeight: z.coerce.number().min(1).max(100).default(4),
      /** `daysFrom` of scores requests (1–3); 0 = no scores polling. */
      scoresDaysFrom: z.coerce.number().int().min(0).max(3).default(1),
      timeoutMs: z.coerce.number().int().min(100).default(10_000),
      /** Bookmaker books older than this are stale (never used for best prices or arbitrage). */
      bookTtlSec: z.coerce.number().int().min(1).default(300),
    })
    .prefault({}),
  /** Books side by side, best prices and arbitrage. */
  books: z
    .object({
      /** Books of streamed sources older than this (after their source's last confirmation) are stale. */
      ttlSec: z.coerce.number().int().min(1).default(15),
      /** Default total stake of arbitrage stake splits. */
      arbTotal: z.coerce.number().positive().default(100),
      /** Arbitrages are re-checked for staleness this often. */
      sweepMs: z.coerce.number().int().min(100).default(1000),
      /**
       * Edge ceiling of arbitrage as a fraction of the total stake (0.10 = 10%): a larger edge is a data or
       * unit error, reported as suspect (`/arbs?suspect=1`) and kept out of /arbs and the `arbs` room.
       */
      arbMaxEdge: z.coerce.number().positive().max(10).default(0.1),
      /** Every leg of an arbitrage must have data at most this old (ms, by the book clock). */
      arbMaxAgeMs: z.coerce.number().int().min(100).default(60_000),
    })
    .prefault({}),
  /** Cross-source event matching. */
  matching: z
    .object({
      enabled: flag.default(true),
      /** Largest start-time difference of one match across sources. */
      windowMin: z.coerce.number().int().min(0).max(1440).default(30),
    })
    .prefault({}),
  /** Odds history (the records database): who writes it, and how long each resolution is kept. */
  history: z
    .object({
      /**
       * auto: the process that ingests writes history (with an ingest lease, only its holder; ROLE=history
       * always); on: this process writes it whatever its role; off: it never does.
       */
      writer: z.enum(['auto', 'on', 'off']).default('auto'),
      /** Raw ticks (and 1 s candles, computed from them) kept this many days; whole day partitions dropped. */
      retentionRawDays: z.coerce.number().int().min(1).max(3650).default(7),
      /** 1-minute candles (and 5 min, computed from them) kept this many days; hourly candles are kept. */
      retention1mDays: z.coerce.number().int().min(1).max(36500).default(90),
      /** Pause between the writer's batches once caught up (one transaction about this often). */
      flushMs: z.coerce.number().int().min(10).max(60_000).default(1000),
    })
    .prefault({}),
  /** What this process runs: all (default), api (HTTP + WebSocket, no source), ingest (sources; health, metrics). */
  role: RoleSchema,
  /** API keys (`API_KEYS=key1:60,key2:600`), hashed at load; none: /api/v1 and /ws stay open. */
  apiKeys: ApiKeysSchema.default([]),
  /** Failed credential attempts (API key, passwords, metrics token) per client address a minute, then 429. */
  authMaxFailures: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Whether X-Forwarded-For names the client (see TrustProxySchema). */
  trustProxy: TrustProxySchema.default(false),
  /** The iframe proxy: allow-listed upstream hosts, size and time caps. */
  proxy: ProxySchema,
  /** Prometheus /metrics. */
  metrics: MetricsSchema,
  /** Health rules (ROLE=api: update-log freshness). */
  health: HealthSchema,
  /** The ABP surface (/abp): SECRETS_KEY, WebSocket timings. */
  abp: AbpSchema,
  /** Execution venues beside paper (EXEC_BETFAIR_EX, EXEC_SPORTSBOOK_*). */
  execution: ExecutionVenuesSchema,
  /** The market-making engine (MM_*). */
  mm: MmSchema,
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variable → config path. */
export const ENV_KEYS: Readonly<Record<string, string>> = {
  PORT: 'port',
  HOST: 'host',
  LOG_LEVEL: 'logLevel',
  REDIS_URL: 'redisUrl',
  REDIS_KEY_PREFIX: 'redisKeyPrefix',
  REDIS_WAIT_SEC: 'redisWaitSec',
  DATABASE_URL: 'databaseUrl',
  DATA_DIR: 'dataDir',
  HISTORY_WRITER: 'history.writer',
  HISTORY_RETENTION_RAW_DAYS: 'history.retentionRawDays',
  HISTORY_RETENTION_1M_DAYS: 'history.retention1mDays',
  HISTORY_FLUSH_MS: 'history.flushMs',
  UPDATE_LOG_MAXLEN: 'updateLogMaxLen',
  UPDATE_LOG_MAX_AGE_SEC: 'updateLogMaxAgeSec',
  UPDATE_LOG_MAX_MB: 'updateLogMaxMb',
  DIAMOND_PASSWORD: 'diamondPassword',
  DIAMOND_CORS_ORIGINS: 'diamondCorsOrigins',
  SOURCES: 'sources',
  SIM_SPEED: 'sim.speed',
  SIM_SEED: 'sim.seed',
  SIM_RATE: 'sim.rate',
  SIM_EVENTS: 'sim.events',
  HISTORICAL_FILES: 'historical.files',
  HISTORICAL_SPEED: 'historical.speed',
  CLOSED_MARKET_TTL_SEC: 'closedMarketTtlSec',
  WS_PING_INTERVAL_MS: 'ws.pingIntervalMs',
  WS_MAX_QUEUE_BYTES: 'ws.maxQueueBytes',
  WS_MAX_QUEUE_MESSAGES: 'ws.maxQueueMessages',
  WS_RECOVERY_WINDOW_SEC: 'ws.recoveryWindowSec',
  WS_RECOVERY_MAX_MESSAGES: 'ws.recoveryMaxMessages',
  WS_MAX_ROOMS: 'ws.maxRooms',
  WS_MAX_CONNECTIONS: 'ws.maxConnections',
  WS_MAX_CONNECTIONS_PER_KEY: 'ws.maxConnectionsPerKey',
  WS_MAX_FRAME_BYTES: 'ws.maxFrameBytes',
  WS_MAX_INBOUND_PER_SEC: 'ws.maxInboundPerSec',
  WS_LOGIN_TIMEOUT_MS: 'ws.loginTimeoutMs',
  WS_CLOSE_GRACE_MS: 'ws.closeGraceMs',
  WS_MATCHES_INTERVAL_MS: 'ws.matchesIntervalMs',
  CHROMIUM_PATH: 'browser.chromiumPath',
  BROWSER_HEADLESS: 'browser.headless',
  BROWSER_POLL_MS: 'browser.pollMs',
  BROWSER_NAV_TIMEOUT_MS: 'browser.navTimeoutMs',
  BROWSER_SCRAPE_TIMEOUT_MS: 'browser.scrapeTimeoutMs',
  BROWSER_FULL_MARKETS_TTL_MS: 'browser.fullMarketsTtlMs',
  BROWSER_TABS: 'browser.tabs',
  BROWSER_MAX_MEMORY_MB: 'browser.maxMemoryMb',
  BROWSER_LIVE_SCRAPES: 'browser.liveScrapes',
  BROWSER_RECORD_FILE: 'browser.recordFile',
  SITES_DIR: 'browser.sitesDir',
  IMATCHODDS_URLS: 'imatchodds.urls',
  IMATCHODDS_PROXIES: 'imatchodds.proxies',
  IMATCHODDS_REPLAY_FILE: 'imatchodds.replayFile',
  IMATCHODDS_REPLAY_SPEED: 'imatchodds.replaySpeed',
  DIAMOND_ADMIN_PASSWORD: 'diamondAdminPassword',
  BETFAIR_APP_KEY: 'betfair.appKey',
  BETFAIR_SESSION_TOKEN: 'betfair.sessionToken',
  BETFAIR_USERNAME: 'betfair.username',
  BETFAIR_PASSWORD: 'betfair.password',
  BETFAIR_CERT_FILE: 'betfair.certFile',
  BETFAIR_KEY_FILE: 'betfair.keyFile',
  BETFAIR_STREAM_HOST: 'betfair.streamHost',
  BETFAIR_STREAM_PORT: 'betfair.streamPort',
  BETFAIR_CA_FILE: 'betfair.caFile',
  BETFAIR_API_URL: 'betfair.apiUrl',
  BETFAIR_IDENTITY_URL: 'betfair.identityUrl',
  BETFAIR_IDENTITY_CERT_URL: 'betfair.identityCertUrl',
  BETFAIR_EVENT_TYPES: 'betfair.eventTypeIds',
  BETFAIR_MARKET_TYPES: 'betfair.marketTypes',
  BETFAIR_COUNTRIES: 'betfair.countryCodes',
  BETFAIR_IN_PLAY_ONLY: 'betfair.inPlayOnly',
  BETFAIR_FIELDS: 'betfair.fields',
  BETFAIR_LADDER_LEVELS: 'betfair.ladderLevels',
  BETFAIR_CONFLATE_MS: 'betfair.conflateMs',
  BETFAIR_HEARTBEAT_MS: 'betfair.heartbeatMs',
  BETFAIR_MARKET_LIMIT: 'betfair.marketLimit',
  BETFAIR_DEMAND_MINUTES: 'betfair.demandMinutes',
  BETFAIR_POLL_INTERVAL_MS: 'betfair.pollIntervalMs',
  BETFAIR_KEEP_ALIVE_MIN: 'betfair.keepAliveMin',
  BETFAIR_ORDERS: 'betfair.orders',
  ODDS_API_KEY: 'oddsApi.apiKey',
  ODDS_API_URL: 'oddsApi.url',
  ODDS_API_MONTHLY_QUOTA: 'oddsApi.monthlyQuota',
  ODDS_API_QUOTA_RESET_DAY: 'oddsApi.quotaResetDay',
  ODDS_API_REGIONS: 'oddsApi.regions',
  ODDS_API_MARKETS: 'oddsApi.markets',
  ODDS_API_SPORTS: 'oddsApi.sports',
  ODDS_API_MAX_SPORTS: 'oddsApi.maxSports',
  ODDS_API_MIN_INTERVAL_SEC: 'oddsApi.minIntervalSec',
  ODDS_API_INPLAY_WEIGHT: 'oddsApi.inPlayWeight',
  ODDS_API_SCORES_DAYS_FROM: 'oddsApi.scoresDaysFrom',
  ODDS_API_TIMEOUT_MS: 'oddsApi.timeoutMs',
  ODDS_API_BOOK_TTL_SEC: 'oddsApi.bookTtlSec',
  BOOKS_TTL_SEC: 'books.ttlSec',
  BOOKS_ARB_TOTAL: 'books.arbTotal',
  BOOKS_SWEEP_MS: 'books.sweepMs',
  ARB_MAX_EDGE: 'books.arbMaxEdge',
  ARB_MAX_AGE_MS: 'books.arbMaxAgeMs',
  MATCHING_ENABLED: 'matching.enabled',
  MATCHING_WINDOW_MIN: 'matching.windowMin',
  AUTH_MAX_FAILURES: 'authMaxFailures',
  TRUST_PROXY: 'trustProxy',
  ...OPERATIONS_ENV_KEYS,
  ...ABP_ENV_KEYS,
  ...EXECUTION_ENV_KEYS,
  ...MM_ENV_KEYS,
};
