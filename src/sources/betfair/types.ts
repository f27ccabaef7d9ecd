/** Shared small types of the Betfair stream pipeline. */

/** The logger methods the pipeline uses (a pino Logger fits). */
export interface BetfairLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: BetfairLogger = {
  info() {},
  warn() {},
  error() {},
};

/** Tunables of the Betfair stream pipeline, in one place. */
export const BETFAIR_DEFAULTS = {
  /** Closed markets are forgotten by the stream cache after this long (by publish time); matches config. */
  closedMarketTtlMs: 3_600_000,
  /** Eviction sweeps run this often (publish time; a tenth of the TTL when that is shorter, ≥ 1 s), and on every image. */
  evictionSweepMs: 60_000,
  /** Latency (now − pt) above which a warning is logged; null disables (replays). */
  maxLatencyMs: 2_000 as number | null,
  /** At most one latency warning per this many ms of clock. */
  latencyWarnEveryMs: 10_000,
  /** Malformed lines logged individually before only every 1000th is. */
  malformedLogFirst: 10,
  /** Characters of a malformed line kept in reports. */
  malformedExcerpt: 200,
};

/** What the listener drives for one subscription type (`mcm` → market stream, `ocm` → order stream). */
export interface ChangeStream<M> {
  /** `ct: SUB_IMAGE`: a full image of the subscription. */
  onSubscribe(msg: M): void;
  /** `ct: RESUB_DELTA`: changes since the clock given on resubscription (images where `img: true`). */
  onResubscribe(msg: M): void;
  /** `ct: HEARTBEAT`: nothing changed (the listener already took the clock). */
  onHeartbeat(msg: M): void;
  /** No `ct`: an ordinary update. */
  onUpdate(msg: M): void;
}
