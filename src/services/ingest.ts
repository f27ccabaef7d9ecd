import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { Ingest } from '../ingest/ingest.js';
import { IngestLease, type LeaseHolder } from '../ingest/lease.js';
import { RawFrameBuffer } from '../ingest/raw-frames.js';
import { RoomSequencer } from '../broker/sequencer.js';
import { startMatchesNotices } from '../broker/notices.js';
import type { MatchingService } from '../matching/service.js';
import type { Market } from '../model/index.js';
import type { ReadModel } from '../read-model/read-model.js';
import { SourceManager } from '../sources/manager.js';
import { SourceStatusBoard } from '../sources/status-board.js';
import type { Source } from '../sources/types.js';
import { compareLogIds } from '../store/log-id.js';
import type { Store } from '../store/types.js';
import type { Lifecycle } from './lifecycle.js';

/** What the ingest side is built from. */
export interface IngestDeps {
  config: Config;
  store: Store;
  readModel: ReadModel;
  matching: MatchingService | null;
  logger: Logger;
  lifecycle: Lifecycle;
  sources: Source[];
  /** ROLE=api/history: this process never writes (no merge state, no eviction or completion timers). */
  passive: boolean;
  /** Raw frame listeners beside the /socket-odds buffer. */
  onRaw?: ((market: Market, raw: unknown) => void) | undefined;
}

/** The ingest side: the single writer, its sources, lease and status board. */
export interface IngestServices {
  ingest: Ingest;
  sources: SourceManager;
  /** Recent raw upstream frames per market (/socket-odds). */
  rawFrames: RawFrameBuffer;
  /** The ingest lease when instances compete for it (Redis, sources), else null: `held` = the writer. */
  ingestLease: IngestLease | null;
  /** Sources' status seen from any instance: the writer publishes it to the store, the others read it. */
  sourceBoard: SourceStatusBoard;
}

/**
 * Builds the sequencer, the lease (on Redis, where instances compete to ingest: only its holder does, and
 * its writes are fenced with it), ingest, the source manager, the status board and the `matches` notices.
 * Sources start when the lifecycle starts; at stop they stop first and ingest commits what it holds.
 */
export async function buildIngest(deps: IngestDeps): Promise<IngestServices> {
  const { config, store, readModel, lifecycle } = deps;
  const sequencer = await RoomSequencer.create({
    store,
    readModel,
    logger: deps.logger.child({ component: 'sequencer' }),
    persistMs: config.ws.seqPersistMs,
  });
  lifecycle.add({ name: 'sequencer', stop: () => sequencer.close() });
  const lease = ingestLease(deps);
  if (lease) store.fence?.({ key: lease.key, token: lease.token });
  const rawFrames = new RawFrameBuffer();
  const ingest = new Ingest({
    sequencer,
    // a fenced write was refused: stop the sources and stand by
    onFenced: () => void lease?.fenced(holder),
    store,
    logger: deps.logger.child({ component: 'ingest' }),
    closedMarketTtlMs: config.closedMarketTtlSec * 1000,
    ...(deps.matching ? { matcher: deps.matching } : {}),
    onRaw: (m, raw) => {
      rawFrames.push(m, raw);
      deps.onRaw?.(m, raw);
    },
  });
  if (lease) ingest.pause();
  else if (!deps.passive) ingest.init(await store.loadSnapshot());
  const manager = new SourceManager(deps.sources, deps.logger.child({ component: 'sources' }));
  const runsSources = !deps.passive && deps.sources.length > 0;
  const board = new SourceStatusBoard({
    store,
    local: () => manager.statuses(),
    isWriter: () => runsSources && (lease ? lease.held : true),
    instance: lease?.token ?? `${hostname()}:${process.pid}`,
    logger: deps.logger.child({ component: 'source-status' }),
  });
  const holder = leaseHolder(deps, ingest, manager, board);
  addIngestPart(deps, { ingest, manager, board, lease, holder, rawFrames, runsSources });
  return { ingest, sources: manager, rawFrames, ingestLease: lease, sourceBoard: board };
}

/** What the lease holder does when it gains, loses or gives up the lease. */
function leaseHolder(
  deps: IngestDeps,
  ingest: Ingest,
  manager: SourceManager,
  board: SourceStatusBoard,
): LeaseHolder {
  return {
    acquired: async () => {
      const snapshot = await deps.store.loadSnapshot();
      await caughtUp(deps, snapshot.logPosition);
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
}

interface IngestParts {
  ingest: Ingest;
  manager: SourceManager;
  board: SourceStatusBoard;
  lease: IngestLease | null;
  holder: LeaseHolder;
  rawFrames: RawFrameBuffer;
  runsSources: boolean;
}

/** Starts sources (or competes for the lease) and the board; stops them, then ingest commits and closes. */
function addIngestPart(deps: IngestDeps, p: IngestParts): void {
  const stopForgetting = deps.readModel.onChange(({ entry: { change } }) => {
    if (change.type === 'marketRemoved') p.rawFrames.forgetMarket(change.marketId);
    else if (change.type === 'eventRemoved') p.rawFrames.forgetEvent(change.eventId);
  });
  const stopNotices = startMatchesNotices({
    ingest: p.ingest,
    readModel: deps.readModel,
    intervalMs: deps.config.ws.matchesIntervalMs,
    hasSources: deps.sources.length > 0,
  });
  deps.lifecycle.add({
    name: 'ingest',
    start: async () => {
      if (p.lease) p.lease.start(p.holder);
      else await p.manager.start(p.ingest.push);
      if (p.runsSources) p.board.start();
    },
    stop: async () => {
      stopNotices();
      stopForgetting();
      p.board.stop();
      if (p.lease) await p.lease.stop(p.holder);
      await p.manager.stop();
      await p.ingest.close();
    },
  });
}

/** The ingest lease when this instance runs sources on Redis (several instances may share it), else null. */
function ingestLease(deps: IngestDeps): IngestLease | null {
  const url = deps.config.redisUrl;
  if (!url || deps.passive || deps.sources.length === 0) return null;
  return new IngestLease({
    redisUrl: url,
    key: `${deps.config.redisKeyPrefix}ingest:lease`,
    logger: deps.logger.child({ component: 'lease' }),
  });
}

/**
 * Waits (≤ 10 s) until the read model has applied the log up to `position`, so the broker's sequencer has
 * seen every seq the previous writer assigned before this instance assigns the next ones.
 */
async function caughtUp(deps: IngestDeps, position: string | null): Promise<void> {
  if (position === null) return;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const at = deps.readModel.position;
    if (at !== null && compareLogIds(at, position) >= 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  deps.logger.warn({ position }, 'read model behind the log after 10 s; taking over anyway');
}
