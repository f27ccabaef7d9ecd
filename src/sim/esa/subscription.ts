/**
 * `marketSubscription` requests as the simulated Exchange Stream API accepts them: validated with the
 * protocol's bounds (heartbeatMs 500–5000, conflateMs 0–120000: out-of-range values are clamped and the
 * clamped value is looped back on the initial image, as Betfair does), and the market filter matched against
 * market definitions. Optional fields may be given as `null` (clients such as betfairlightweight send
 * `"initialClk": null, "clk": null, "conflateMs": null` on a fresh subscription), meaning "not given".
 */
import { z } from 'zod';
import type { StreamMarketDefinition } from '../stream-types.js';

/** Market data fields a subscription can ask for. */
export const MARKET_FIELDS = [
  'EX_BEST_OFFERS_DISP',
  'EX_BEST_OFFERS',
  'EX_ALL_OFFERS',
  'EX_TRADED',
  'EX_TRADED_VOL',
  'EX_LTP',
  'EX_MARKET_DEF',
  'SP_TRADED',
  'SP_PROJECTED',
] as const;
export type MarketField = (typeof MARKET_FIELDS)[number];

const ids = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? undefined);
const optional = <T extends z.ZodTypeAny>(t: T) => t.nullish().transform((v) => v ?? undefined);

/** The stream's market filter (every field given must match; fields are ANDed). */
export const MarketFilterSchema = z.object({
  marketIds: ids,
  eventTypeIds: ids,
  eventIds: ids,
  marketTypes: ids,
  countryCodes: ids,
  venues: ids,
  bettingTypes: ids,
  raceTypes: ids,
  turnInPlayEnabled: optional(z.boolean()),
  bspMarket: optional(z.boolean()),
});
export type MarketFilter = Partial<z.output<typeof MarketFilterSchema>>;

/** Fields every subscription request (market or order) may carry; `null` means not given. */
const SubscriptionCommon = {
  id: optional(z.number().int()),
  conflateMs: optional(z.number().int()),
  heartbeatMs: optional(z.number().int()),
  segmentationEnabled: optional(z.boolean()),
  initialClk: optional(z.string()),
  clk: optional(z.string()),
};

const MarketSubscriptionSchema = z.object({
  op: z.literal('marketSubscription'),
  marketFilter: optional(MarketFilterSchema),
  marketDataFilter: optional(
    z.object({
      fields: optional(z.array(z.enum(MARKET_FIELDS))),
      ladderLevels: optional(z.number().int()),
    }),
  ),
  ...SubscriptionCommon,
});

/** The order filter of an `orderSubscription` (accepted and validated; the simulator has one account). */
const OrderSubscriptionSchema = z.object({
  op: z.literal('orderSubscription'),
  orderFilter: optional(
    z.object({
      includeOverallPosition: optional(z.boolean()),
      customerStrategyRefs: ids,
      partitionMatchedByStrategyRef: optional(z.boolean()),
      accountIds: optional(z.array(z.number().int())),
    }),
  ),
  ...SubscriptionCommon,
});

/** A validated market subscription. */
export interface MarketSubscription {
  id: number;
  filter: MarketFilter;
  fields: ReadonlySet<MarketField>;
  ladderLevels: number;
  conflateMs: number;
  heartbeatMs: number;
  segmentationEnabled: boolean;
  initialClk: string | null;
  clk: string | null;
}

const DEFAULT_FIELDS: readonly MarketField[] = [
  'EX_ALL_OFFERS',
  'EX_TRADED',
  'EX_TRADED_VOL',
  'EX_LTP',
  'EX_MARKET_DEF',
];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Betfair's bounds for heartbeatMs (default 5000) and conflateMs (default 0). */
export const HEARTBEAT_MS = { min: 500, max: 5000, default: 5000 } as const;
export const CONFLATE_MS = { min: 0, max: 120_000, default: 0 } as const;

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`;
}

/** A validated order subscription. */
export interface OrderSubscription {
  id: number | undefined;
  heartbeatMs: number;
  conflateMs: number;
  initialClk: string | null;
  clk: string | null;
}

/** Validates an orderSubscription message; `error` describes the first problem (answered INVALID_INPUT). */
export function parseOrderSubscription(msg: unknown): { sub: OrderSubscription } | { error: string } {
  const parsed = OrderSubscriptionSchema.safeParse(msg);
  if (!parsed.success) return { error: firstIssue(parsed.error) };
  const m = parsed.data;
  return {
    sub: {
      id: m.id,
      heartbeatMs: clamp(m.heartbeatMs ?? HEARTBEAT_MS.default, HEARTBEAT_MS.min, HEARTBEAT_MS.max),
      conflateMs: clamp(m.conflateMs ?? CONFLATE_MS.default, CONFLATE_MS.min, CONFLATE_MS.max),
      initialClk: m.initialClk ?? null,
      clk: m.clk ?? null,
    },
  };
}

/** Validates a marketSubscription message; `error` describes the first problem (answered INVALID_INPUT). */
export function parseMarketSubscription(msg: unknown): { sub: MarketSubscription } | { error: string } {
  const parsed = MarketSubscriptionSchema.safeParse(msg);
  if (!parsed.success) return { error: firstIssue(parsed.error) };
  const m = parsed.data;
  const fields = m.marketDataFilter?.fields;
  return {
    sub: {
      id: m.id ?? 0,
      filter: m.marketFilter ?? {},
      fields: new Set(fields && fields.length > 0 ? fields : DEFAULT_FIELDS),
      ladderLevels: clamp(m.marketDataFilter?.ladderLevels ?? 10, 1, 10),
      conflateMs: clamp(m.conflateMs ?? CONFLATE_MS.default, CONFLATE_MS.min, CONFLATE_MS.max),
      heartbeatMs: clamp(m.heartbeatMs ?? HEARTBEAT_MS.default, HEARTBEAT_MS.min, HEARTBEAT_MS.max),
      segmentationEnabled: m.segmentationEnabled ?? true,
      initialClk: m.initialClk ?? null,
      clk: m.clk ?? null,
    },
  };
}

function inList(list: readonly string[] | undefined, value: string | undefined): boolean {
  return list === undefined || list.length === 0 || (value !== undefined && list.includes(value));
}

/** True when the market (id and definition) passes every field of the filter. */
export function matchesFilter(
  f: MarketFilter,
  marketId: string,
  def: StreamMarketDefinition | null,
): boolean {
  if (f.marketIds && f.marketIds.length > 0 && !f.marketIds.includes(marketId)) return false;
  if (!def)
    return !(
      f.eventTypeIds?.length ||
      f.eventIds?.length ||
      f.marketTypes?.length ||
      f.countryCodes?.length ||
      f.raceTypes?.length
    );
  return (
    inList(f.eventTypeIds, def.eventTypeId) &&
    inList(f.eventIds, def.eventId) &&
    inList(f.marketTypes, def.marketType) &&
    inList(f.countryCodes, def.countryCode) &&
    inList(f.venues, def.venue) &&
    inList(f.bettingTypes, def.bettingType) &&
    // The simulator's definitions carry no raceType: a raceTypes filter matches none of its markets.
    inList(f.raceTypes, (def as { raceType?: string }).raceType) &&
    (f.turnInPlayEnabled === undefined || f.turnInPlayEnabled === def.turnInPlayEnabled) &&
    (f.bspMarket === undefined || f.bspMarket === def.bspMarket)
  );
}
