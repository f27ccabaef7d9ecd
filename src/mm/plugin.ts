import fp from 'fastify-plugin';
import type { MmConfig } from '../config/mm.js';
import { MmEngine } from './engine.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The market-making engine (absent unless MM_ENABLED and order execution runs here). */
    mm?: MmEngine;
  }
}

/** Options of {@link mmPlugin}: overrides of `config.mm` (tests: a faster interval, other caps). */
export interface MmPluginOptions {
  config?: Partial<MmConfig>;
}

/**
 * Decorates `app.mm` and runs the engine while the app is up (started when ready, stopped — every quote
 * cancelled — before close). Needs order execution (`app.execution`) and the maker exchange connector
 * (`config.mm.exchange`); without `mm.enabled` it does nothing.
 */
export const mmPlugin = fp<MmPluginOptions>(
  async (app, opts) => {
    const config = { ...app.config.mm, ...opts.config };
    if (!config.enabled) return;
    const engine = new MmEngine({ config, books: app.readModel, execution: app.execution, logger: app.log });
    app.decorate('mm', engine);
    app.addHook('onReady', async () => engine.start());
    app.addHook('preClose', async () => engine.stop());
  },
  { name: 'mm', dependencies: ['execution', 'read-model'] },
);
