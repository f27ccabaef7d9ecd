/**
 * Betfair Exchange Stream API message shapes, as they arrive on the wire (and in historical files).
 * Only the fields oddsgate reads are typed; everything else is kept in the raw objects.
 * Reference: Betfair "Exchange Stream API" (ESASwaggerSchema) and betcode-org/betfair `streaming/`.
 */

/** `ct` of a change message; absent means an ordinary update. */
export type ChangeType = 'SUB_IMAGE' | 'RESUB_DELTA' | 'HEARTBEAT';

/** `segmentType` of a change message split by Betfair into several frames. */
export type SegmentType = 'SEG_START' | 'SEG' | 'SEG_END';

/** `[price, size]`: size 0 removes the price. */
export type PricePair = readonly [price: number, size: number];

/** `[level, price, size]`: size 0 removes the level. */
export type LevelTriple = readonly [level: number, price: number, size: number];

/** A runner as described by the market definition. */
export interface RunnerDefinition {
  id: number;
  hc?: number;
  status?: string;
  sortPriority?: number;
  bsp?: number;
  adjustmentFactor?: number;
  removalDate?: string;
  /** Present in Betfair historical files only. */
  name?: string;
}

/** The market definition (sent whole whenever it changes). */
export interface MarketDefinition {
  status?: string;
  inPlay?: boolean;
  bspReconciled?: boolean;
  complete?: boolean;
  numberOfWinners?: number;
  numberOfActiveRunners?: number;
  marketType?: string;
  bettingType?: string;
  eventId?: string;
  eventTypeId?: string;
  /** Historical files only. */
  eventName?: string;
  /** Market name; historical files only. */
  name?: string;
  openDate?: string;
  marketTime?: string;
  suspendTime?: string;
  settledTime?: string;
  countryCode?: string;
  venue?: string;
  timezone?: string;
  betDelay?: number;
  version?: number;
  runners?: RunnerDefinition[];
  [key: string]: unknown;
}

/** One runner's change inside a market change. Ids are numbers on the wire (some recordings use strings). */
export interface RunnerChange {
  id: number | string;
  hc?: number;
  ltp?: number;
  tv?: number;
  /** Starting price near/far: numbers, or the strings "NaN" / "Infinity". */
  spn?: number | string;
  spf?: number | string;
  atb?: PricePair[];
  atl?: PricePair[];
  trd?: PricePair[];
  spb?: PricePair[];
  spl?: PricePair[];
  batb?: LevelTriple[];
  batl?: LevelTriple[];
  bdatb?: LevelTriple[];
  bdatl?: LevelTriple[];
}

/** One market's change (`mc[]` item). `img: true` means "replace what you hold for this market". */
export interface MarketChange {
  id: string;
  img?: boolean;
  con?: boolean;
  tv?: number;
  marketDefinition?: MarketDefinition;
  rc?: RunnerChange[];
}

/** An unmatched order (`uo[]` item) of the order stream. */
export interface UnmatchedOrderChange {
  id: string;
  p?: number;
  s?: number;
  side?: 'B' | 'L';
  status?: string;
  [key: string]: unknown;
}

/** One runner's order change (`orc[]` item). */
export interface OrderRunnerChange {
  id: number;
  hc?: number;
  fullImage?: boolean;
  uo?: UnmatchedOrderChange[];
  mb?: PricePair[];
  ml?: PricePair[];
  smc?: Record<string, unknown>;
}

/** One market's order change (`oc[]` item). */
export interface OrderMarketChange {
  id: string;
  closed?: boolean;
  fullImage?: boolean;
  orc?: OrderRunnerChange[];
}

/** Fields common to `mcm` and `ocm` messages. */
export interface ChangeMessageBase {
  id?: number;
  ct?: ChangeType;
  clk?: string;
  initialClk?: string;
  pt?: number;
  conflateMs?: number;
  heartbeatMs?: number;
  segmentType?: SegmentType;
  /** Set (e.g. 503) when the stream is degraded; clients keep the connection. */
  status?: number | null;
}

/** Market change message. */
export interface MarketChangeMessage extends ChangeMessageBase {
  op: 'mcm';
  mc?: MarketChange[];
}

/** Order change message. */
export interface OrderChangeMessage extends ChangeMessageBase {
  op: 'ocm';
  oc?: OrderMarketChange[];
}

/** `op: "status"`: answer to a request, or an error (then often `connectionClosed: true`). */
export interface StatusMessage {
  op: 'status';
  id?: number;
  statusCode?: 'SUCCESS' | 'FAILURE' | string;
  errorCode?: string;
  errorMessage?: string;
  connectionClosed?: boolean;
  connectionId?: string;
  connectionsAvailable?: number;
}

/** `op: "connection"`: first message after connecting. */
export interface ConnectionMessage {
  op: 'connection';
  connectionId?: string;
}
