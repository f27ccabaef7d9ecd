import { z } from 'zod';

/** A switch from JSON or env text: true/false, 1/0, on/off, yes/no. */
const onOff = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'on' || v === 'yes');

/**
 * The venues the execution layer bets at beside the paper bookmaker: the Betfair exchange (`betfair-ex`,
 * over the Betfair source's app key, credentials and endpoints: `betfair.*`) and a sportsbook speaking
 * Pinnacle's betting API (its URL and HTTP Basic credentials). Unset: paper only.
 */
export const ExecutionVenuesSchema = z
  .object({
    /** EXEC_BETFAIR_EX=on: the `betfair-ex` connector (needs BETFAIR_APP_KEY and a session or login). */
    betfairEx: onOff.default(false),
    /** Per request to the exchange's API-NG. */
    betfairExTimeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
    sportsbook: z
      .object({
        /** Base URL of the sportsbook API (the simulator's odds-API URL); unset: no sportsbook. */
        url: z.string().url().optional(),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        /** The bookmaker slug ABP clients see (GET /abp/bookmakers, account bookmaker). */
        slug: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'EXEC_SPORTSBOOK_SLUG must be a lowercase slug')
          .default('pinnacle'),
        /** How often its fixtures are read again to map oddsgate's events to its own. */
        fixturesRefreshSec: z.coerce.number().int().min(5).max(86_400).default(300),
        timeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
      })
      .prefault({})
      .refine((s) => !s.url || (s.username && s.password), {
        message: 'EXEC_SPORTSBOOK_URL needs EXEC_SPORTSBOOK_USERNAME and EXEC_SPORTSBOOK_PASSWORD',
        path: ['url'],
      }),
  })
  .prefault({});
export type ExecutionVenuesConfig = z.infer<typeof ExecutionVenuesSchema>;

/** Environment variable → config path of the execution venues. */
export const EXECUTION_ENV_KEYS: Readonly<Record<string, string>> = {
  EXEC_BETFAIR_EX: 'execution.betfairEx',
  EXEC_BETFAIR_EX_TIMEOUT_MS: 'execution.betfairExTimeoutMs',
  EXEC_SPORTSBOOK_URL: 'execution.sportsbook.url',
  EXEC_SPORTSBOOK_USERNAME: 'execution.sportsbook.username',
  EXEC_SPORTSBOOK_PASSWORD: 'execution.sportsbook.password',
  EXEC_SPORTSBOOK_SLUG: 'execution.sportsbook.slug',
  EXEC_SPORTSBOOK_FIXTURES_REFRESH_SEC: 'execution.sportsbook.fixturesRefreshSec',
  EXEC_SPORTSBOOK_TIMEOUT_MS: 'execution.sportsbook.timeoutMs',
};
