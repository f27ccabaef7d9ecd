import { z } from 'zod';
import { MM_BET_STATUSES, MM_ORDER_STATUSES, POSITION_FILTERS } from '../../../mm/read-api.js';

/** A comma-separated list of `values` (case-insensitive), e.g. `open,matched`. */
function csvOf<const T extends readonly [string, ...string[]]>(values: T, upper: boolean) {
  return z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((x) => (upper ? x.trim().toUpperCase() : x.trim().toLowerCase()))
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(z.enum(values)).max(values.length * 2));
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'Input should be a valid date or datetime')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'Input should be a valid date or datetime');

/** `from_date` / `to_date` (ISO dates; `to_date` includes its whole day). */
export const DateRangeQuery = z.object({
  from_date: isoDate.optional().describe('Only rows created at or after this date (ISO 8601).'),
  to_date: isoDate
    .optional()
    .describe('Only rows created on or before this date (a bare date includes its day).'),
});

const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(500)
  .default(100)
  .describe('Page size (1–500, default 100).');
const cursor = (what: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`Keyset cursor: only ${what} with a smaller id (the \`nextCursor\` of the previous page).`);

export const OrdersQuery = DateRangeQuery.extend({
  fixture_id: z.string().min(1).max(64).optional().describe('Only orders of this fixture.'),
  exchange: z.string().min(1).max(64).optional().describe('Only orders on this exchange (venue slug).'),
  status: csvOf(MM_ORDER_STATUSES, true)
    .optional()
    .describe(
      'Order status, comma-separated: PENDING_PLACEMENT, PLACED, PARTIAL, FILLED, FAILED, CANCELLED, EXPIRED.',
    ),
  limit,
  before_id: cursor('orders'),
});

export const OpenOrdersQuery = z.object({
  fixture_id: z.string().min(1).max(64).optional().describe('Only open orders of this fixture.'),
  exchange: z.string().min(1).max(64).optional().describe('Only open orders on this exchange.'),
});

export const CancelAllQuery = OpenOrdersQuery;

export const BetsQuery = DateRangeQuery.extend({
  order_id: z.coerce.number().int().min(1).optional().describe('Only bets hedging this order.'),
  bookmaker: z.string().min(1).max(64).optional().describe('Only bets on this bookmaker.'),
  status: csvOf(MM_BET_STATUSES, false)
    .optional()
    .describe('Bet status, comma-separated: pending, placed, declined, cancelled, void.'),
  limit,
  before_id: cursor('bets'),
});

export const PositionsQuery = DateRangeQuery.extend({
  status: csvOf(POSITION_FILTERS, false)
    .optional()
    .describe('open, matched, filled, cancelled, active (default), comma-separated (OR).'),
});

export const OrderParams = z.object({
  order_id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});
export const BetParams = z.object({ bet_id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const FixturesQuery = z.object({
  fixtureIds: z
    .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).max(200)])
    .optional()
    .describe('Only these fixtures (repeat the parameter).'),
  tournament_id: z.string().min(1).max(64).optional().describe('Only fixtures of this tournament.'),
  sport_id: z.coerce.number().int().min(1).optional().describe('Only fixtures of this sport.'),
  live: bool.optional().describe('true: in-play only; false: not in-play only.'),
  all: bool.default(false).describe('true: every fixture oddsgate holds, not only those with your orders.'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after_id: z.coerce.number().int().optional().describe('Keyset cursor: the previous page’s `nextCursor`.'),
});
export const FixtureParams = z.object({ fixture_id: z.string().min(1).max(64) });
export const SportQuery = z.object({
  sportId: z.coerce.number().int().min(1).describe('Sport id (1 soccer).'),
});
