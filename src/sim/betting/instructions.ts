/**
 * The parameters of the simulated API-NG betting and account operations, as zod schemas written from the
 * API-NG reference (PlaceInstruction, LimitOrder, CancelInstruction, ReplaceInstruction, …). Optional
 * fields may be sent as `null` (clients such as betfairlightweight do, e.g. in `dateRange`).
 */
import { z } from 'zod';

const nullish = <T extends z.ZodTypeAny>(t: T) => t.nullish().transform((v) => v ?? undefined);

const Side = z.enum(['BACK', 'LAY']);
const Persistence = z.enum(['LAPSE', 'PERSIST', 'MARKET_ON_CLOSE']);

/** LimitOrder. */
export const LimitOrderSchema = z.object({
  size: nullish(z.number().positive()),
  price: z.number().positive(),
  persistenceType: nullish(Persistence),
  timeInForce: nullish(z.enum(['FILL_OR_KILL'])),
  minFillSize: nullish(z.number().positive()),
  betTargetType: nullish(z.enum(['BACKERS_PROFIT', 'PAYOUT'])),
  betTargetSize: nullish(z.number().positive()),
});

/** PlaceInstruction. */
export const PlaceInstructionSchema = z.object({
  orderType: z.enum(['LIMIT', 'LIMIT_ON_CLOSE', 'MARKET_ON_CLOSE']),
  selectionId: z.number().int(),
  handicap: nullish(z.number()),
  side: Side,
  limitOrder: nullish(LimitOrderSchema),
  limitOnCloseOrder: nullish(z.object({ liability: z.number().positive(), price: z.number().positive() })),
  marketOnCloseOrder: nullish(z.object({ liability: z.number().positive() })),
  customerOrderRef: nullish(z.string().max(32)),
});
/** A parsed PlaceInstruction. */
export type PlaceInstruction = z.output<typeof PlaceInstructionSchema>;

const ref = (max: number) => nullish(z.string().min(1).max(max));

/** placeOrders params. */
export const PlaceOrdersParamsSchema = z.object({
  marketId: z.string().min(1),
  instructions: z.array(PlaceInstructionSchema),
  customerRef: ref(32),
  marketVersion: nullish(z.object({ version: z.number().int() })),
  customerStrategyRef: ref(15),
  async: nullish(z.boolean()),
});

/** cancelOrders params: no marketId cancels every unmatched bet. */
export const CancelOrdersParamsSchema = z.object({
  marketId: nullish(z.string().min(1)),
  instructions: nullish(
    z.array(z.object({ betId: z.string().min(1), sizeReduction: nullish(z.number().positive()) })).max(60),
  ),
  customerRef: ref(32),
});

/** replaceOrders params. */
export const ReplaceOrdersParamsSchema = z.object({
  marketId: z.string().min(1),
  instructions: z
    .array(z.object({ betId: z.string().min(1), newPrice: z.number().positive() }))
    .min(1)
    .max(60),
  customerRef: ref(32),
  marketVersion: nullish(z.object({ version: z.number().int() })),
  async: nullish(z.boolean()),
});

/** updateOrders params. */
export const UpdateOrdersParamsSchema = z.object({
  marketId: z.string().min(1),
  instructions: z
    .array(z.object({ betId: z.string().min(1), newPersistenceType: Persistence }))
    .min(1)
    .max(60),
  customerRef: ref(32),
});

const DateRange = nullish(z.object({ from: nullish(z.string()), to: nullish(z.string()) }));

/** listCurrentOrders params. */
export const CurrentOrdersParamsSchema = z.object({
  betIds: nullish(z.array(z.string()).max(250)),
  marketIds: nullish(z.array(z.string()).max(250)),
  orderProjection: nullish(z.enum(['ALL', 'EXECUTABLE', 'EXECUTION_COMPLETE'])),
  customerOrderRefs: nullish(z.array(z.string())),
  customerStrategyRefs: nullish(z.array(z.string())),
  dateRange: DateRange,
  orderBy: nullish(
    z.enum(['BY_BET', 'BY_MARKET', 'BY_MATCH_TIME', 'BY_PLACE_TIME', 'BY_SETTLED_TIME', 'BY_VOID_TIME']),
  ),
  sortDir: nullish(z.enum(['EARLIEST_TO_LATEST', 'LATEST_TO_EARLIEST'])),
  fromRecord: nullish(z.number().int().min(0)),
  recordCount: nullish(z.number().int().min(0)),
  includeItemDescription: nullish(z.boolean()),
});

/** listClearedOrders params. */
export const ClearedOrdersParamsSchema = z.object({
  betStatus: z.enum(['SETTLED', 'VOIDED', 'LAPSED', 'CANCELLED']),
  eventTypeIds: nullish(z.array(z.string())),
  eventIds: nullish(z.array(z.string())),
  marketIds: nullish(z.array(z.string())),
  runnerIds: nullish(z.array(z.union([z.number(), z.string()]))),
  betIds: nullish(z.array(z.string())),
  customerOrderRefs: nullish(z.array(z.string())),
  customerStrategyRefs: nullish(z.array(z.string())),
  side: nullish(Side),
  settledDateRange: DateRange,
  groupBy: nullish(z.enum(['EVENT_TYPE', 'EVENT', 'MARKET', 'SIDE', 'BET', 'RUNNER'])),
  includeItemDescription: nullish(z.boolean()),
  locale: nullish(z.string()),
  fromRecord: nullish(z.number().int().min(0)),
  recordCount: nullish(z.number().int().min(0)),
});
