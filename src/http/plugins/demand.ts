import fp from 'fastify-plugin';
import { DemandRegistry, EventThrottle } from '../../broker/demand.js';
import { DemandRelay } from '../../cluster/demand-relay.js';
import type { ReadModel } from '../../read-model/read-model.js';
import type { Source } from '../../sources/types.js';
import { bfiOf } from '../../contracts/porqpine/ids.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Relays demand between instances sharing a Redis (absent on the memory store). */
    demandRelay?: DemandRelay;
  }
}

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

/**
 * The `demand` decoration: the registry the broker (event/market rooms) and the feed routes
 * (/event/:id/odds) touch, forwarded to on-demand sources (demand-driven Betfair subscriptions; see
 * demandForwarder). On Redis
 * the demand is also relayed to the other instances (DemandRelay), so an API instance's clients reach the
 * sources run by the ingest lease holder or a ROLE=ingest instance.
 */
export const demandPlugin = fp(
  async (app) => {
    if (!app.hasDecorator('demand')) app.decorate('demand', new DemandRegistry());
    const stop = app.demand.onDemand(demandForwarder(app.readModel, app.sources.sources));
    const url = app.config.redisUrl;
    const relay = url
      ? new DemandRelay({
          redisUrl: url,
          channel: `${app.config.redisKeyPrefix}demand`,
          registry: app.demand,
          logger: app.log.child({ component: 'demand-relay' }),
        })
      : null;
    if (relay) {
      app.decorate('demandRelay', relay);
      // Not awaited: an instance starts (and serves) while Redis is away; the relay subscribes when it answers.
      app.addHook('onReady', async () => {
        void relay.start();
      });
    }
    app.addHook('onClose', async () => {
      stop();
      await relay?.close();
    });
  },
  { name: 'demand', dependencies: ['read-model', 'ingest'] },
);
