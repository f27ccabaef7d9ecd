import { z } from 'zod';
import { BET_STATUSES, SETTLEMENT_STATUSES } from '../../../execution/types.js';

/** Largest stake a Diamond bet may ask for. */
export const MAX_BET_STAKE = 1_000_000;
/** Most games in one preview or bulk settlement. */
export const MAX_SETTLE_GAMES = 100;
/** Most bets in one listing page, and the default. */
export const MAX_BET_PAGE = 500;
export const DEFAULT_BET_PAGE = 100;

const ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** A game id: the internal id (or an upstream id) as text; a JSON number is taken as its digits. */
const gmidField = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .refine((v) => ID.test(v), 'must be a game id (gmid): 1-64 of letters, digits and . _ : -');

const selectionIdField = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Money with at most two decimals. */
const cents = (n: number) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6;

/** `POST /bets`: an exchange-style back or lay bet on a runner of a game. */
export const PlaceBetBody = z.strictObject({
  gmid: gmidField,
  selectionId: selectionIdField,
  side: z.enum(['back', 'lay']),
  price: z.number().gt(1, 'must be greater than 1 (decimal odds)').max(1000),
  stake: z.number().positive().max(MAX_BET_STAKE).refine(cents, 'must have at most two decimals'),
  requestId: z
    .string()
    .regex(ID, 'must be 1-64 of letters, digits and . _ : - (the same requestId places once)'),
  marketId: z.string().regex(ID, 'must be a market id').optional(),
  bookmaker: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, 'must be a bookmaker slug')
    .default('paper'),
  currency: z
    .string()
    .regex(/^[A-Z]{3,5}$/, 'must be a currency code such as USD')
    .default('USD'),
});
export type PlaceBet = z.infer<typeof PlaceBetBody>;

const STATUS_VALUES: readonly string[] = [...BET_STATUSES, ...SETTLEMENT_STATUSES];

/** `GET /bets`: filters and keyset page. */
export const ListBetsQuery = z.object({
  gmid: z.string().regex(ID, 'must be a game id (gmid)').optional(),
  status: z
    .string()
    .transform((s) => s.toUpperCase())
    .refine((s) => STATUS_VALUES.includes(s), `must be one of ${STATUS_VALUES.join(', ')}`)
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `must be 1..${MAX_BET_PAGE}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= MAX_BET_PAGE, `must be 1..${MAX_BET_PAGE}`)
    .optional(),
  afterBetId: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a bet id')
    .transform(Number)
    .optional(),
});

/** A game and its result as an operator gives it: winners by selection id, or `void` for no winner. */
const GameResultItem = z
  .strictObject({
    gmid: gmidField,
    winners: z.array(selectionIdField).min(1).max(20).optional(),
    void: z.literal(true).optional(),
  })
  .refine((g) => !(g.winners && g.void), 'give winners or void, not both');

const uniqueGames = (games: readonly { gmid: string }[]) =>
  new Set(games.map((g) => g.gmid)).size === games.length;

/** `POST /settlements/preview`: games with given winners, or none to use the recorded (settled) result. */
export const PreviewBody = z.strictObject({
  games: z.array(GameResultItem).min(1).max(MAX_SETTLE_GAMES).refine(uniqueGames, 'each game once'),
});

/** `POST /settlements/bulk`: every game with its given winners (or void). */
export const BulkBody = z.strictObject({
  games: z
    .array(GameResultItem.refine((g) => g.winners || g.void, 'give the winners (selection ids) or void'))
    .min(1)
    .max(MAX_SETTLE_GAMES)
    .refine(uniqueGames, 'each game once'),
});

/** `POST /settlements/auto`: optionally only some games. */
export const AutoBody = z
  .strictObject({ gmids: z.array(gmidField).min(1).max(MAX_SETTLE_GAMES).optional() })
  .optional();

/** `POST /settlements/void`: reverse a game's settlement, with the reason. */
export const VoidBody = z.strictObject({
  gmid: gmidField,
  reason: z.string().trim().min(3, 'must say why (3-500 characters)').max(500),
});

/** `:id` of the trace routes. */
export const TraceParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/, 'must be a numeric id')
    .transform(Number),
});
