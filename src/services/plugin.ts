import fp from 'fastify-plugin';
import type { Broker } from '../broker/broker.js';
import type { Execution } from '../execution/index.js';
import type { DemandRelay } from '../cluster/demand-relay.js';
import type { ChannelRelay } from '../cluster/channel-relay.js';
import type { MmEngine } from '../mm/engine.js';
import type { ServiceGraph, Services } from './index.js';

type Exposed = Omit<ServiceGraph, 'appMetrics' | 'broker' | 'execution' | 'demandRelay' | 'abpRelay' | 'mm'>;

declare module 'fastify' {
  // The services the composition root built, as routes see them (see ServiceGraph for each one).
  interface FastifyInstance extends Exposed {
    /** The WebSocket room broker (`roomStats()`, `clientCount()`); decorated where /ws is served. */
    broker: Broker;
    /** Order execution; decorated only where it runs (`hasDecorator('execution')`). */
    execution: Execution;
    /** Relays demand between instances sharing a Redis; decorated only on Redis. */
    demandRelay?: DemandRelay;
    /** Relays the ABP/MM WebSocket pushes between instances; decorated only on Redis. */
    abpRelay?: ChannelRelay;
    /** The market-making engine; decorated only when MM_ENABLED and order execution runs here. */
    mm?: MmEngine;
  }
}

/**
 * Exposes what the composition root (src/services/index.ts) built: decorates the app with each service,
 * once, and ties the services' lifecycle to the app's — start at onReady, stop at preClose (before the
 * server stops accepting requests), close at onClose. It builds nothing itself.
 */
export const servicesPlugin = fp<{ services: Services }>(
  async (app, { services }) => {
    const {
      lifecycle,
      appMetrics: _metrics,
      broker,
      execution,
      demandRelay,
      abpRelay,
      mm,
      ...exposed
    } = services;
    for (const [name, value] of Object.entries(exposed)) app.decorate(name, value as unknown);
    // Absent rather than null where they do not run, so routes ask `hasDecorator`.
    if (broker) app.decorate('broker', broker);
    if (execution) app.decorate('execution', execution);
    if (demandRelay) app.decorate('demandRelay', demandRelay);
    if (abpRelay) app.decorate('abpRelay', abpRelay);
    if (mm) app.decorate('mm', mm);
    app.addHook('onReady', async () => lifecycle.start());
    app.addHook('preClose', async () => lifecycle.stop());
    app.addHook('onClose', async () => lifecycle.close());
  },
  { name: 'services' },
);
