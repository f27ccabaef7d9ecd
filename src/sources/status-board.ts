import { z } from 'zod';
import type { AppLogger as Logger } from '../logger.js';
import { SourceStatusSchema, type SourceStatus } from '../model/index.js';
import type { Store } from '../store/types.js';

/** Store document (`getDoc`/`setDoc` key) the writer publishes its sources' status under. */
export const SOURCE_STATUS_DOC = 'sources:status';
/** How often the writer publishes its sources' status. */
export const PUBLISH_EVERY_MS = 2000;
/** A published status older than this shows as stale (its ingest instance stopped publishing). */
export const STALE_AFTER_MS = 15_000;
/** At most this many sources are read back from a published document (the rest are ignored). */
const MAX_SOURCES = 200;
/** Readers fetch the published document at most once per this interval (requests share the reply). */
const READ_CACHE_MS = 1000;
/** A read of the document that takes longer counts as none (health and /status stay bounded in time). */
const READ_TIMEOUT_MS = 1500;

/** The published document: who published it, when, and its sources' status. */
export const PublishedStatusSchema = z.object({
  instance: z.string().max(200),
  publishedAt: z.number(),
  statuses: z.array(SourceStatusSchema).max(MAX_SOURCES),
});
export type PublishedStatus = z.infer<typeof PublishedStatusSchema>;

/** Where the statuses shown come from: this instance's sources, the writer's document, or nothing yet. */
export interface BoardView {
  origin: 'local' | 'published' | 'none';
  /** Instance that published them (origin `published`). */
  instance: string | null;
  /** Epoch ms they were published (origin `published`). */
  publishedAt: number | null;
  /** True when the published document is older than STALE_AFTER_MS. */
  stale: boolean;
  statuses: SourceStatus[];
}

export interface SourceStatusBoardOptions {
  store: Store;
  /** This instance's own sources' status. */
  local: () => SourceStatus[];
  /** True while this instance is the writer (runs the sources): it publishes and shows its own status. */
  isWriter: () => boolean;
  /** Identifies this instance in the document. */
  instance: string;
  logger: Logger;
  now?: () => number;
  staleAfterMs?: number;
}

/**
 * Sources' status seen from every instance: the writer (the instance running the sources, the ingest
 * lease holder on Redis) publishes it to the store every PUBLISH_EVERY_MS with a timestamp; API replicas
 * and standby ingest instances show that document, marked stale (each source `connected: false`,
 * `details.stale: true`) once it is older than STALE_AFTER_MS, i.e. when the writer died.
 */
export class SourceStatusBoard {
  private timer: NodeJS.Timeout | null = null;
  private cached: { at: number; doc: PublishedStatus | null } | null = null;
  private reading: Promise<PublishedStatus | null> | null = null;
  private readonly now: () => number;
  private readonly staleAfterMs: number;
  private publishFailed = false;

  constructor(private readonly opts: SourceStatusBoardOptions) {
    this.now = opts.now ?? Date.now;
    this.staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
  }

  /** Publishes every PUBLISH_EVERY_MS while this instance is the writer. */
  start(everyMs = PUBLISH_EVERY_MS): void {
    if (this.timer) return;
    void this.publish();
    this.timer = setInterval(() => void this.publish(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes this instance's statuses to the store when it is the writer; false when it is not (or failed). */
  async publish(): Promise<boolean> {
    if (!this.opts.isWriter()) return false;
    const doc: PublishedStatus = {
      instance: this.opts.instance,
      publishedAt: this.now(),
      statuses: this.opts.local(),
    };
    try {
      await this.opts.store.setDoc(SOURCE_STATUS_DOC, doc);
      this.publishFailed = false;
      return true;
    } catch (err) {
      // One line per outage, not one per attempt.
      if (!this.publishFailed)
        this.opts.logger.warn({ err: (err as Error).message }, 'source status not published');
      this.publishFailed = true;
      return false;
    }
  }

  /** The statuses to show: this instance's own while it is the writer, else the writer's published ones. */
  async view(): Promise<BoardView> {
    if (this.opts.isWriter()) {
      return {
        origin: 'local',
        instance: this.opts.instance,
        publishedAt: null,
        stale: false,
        statuses: this.opts.local(),
      };
    }
    const doc = await this.read();
    if (!doc) {
      // Nothing published (yet): a standby shows its own (stopped) sources, an API replica none.
      return { origin: 'none', instance: null, publishedAt: null, stale: false, statuses: this.opts.local() };
    }
    const stale = this.now() - doc.publishedAt > this.staleAfterMs;
    const statuses = stale
      ? doc.statuses.map((s) => ({ ...s, connected: false, details: { ...s.details, stale: true } }))
      : doc.statuses;
    return { origin: 'published', instance: doc.instance, publishedAt: doc.publishedAt, stale, statuses };
  }

  /** view().statuses. */
  async statuses(): Promise<SourceStatus[]> {
    return (await this.view()).statuses;
  }

  /** The published document (validated; an invalid or unreadable one counts as none), cached briefly. */
  private async read(): Promise<PublishedStatus | null> {
    const now = this.now();
    if (this.cached && now - this.cached.at < READ_CACHE_MS) return this.cached.doc;
    this.reading ??= withTimeout(this.opts.store.getDoc<unknown>(SOURCE_STATUS_DOC), READ_TIMEOUT_MS)
      .then((raw) => {
        const parsed = PublishedStatusSchema.safeParse(raw);
        return parsed.success ? parsed.data : null;
      })
      .catch(() => null)
      .then((doc) => {
        this.cached = { at: this.now(), doc };
        this.reading = null;
        return doc;
      });
    return this.reading;
  }
}

/** `p`, or a rejection after `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
