import fp from 'fastify-plugin';
import { Ingest } from '../../ingest/ingest.js';
import { RoomSequencer } from '../../broker/sequencer.js';
import { startMatchesNotices } from '../../broker/notices.js';
import { RawFrameBuffer } from '../../ingest/raw-frames.js';
import { SourceManager } from '../../sources/manager.js';
import type { Source } from '../../sources/types.js';
import type { Market } from '../../model/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
    sources: SourceManager;
    /** Recent raw upstream frames per market (/socket-odds). */
    rawFrames: RawFrameBuffer;
  }
}

export interface IngestPluginOptions {
  sources: Source[];
  closedMarketTtlMs: number;
  /** Raw frame listeners (e.g. the /socket-odds buffer). */
  onRaw?: (market: Market, raw: unknown) => void;
  /** ROLE=api: this process never writes (no merge state, no eviction or completion timers). */
  passive?: boolean;
}

/** Starts ingest and the configured sources after the server is ready; stops them first on close. */
export const ingestPlugin = fp<IngestPluginOptions>(
  async (app, opts) => {
    const rawFrames = new RawFrameBuffer();
    const sequencer = await RoomSequencer.create({
      store: app.store,
      readModel: app.readModel,
      logger: app.log.child({ component: 'sequencer' }),
      persistMs: app.config.ws.seqPersistMs,
    });
    const ingest = new Ingest({
      sequencer,
      store: app.store,
      logger: app.log.child({ component: 'ingest' }),
      closedMarketTtlMs: opts.closedMarketTtlMs,
      ...(app.hasDecorator('matching') && app.matching ? { matcher: app.matching } : {}),
      onRaw: (m, raw) => {
        rawFrames.push(m, raw);
        opts.onRaw?.(m, raw);
      },
    });
    if (!opts.passive) ingest.init(await app.store.loadSnapshot());
    const manager = new SourceManager(opts.sources, app.log.child({ component: 'sources' }));
    app.decorate('ingest', ingest);
    app.decorate('sources', manager);
    app.decorate('rawFrames', rawFrames);
    const { matchesIntervalMs: intervalMs } = app.config.ws;
    const hasSources = opts.sources.length > 0;
    const stopNotices = startMatchesNotices({ ingest, readModel: app.readModel, intervalMs, hasSources });
    app.addHook('onReady', async () => {
      await manager.start(ingest.push);
    });
    app.addHook('preClose', async () => {
      stopNotices();
      await manager.stop();
      await ingest.close();
      await sequencer.close();
    });
  },
  { name: 'ingest', dependencies: ['store', 'read-model'] },
);
