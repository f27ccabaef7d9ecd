/**
 * The Betfair Exchange Stream API market messages the simulator emits (`op: "mcm"`), typed for output.
 * Field names and shapes follow the real stream and Betfair's historical files (which add `name`,
 * `eventName` and runner names to the market definition).
 */

/** `[price, size]`: size 0 removes the price from a ladder. */
export type PricePair = [price: number, size: number];

/** A runner as the market definition describes it. */
export interface StreamRunnerDefinition {
  id: number;
  sortPriority: number;
  status: 'ACTIVE' | 'WINNER' | 'LOSER' | 'REMOVED' | 'PLACED' | 'HIDDEN';
  name: string;
  hc?: number;
  adjustmentFactor?: number;
  bsp?: number;
  removalDate?: string;
}

/**
 * The full market definition (sent whole whenever anything in it changes). A type alias rather than an
 * interface so that it is assignable to index-signature types such as the pipeline's MarketDefinition.
 */
export type StreamMarketDefinition = {
  bspMarket: boolean;
  turnInPlayEnabled: boolean;
  persistenceEnabled: boolean;
  marketBaseRate: number;
  eventId: string;
  eventTypeId: string;
  numberOfWinners: number;
  bettingType: 'ODDS';
  marketType: string;
  marketTime: string;
  suspendTime: string;
  bspReconciled: boolean;
  complete: boolean;
  inPlay: boolean;
  crossMatching: boolean;
  runnersVoidable: boolean;
  numberOfActiveRunners: number;
  betDelay: number;
  status: 'INACTIVE' | 'OPEN' | 'SUSPENDED' | 'CLOSED';
  settledTime?: string;
  runners: StreamRunnerDefinition[];
  regulators: string[];
  venue?: string;
  countryCode: string;
  discountAllowed: boolean;
  timezone: string;
  openDate: string;
  version: number;
  priceLadderDefinition: { type: 'CLASSIC' };
  name: string;
  eventName: string;
};

/** One runner's change: full-depth ladders keyed by price, traded ladder, last traded price, volume. */
export interface StreamRunnerChange {
  id: number;
  atb?: PricePair[];
  atl?: PricePair[];
  trd?: PricePair[];
  ltp?: number;
  tv?: number;
}

/** One market's change (`mc[]` item). `img: true` replaces whatever the client holds for the market. */
export interface StreamMarketChange {
  id: string;
  img?: boolean;
  tv?: number;
  marketDefinition?: StreamMarketDefinition;
  rc?: StreamRunnerChange[];
}

/** A market change message. */
export interface McmMessage {
  op: 'mcm';
  id: number;
  initialClk?: string;
  clk: string;
  conflateMs?: number;
  heartbeatMs?: number;
  pt: number;
  ct?: 'SUB_IMAGE' | 'RESUB_DELTA' | 'HEARTBEAT';
  /** Set when a large image is split over several messages. */
  segmentType?: 'SEG_START' | 'SEG' | 'SEG_END';
  mc?: StreamMarketChange[];
}
