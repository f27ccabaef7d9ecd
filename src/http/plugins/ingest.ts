import fp from 'fastify-plugin';
import { Ingest } from '../../ingest/ingest.js';
import { RoomSequencer } from '../../broker/sequencer.js';
import { startMatchesNotices } from '../../broker/notices.js';
import { RawFrameBuffer } from '../../ingest/raw-frames.js';
import { SourceManager } from '../../sources/manager.js';
import type { Source } from '../../sources/types.js';
import type { Market } from '../../model/index.js';
import { IngestLease, type LeaseHolder } from '../../ingest/lease.js';
import { compareLogIds } from '../../store/log-id.js';
import { SourceStatusBoard } from '../../sources/status-board.js';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    ingest: Ingest;
    sources: SourceManager;
    /** Recent raw upstream frames per market (/socket-odds). */
    rawFrames: RawFrameBuffer;
    /** The ingest lease when instances compete for it (Redis, sources), else null: `held` = the writer. */
    ingestLease: IngestLease | null;
    /** Sources' status seen from any instance: the writer publishes it to the store, the others read it. */
    sourceBoard: SourceStatusBoard;
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
    // On Redis, instances that run sources compete for the ingest lease: only its holder ingests, and its
    // writes are fenced with the lease, so a holder that lost it unknowingly cannot write after another took it.
    const lease = ingestLease(app, opts);
    if (lease) app.store.fence?.({ key: lease.key, token: lease.token });
    const ingest = new Ingest({
      sequencer,
      // a fenced write was refused: stop the sources and stand by (holder is defined below)
      onFenced: () => void lease?.fenced(holder),
      store: app.store,
      logger: app.log.child({ component: 'ingest' }),
      closedMarketTtlMs: opts.closedMarketTtlMs,
      ...(app.hasDecorator('matching') && app.matching ? { matcher: app.matching } : {}),
      onRaw: (m, raw) => {
        rawFrames.push(m, raw);
        opts.onRaw?.(m, raw);
      },
    });
    if (lease) ingest.pause();
    else if (!opts.passive) ingest.init(await app.store.loadSnapshot());
    const manager = new SourceManager(opts.sources, app.log.child({ component: 'sources' }));
    const holder: LeaseHolder = {
      acquired: async () => {
        const snapshot = await app.store.loadSnapshot();
        await caughtUp(app, snapshot.logPosition);
        ingest.init(snapshot);
        await manager.start(ingest.push);
        // Other instances show this instance's sources from now on, not at the next tick.
        void board.publish();
      },
      lost: async () => {
        await manager.stop();
        ingest.pause();
      },
      // Shutting down with the lease: commit what is held before the lease is released (pause drops it).
      stopping: async () => {
        await manager.stop();
        await ingest.drain();
      },
    };
    app.decorate('ingest', ingest);
    app.decorate('sources', manager);
    app.decorate('rawFrames', rawFrames);
    app.decorate('ingestLease', lease);
    const runsSources = !opts.passive && opts.sources.length > 0;
    const board = new SourceStatusBoard({
      store: app.store,
      local: () => manager.statuses(),
      isWriter: () => runsSources && (lease ? lease.held : true),
      instance: lease?.token ?? `${hostname()}:${process.pid}`,
      logger: app.log.child({ component: 'source-status' }),
    });
    app.decorate('sourceBoard', board);
    const stopForgetting = app.readModel.onChange(({ entry: { change } }) => {
      if (change.type === 'marketRemoved') rawFrames.forgetMarket(change.marketId);
      else if (change.type === 'eventRemoved') rawFrames.forgetEvent(change.eventId);
    });
    const { matchesIntervalMs: intervalMs } = app.config.ws;
    const hasSources = opts.sources.length > 0;
    const stopNotices = startMatchesNotices({ ingest, readModel: app.readModel, intervalMs, hasSources });
    app.addHook('onReady', async () => {
      if (lease) lease.start(holder);
      else await manager.start(ingest.push);
      if (runsSources) board.start();
    });
    app.addHook('preClose', async () => {
      stopNotices();
      stopForgetting();
      board.stop();
      if (lease) await lease.stop(holder);
      await manager.stop();
      await ingest.close();
      await sequencer.close();
    });
  },
  { name: 'ingest', dependencies: ['store', 'read-model'] },
);

/** The ingest lease when this instance runs sources on Redis (several instances may share it), else null. */
function ingestLease(app: FastifyInstance, opts: IngestPluginOptions): IngestLease | null {
  const url = app.config.redisUrl;
  if (!url || opts.passive || opts.sources.length === 0) return null;
  return new IngestLease({
    redisUrl: url,
    key: `${app.config.redisKeyPrefix}ingest:lease`,
    logger: app.log.child({ component: 'lease' }),
  });
}

/**
 * Waits (≤ 10 s) until the read model has applied the log up to `position`, so the broker's sequencer has
 * seen every seq the previous writer assigned before this instance assigns the next ones.
 */
async function caughtUp(app: FastifyInstance, position: string | null): Promise<void> {
  if (position === null) return;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const at = app.readModel.position;
    if (at !== null && compareLogIds(at, position) >= 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  app.log.warn({ position }, 'read model behind the log after 10 s; taking over anyway');
}
