import { z } from 'zod';

/** Largest `expiresAt` from now: 24 hours (later values are capped). */
export const MAX_EXPIRY_MS = 24 * 3600_000;
/** Default `expiresAt` from now: 5 seconds. */
export const DEFAULT_EXPIRY_MS = 5_000;

const ids = (name: string) =>
  z
    .string()
    .regex(/^\s*\d{1,18}\s*(,\s*\d{1,18}\s*)*$/, `${name} must be comma-separated integers`)
    .transform((s) => s.split(',').map((x) => Number(x.trim())));
const uuids = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.uuid()).max(1000));

/** One order of POST /place-orders, with the document's defaults. */
export const PlaceOrderSchema = z.object({
  requestUuid: z.uuid().describe('Unique UUID for idempotency (a duplicate is refused: 409).'),
  fixtureId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('Fixture id (the internal event id, e.g. "1000001").'),
  futureId: z.string().min(1).max(64).optional().describe('Futures market id: not implemented (501).'),
  participantId: z.number().int().optional(),
  outcomeId: z.number().int().min(0).describe('Outcome (101 home, 102 draw, 103 away).'),
  playerId: z.number().int().min(0).describe('0 for non-player markets.'),
  orderStake: z.number().gt(0).max(1e9).describe('Total amount to wager, in orderCurrency.'),
  orderPrice: z.number().gt(1).max(100_000).describe('Worst acceptable decimal odds.'),
  userRef: z.string().min(1).max(200).describe('Your reference for grouping orders.'),
  testOrder: z.boolean().describe('Validate and route only; nothing is sent.'),
  bookmakers: z.string().max(1000).optional().describe('Comma-separated slugs to target.'),
  orderCurrency: z
    .string()
    .regex(/^[A-Z]{3,5}$/)
    .default('USD'),
  acceptBetterOdds: z.boolean().default(true),
  acceptPartialStake: z.boolean().default(true),
  back: z.boolean().default(true).describe('Back (true) or lay (false).'),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('Default 5 s from now, at most 24 h.'),
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type PlaceOrderBody = z.infer<typeof PlaceOrderSchema>;

export const PlaceOrdersBody = z.object({ orders: z.array(PlaceOrderSchema).min(1).max(100) });

export const CancelOrdersBody = z.object({
  orderIds: z.array(z.number().int().min(1)).max(1000).optional(),
  requestUuids: z.array(z.uuid()).max(1000).optional(),
  userRef: z.string().min(1).max(200).optional(),
});

export const OrdersQuery = z.object({
  orderIds: ids('orderIds').optional(),
  requestUuids: uuids.optional(),
  userRef: z.string().min(1).max(200).optional(),
  afterOrderId: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const BetsQuery = z.object({
  betIds: ids('betIds').optional(),
  orderIds: ids('orderIds').optional(),
  userRef: z.string().min(1).max(200).optional(),
  afterBetId: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const BetParams = z.object({ bet_id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

export const AnalyticsQuerySchema = z.object({
  groupBy: z.enum(['bookmaker', 'account', 'userRef']).default('bookmaker'),
  bookmaker: z.string().min(1).max(100).optional(),
  userRef: z.string().min(1).max(200).optional(),
  account: z.string().min(1).max(200).optional(),
});
