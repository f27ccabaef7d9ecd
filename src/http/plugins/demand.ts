import fp from 'fastify-plugin';
import { DemandRegistry } from '../../broker/demand.js';
import type { ReadModel } from '../../read-model/read-model.js';
import type { Source } from '../../sources/types.js';
import { bfiOf } from '../porqpine/ids.js';

/** A source that streams events on demand (the Betfair source). */
interface DemandAwareSource extends Source {
  demandEvent(betfairEventId: string | null, marketIds: readonly string[]): void;
}

function isDemandAware(s: Source): s is DemandAwareSource {
  return typeof (s as Partial<DemandAwareSource>).demandEvent === 'function';
}

/**
 * Tells on-demand sources which upstream event a client asked for: the internal event id → its Betfair
 * event id (bfi) and the markets that source already has for it, from the read model.
 */
export function forwardDemand(readModel: ReadModel, sources: readonly Source[], eventId: number): void {
  const event = readModel.findEvent(eventId);
  if (!event) return;
  const markets = readModel.marketsOf(event.id);
  for (const s of sources) {
    if (!isDemandAware(s)) continue;
    const own = markets.filter((m) => m.source === s.name).map((m) => m.id);
    const bfi = event.upstreamIds[s.name] ?? bfiOf(event);
    if (own.length > 0 || bfi !== null) s.demandEvent(bfi, own);
  }
}

/**
 * The `demand` decoration: the registry the broker (event/market rooms) and the feed routes
 * (/event/:id/odds) touch, forwarded to on-demand sources (demand-driven Betfair subscriptions).
 */
export const demandPlugin = fp(
  async (app) => {
    if (!app.hasDecorator('demand')) app.decorate('demand', new DemandRegistry());
    const stop = app.demand.onDemand((eventId) => forwardDemand(app.readModel, app.sources.sources, eventId));
    app.addHook('onClose', async () => {
      stop();
    });
  },
  { name: 'demand', dependencies: ['read-model', 'ingest'] },
);
