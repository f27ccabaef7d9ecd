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

/** `[level, price, size]` of a best-offers ladder (`batb`, `batl`, `bdatb`, `bdatl`): size 0 removes it. */
export type LevelTriple = [level: number, price: number, size: number];

/**
 * A runner's change as a subscriber receives it: the fields its `marketDataFilter` asked for (full
 * ladders, traded, best-offer levels, virtual prices, starting prices).
 */
export interface ProjectedRunnerChange {
  id: number;
  hc?: number;
  ltp?: number;
  tv?: number;
  spn?: number;
  spf?: number;
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

/** A market's change as a subscriber receives it (`con: true` when conflated). */
export interface ProjectedMarketChange {
  id: string;
  img?: boolean;
  con?: boolean;
  tv?: number;
  marketDefinition?: StreamMarketDefinition;
  rc?: ProjectedRunnerChange[];
}

/** An unmatched order (`uo[]` item) of the order stream; the fields beyond the first five as the bet has them. */
export interface StreamUnmatchedOrder {
  id: string;
  p: number;
  s: number;
  side: 'B' | 'L';
  status: 'E' | 'EC';
  pt?: 'L' | 'P' | 'MOC';
  ot?: 'L' | 'LOC' | 'MOC';
  pd?: number;
  md?: number;
  sm?: number;
  sr?: number;
  sl?: number;
  sc?: number;
  sv?: number;
  rac?: string;
  rc?: string;
  rfo?: string;
  rfs?: string;
  avp?: number;
  bsp?: number;
  lsrc?: string;
  [key: string]: unknown;
}

/** One runner's order change (`orc[]` item). */
export interface StreamOrderRunnerChange {
  id: number;
  hc?: number;
  fullImage?: boolean;
  uo?: StreamUnmatchedOrder[];
  mb?: PricePair[];
  ml?: PricePair[];
}

/** One market's order change (`oc[]` item). */
export interface StreamOrderMarketChange {
  id: string;
  closed?: boolean;
  fullImage?: boolean;
  orc?: StreamOrderRunnerChange[];
}
