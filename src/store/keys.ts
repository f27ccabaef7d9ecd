/** Redis key names of the store, all under one prefix (see the layout table in redis-store.ts). */
export interface StoreKeys {
  readonly prefix: string;
  readonly sports: string;
  readonly events: string;
  readonly markets: string;
  readonly marketEvent: string;
  readonly eventMarketsPrefix: string;
  readonly results: string;
  readonly resultsByTime: string;
  readonly resultsBySportPrefix: string;
  readonly resultSport: string;
  readonly log: string;
  readonly idSeq: string;
  readonly docPrefix: string;
  /** The update log's epoch (Store.logEpoch): set once, when absent. */
  readonly logEpoch: string;
  /** Set of the market ids of one event. */
  eventMarkets(eventId: number | string): string;
  /** Sorted set (score: completedAt ms) of the results of one sport. */
  resultsBySport(sportId: number | string): string;
  /** Hash upstream id → internal event id for one source. */
  ids(source: string): string;
  /** A JSON document (score docs are `doc('score:<eventId>')`). */
  doc(key: string): string;
}

/** Key names for `prefix` (e.g. "oddsgate:"). */
export function storeKeys(prefix: string): StoreKeys {
  const p = prefix;
  return {
    prefix: p,
    sports: `${p}sports`,
    events: `${p}events`,
    markets: `${p}markets`,
    marketEvent: `${p}market-event`,
    eventMarketsPrefix: `${p}event-markets:`,
    results: `${p}results`,
    resultsByTime: `${p}results:by-time`,
    resultsBySportPrefix: `${p}results:by-sport:`,
    resultSport: `${p}result-sport`,
    log: `${p}log`,
    idSeq: `${p}ids:seq`,
    docPrefix: `${p}doc:`,
    logEpoch: `${p}log:epoch`,
    eventMarkets: (eventId) => `${p}event-markets:${eventId}`,
    resultsBySport: (sportId) => `${p}results:by-sport:${sportId}`,
    ids: (source) => `${p}ids:src:${source}`,
    doc: (key) => `${p}doc:${key}`,
  };
}
