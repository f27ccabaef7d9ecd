import { z } from 'zod';

/** A switch from JSON or env text: true/false, 1/0, on/off, yes/no. */
const onOff = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'on' || v === 'yes');

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

const slug = (what: string) =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, `${what} must be a lowercase slug`);

/**
 * Which events the market maker quotes: one fixture (`fixture:<event id>`), every event of a sport
 * (`sport:<sport id>`) or of a tournament (`tournament:<competition id or name>`).
 */
export const MmSelectorSchema = z
  .string()
  .trim()
  .regex(
    /^(fixture|sport|tournament):[^,]{1,100}$/,
    'an MM market is fixture:<id>, sport:<id> or tournament:<id|name>',
  );

/** The strategy of a quoted market (the defaults of every selector; a selector added at runtime may override). */
export const MmStrategySchema = z.object({
  /** Ladder ticks between the fair price and each quote. */
  spreadTicks: z.coerce.number().int().min(1).max(100).default(2),
  /** Backer's stake each quote shows (exchange currency). */
  size: z.coerce.number().min(1).max(1_000_000).default(2),
  /** Ladder ticks a quote may be off its target before it is replaced. */
  replaceTicks: z.coerce.number().int().min(1).max(100).default(2),
  /** Cap on one market's worst-case loss, resting quotes counted as if they filled. */
  maxExposure: z.coerce.number().min(0).max(1e9).default(100),
  /** Cancel the quotes of an event (and stop quoting it) at its in-play turn. */
  cancelInPlay: onOff.default(true),
});
export type MmStrategy = z.infer<typeof MmStrategySchema>;

/**
 * The market-making engine (src/mm/engine.ts): off unless `enabled` and the maker exchange is configured
 * (EXEC_BETFAIR_EX=on). Quotes rest on the maker instance of the Betfair exchange connector (`exchange`),
 * fills are hedged on `hedgeBookmaker`, both through the execution layer's order service as `client`.
 */
export const MmSchema = z
  .object({
    enabled: onOff.default(false),
    /** The execution client the quotes and hedges are orders of (its accounts, its MM API key). */
    client: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, 'MM_CLIENT: letters, digits, _ . : - (1 to 100)')
      .default('mm'),
    /** Slug of the resting-order (maker) instance of the Betfair exchange connector. */
    exchange: slug('MM_EXCHANGE').default('betfair-ex-mm'),
    /** Where fills are hedged (a connector slug the client has an account at). */
    hedgeBookmaker: slug('MM_HEDGE_BOOKMAKER').default('paper'),
    /** Selectors quoted from the start (the admin route adds and removes more at runtime). */
    markets: csv.pipe(z.array(MmSelectorSchema).max(1000)).default([]),
    /** Books the fair price is the de-margined consensus of (book names as in /books); empty: every book. */
    fairBooks: csv.default([]),
    /** Cap on the client's exposure summed over its markets. */
    clientMaxExposure: z.coerce.number().min(0).max(1e12).default(1000),
    /** How often each market is looked at (fills polled, quotes decided). */
    intervalMs: z.coerce.number().int().min(50).max(60_000).default(1000),
    /**
     * How long the database lease (src/mm/lease.ts) lasts without renewal: of the instances sharing one
     * database only its holder quotes; another takes over this long after the holder stopped renewing.
     * Unset: five cycle intervals. Keep it above the longest cycle.
     */
    leaseTtlMs: z.coerce.number().int().min(100).max(3_600_000).optional(),
    /** Most markets (event outcomes) quoted at once. */
    maxMarkets: z.coerce.number().int().min(1).max(10_000).default(200),
    strategy: MmStrategySchema.prefault({}),
  })
  .prefault({});
export type MmConfig = z.infer<typeof MmSchema>;

/** Environment variable → config path of the market maker. */
export const MM_ENV_KEYS: Readonly<Record<string, string>> = {
  MM_ENABLED: 'mm.enabled',
  MM_CLIENT: 'mm.client',
  MM_EXCHANGE: 'mm.exchange',
  MM_HEDGE_BOOKMAKER: 'mm.hedgeBookmaker',
  MM_MARKETS: 'mm.markets',
  MM_FAIR_BOOKS: 'mm.fairBooks',
  MM_CLIENT_MAX_EXPOSURE: 'mm.clientMaxExposure',
  MM_INTERVAL_MS: 'mm.intervalMs',
  MM_MAX_MARKETS: 'mm.maxMarkets',
  MM_LEASE_TTL_MS: 'mm.leaseTtlMs',
  MM_SPREAD_TICKS: 'mm.strategy.spreadTicks',
  MM_SIZE: 'mm.strategy.size',
  MM_REPLACE_TICKS: 'mm.strategy.replaceTicks',
  MM_MAX_EXPOSURE: 'mm.strategy.maxExposure',
  MM_CANCEL_IN_PLAY: 'mm.strategy.cancelInPlay',
};
