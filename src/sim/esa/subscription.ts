/**
 * `marketSubscription` requests as the simulated Exchange Stream API accepts them: validated with the
 * protocol's bounds (heartbeatMs 500–30000, conflateMs 0–120000), and the market filter matched against
 * market definitions.
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

const ids = z.array(z.string()).optional();

/** The stream's market filter (every field given must match; fields are ANDed). */
export const MarketFilterSchema = z.object({
  marketIds: ids,
  eventTypeIds: ids,
  eventIds: ids,
  marketTypes: ids,
  countryCodes: ids,
  venues: ids,
  bettingTypes: ids,
  turnInPlayEnabled: z.boolean().optional(),
  bspMarket: z.boolean().optional(),
});
export type MarketFilter = z.infer<typeof MarketFilterSchema>;

const MarketSubscriptionSchema = z.object({
  op: z.literal('marketSubscription'),
  id: z.number().int().optional(),
  marketFilter: MarketFilterSchema.optional(),
  marketDataFilter: z
    .object({ fields: z.array(z.enum(MARKET_FIELDS)).optional(), ladderLevels: z.number().int().optional() })
    .optional(),
  conflateMs: z.number().int().nullable().optional(),
  heartbeatMs: z.number().int().nullable().optional(),
  segmentationEnabled: z.boolean().optional(),
  initialClk: z.string().optional(),
  clk: z.string().optional(),
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

/** Validates a marketSubscription message; `error` describes the first problem (answered INVALID_INPUT). */
export function parseMarketSubscription(msg: unknown): { sub: MarketSubscription } | { error: string } {
  const parsed = MarketSubscriptionSchema.safeParse(msg);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}` };
  }
  const m = parsed.data;
  const fields = m.marketDataFilter?.fields;
  return {
    sub: {
      id: m.id ?? 0,
      filter: m.marketFilter ?? {},
      fields: new Set(fields && fields.length > 0 ? fields : DEFAULT_FIELDS),
      ladderLevels: clamp(m.marketDataFilter?.ladderLevels ?? 10, 1, 10),
      conflateMs: clamp(m.conflateMs ?? 0, 0, 120_000),
      heartbeatMs: clamp(m.heartbeatMs ?? 5000, 500, 30_000),
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
    return !(f.eventTypeIds?.length || f.eventIds?.length || f.marketTypes?.length || f.countryCodes?.length);
  return (
    inList(f.eventTypeIds, def.eventTypeId) &&
    inList(f.eventIds, def.eventId) &&
    inList(f.marketTypes, def.marketType) &&
    inList(f.countryCodes, def.countryCode) &&
    inList(f.venues, def.venue) &&
    inList(f.bettingTypes, def.bettingType) &&
    (f.turnInPlayEnabled === undefined || f.turnInPlayEnabled === def.turnInPlayEnabled) &&
    (f.bspMarket === undefined || f.bspMarket === def.bspMarket)
  );
}
