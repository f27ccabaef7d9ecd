import fp from 'fastify-plugin';
import { Ingest } from '../../ingest/ingest.js';
import { SourceManager } from '../../sources/manager.js';
import type { Source } from '../../sources/types.js';
import type { Market } from '../../model/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
    sources: SourceManager;
  }
}

export interface IngestPluginOptions {
  sources: Source[];
  closedMarketTtlMs: number;
  /** Raw frame listeners (e.g. the /socket-odds buffer). */
  onRaw?: (market: Market, raw: unknown) => void;
}

/** Starts ingest and the configured sources after the server is ready; stops them first on close. */
export const ingestPlugin = fp<IngestPluginOptions>(
  async (app, opts) => {
    const ingest = new Ingest({
      store: app.store,
      logger: app.log.child({ component: 'ingest' }),
      closedMarketTtlMs: opts.closedMarketTtlMs,
      ...(opts.onRaw ? { onRaw: opts.onRaw } : {}),
    });
    ingest.init(await app.store.loadSnapshot());
    const manager = new SourceManager(opts.sources, app.log.child({ component: 'sources' }));
    app.decorate('ingest', ingest);
    app.decorate('sources', manager);
    app.addHook('onReady', async () => {
      await manager.start(ingest.push);
    });
    app.addHook('preClose', async () => {
      await manager.stop();
      await ingest.close();
    });
  },
  { name: 'ingest', dependencies: ['store', 'read-model'] },
);
