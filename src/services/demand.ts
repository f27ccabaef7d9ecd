import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { DemandRegistry, EventThrottle } from '../broker/demand.js';
import { DemandRelay } from '../cluster/demand-relay.js';
import { bfiOf } from '../contracts/porqpine/ids.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Source } from '../sources/types.js';
import type { Lifecycle } from './lifecycle.js';

/** A source that streams events on demand (the Betfair source). */
interface DemandAwareSource extends Source {
  demandEvent(betfairEventId: string | null, marketIds: readonly string[]): void;
}

function isDemandAware(s: Source): s is DemandAwareSource {
  return typeof (s as Partial<DemandAwareSource>).demandEvent === 'function';
}

/**
 * Tells on-demand sources which upstream event a client asked for: the internal event id → its Betfair
 * event id (bfi) and the markets that source already has for it, from the read model. False when the
 * read model does not know the event.
 */
export function forwardDemand(readModel: ReadModel, sources: readonly Source[], eventId: number): boolean {
  const event = readModel.findEvent(eventId);
  if (!event) return false;
  const markets = readModel.marketsOf(event.id);
  for (const s of sources) {
    if (!isDemandAware(s)) continue;
    const own = markets.filter((m) => m.source === s.name).map((m) => m.id);
    const bfi = event.upstreamIds[s.name] ?? bfiOf(event);
    if (own.length > 0 || bfi !== null) s.demandEvent(bfi, own);
  }
  return true;
}

/** How often one event's demand is forwarded to the sources (they keep demand for minutes). */
export const DEMAND_FORWARD_THROTTLE_MS = 1000;
/**
 * The registry listener forwarding demand to the on-demand sources among `sources`: none (a setup of
 * simulated or polled sources) → nothing to do per touch; else each event at most once per `throttleMs`
 * (every /event/:id/odds request touches its event; the sources keep demand for minutes, so repeating it
 * within the second only costs a read-model lookup and a source call per request). An event the read
 * model does not know yet is not marked, so it is forwarded as soon as it is known.
 */
export function demandForwarder(
  readModel: ReadModel,
  sources: readonly Source[],
  throttleMs = DEMAND_FORWARD_THROTTLE_MS,
  now: () => number = Date.now,
): (eventId: number) => void {
  const aware = sources.filter(isDemandAware);
  if (aware.length === 0) return () => undefined;
  const throttle = new EventThrottle(throttleMs);
  return (eventId) => {
    const t = now();
    if (throttle.due(eventId, t) && forwardDemand(readModel, aware, eventId)) throttle.mark(eventId, t);
  };
}

/** Demand for per-event live data, and its relay between instances. */
export interface DemandServices {
  /** Touched by subscribes to event rooms, get_odds and /event/:id/odds. */
  demand: DemandRegistry;
  /** Relays demand between instances sharing a Redis (null on the memory store). */
  demandRelay: DemandRelay | null;
}

/**
 * The demand registry the broker (event/market rooms) and the feed routes (/event/:id/odds) touch,
 * forwarded to on-demand sources (demand-driven Betfair subscriptions; see demandForwarder). On Redis the
 * demand is also relayed to the other instances (DemandRelay), so an API instance's clients reach the
 * sources run by the ingest lease holder or a ROLE=ingest instance.
 */
export function buildDemand(deps: {
  config: Config;
  readModel: ReadModel;
  sources: readonly Source[];
  logger: Logger;
  lifecycle: Lifecycle;
}): DemandServices {
  const demand = new DemandRegistry();
  const stop = demand.onDemand(demandForwarder(deps.readModel, deps.sources));
  const url = deps.config.redisUrl;
  const relay = url
    ? new DemandRelay({
        redisUrl: url,
        channel: `${deps.config.redisKeyPrefix}demand`,
        registry: demand,
        logger: deps.logger.child({ component: 'demand-relay' }),
      })
    : null;
  deps.lifecycle.add({
    name: 'demand',
    // Not awaited: an instance starts (and serves) while Redis is away; the relay subscribes when it answers.
    start: () => void relay?.start(),
    close: async () => {
      stop();
      await relay?.close();
    },
  });
  return { demand, demandRelay: relay };
}
