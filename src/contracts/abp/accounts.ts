import { z } from 'zod';

const money = z.number().finite();
const slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{0,39}$/, 'Bookmaker slug: lower-case letters, digits, dots and dashes');
const currency = z.string().regex(/^[A-Z]{3,5}$/, 'Currency code such as USD');
/** `meta`: a JSON object of at most 8 KB (stored, never sent to a bookmaker). */
const meta = z
  .record(z.string(), z.unknown())
  .refine((m) => JSON.stringify(m).length <= 8192, 'meta must be at most 8 KB of JSON');

/** POST /accounts body. */
export const AccountCreateSchema = z.object({
  bookmaker: slug,
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
  balance: money.min(0).optional(),
  active: z.boolean().optional(),
  priority: z.number().int().min(-1_000_000).max(1_000_000).optional(),
  maxStake: money.gt(0).nullable().optional(),
  minStake: money.min(0).nullable().optional(),
  currencyId: currency.optional(),
  verifyBetslip: z.boolean().optional(),
  meta: meta.optional(),
});
export type AccountCreate = z.infer<typeof AccountCreateSchema>;

/** PATCH /accounts/{bookmaker}/{username} body: any of the fields, only those change. */
export const AccountUpdateSchema = AccountCreateSchema.omit({ bookmaker: true, username: true }).partial();
export type AccountUpdate = z.infer<typeof AccountUpdateSchema>;

/** Path of one account. */
export const AccountPathSchema = z.object({
  bookmaker: z.string().min(1).max(40),
  username: z.string().min(1).max(200),
});

/** GET /accounts query. */
export const AccountListQuerySchema = z.object({ bookmaker: z.string().min(1).max(40).optional() });

/** An account as returned: the credential always `***`. */
export const AccountSchema = z.object({
  bookmaker: z.string(),
  username: z.string(),
  client: z.string(),
  password: z.literal('***'),
  balance: z.number(),
  active: z.boolean(),
  priority: z.number().int(),
  maxStake: z.number().nullable(),
  minStake: z.number().nullable(),
  currencyId: z.string(),
  verifyBetslip: z.boolean(),
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The document's quickstart account (OpenAPI example). */
export const ACCOUNT_EXAMPLE = {
  bookmaker: 'pinnacle',
  username: 'pinnacle_main',
  client: 'your-client',
  password: '***',
  balance: 5000.0,
  active: true,
  priority: 10,
  maxStake: 1000.0,
  minStake: 5.0,
  currencyId: 'USD',
  verifyBetslip: false,
  meta: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T12:00:00.000Z',
} as const;
