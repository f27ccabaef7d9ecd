import { z } from 'zod';

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

const num = (def: number) => z.coerce.number().finite().default(def);

/** The whole configuration. Every key can come from config/*.json, the CONFIG file or the environment. */
export const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3001),
  host: z.string().min(1).default('0.0.0.0'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: the in-memory store. */
  redisUrl: z.string().url().optional(),
  redisKeyPrefix: z.string().min(1).default('oddsgate:'),
  /** Entries kept in the update log. */
  updateLogMaxLen: z.coerce.number().int().min(100).default(200_000),
  /** Unset: a random password is generated at start and logged once with a warning. */
  diamondPassword: z.string().min(1).optional(),
  /** Which sources run: sim, historical, betfair, imatchodds, oddsapi. */
  sources: csv.default(['sim']),
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
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variable → config path. */
export const ENV_KEYS: Readonly<Record<string, string>> = {
  PORT: 'port',
  HOST: 'host',
  LOG_LEVEL: 'logLevel',
  REDIS_URL: 'redisUrl',
  REDIS_KEY_PREFIX: 'redisKeyPrefix',
  UPDATE_LOG_MAXLEN: 'updateLogMaxLen',
  DIAMOND_PASSWORD: 'diamondPassword',
  SOURCES: 'sources',
  SIM_SPEED: 'sim.speed',
  SIM_SEED: 'sim.seed',
  SIM_RATE: 'sim.rate',
  SIM_EVENTS: 'sim.events',
  HISTORICAL_FILES: 'historical.files',
  HISTORICAL_SPEED: 'historical.speed',
  CLOSED_MARKET_TTL_SEC: 'closedMarketTtlSec',
};
