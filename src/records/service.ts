import type { Logger } from 'pino';
import type { Result } from '../model/index.js';
import type { DurableBacking } from '../store/memory-store.js';
import { openRecordsDb, type RecordsDb, type RecordsDbOptions } from './db.js';
import { IdRepository } from './ids.js';
import { migrate } from './migrate.js';
import { HistoryRepository } from './history/repository.js';
import { ResultRepository, type ArchivePage, type ArchiveQuery } from './results.js';
import { RecordsWriter, type RecordsWriterOptions, type RecordsWriterStats } from './writer.js';

/** Results a restart loads back into the memory store (older ones are read from the archive on demand). */
export const HOT_RESULTS = 50_000;

/** What /admin/health shows of the records database. */
export interface RecordsHealth {
  kind: RecordsDb['kind'];
  location: string;
  reachable: boolean;
  writer: RecordsWriterStats;
}

/**
 * The records service, in one place: the database (PostgreSQL or PGlite), its migrations, the id and
 * result repositories and the write-behind writer. Later slices (odds history, candles) add their
 * repositories here.
 */
export class Records {
  readonly ids: IdRepository;
  readonly results: ResultRepository;
  readonly writer: RecordsWriter;
  /** Odds history: tick blocks, candles, closing lines, the history writer's checkpoint and gaps. */
  readonly history: HistoryRepository;

  private constructor(
    readonly database: RecordsDb,
    writerOpts: RecordsWriterOptions,
    private readonly logger?: Logger,
  ) {
    this.ids = new IdRepository(database.db);
    this.results = new ResultRepository(database.db);
    this.writer = new RecordsWriter(database, this.ids, this.results, writerOpts);
    this.history = new HistoryRepository(database.db);
  }

  /** Opens the database and applies pending migrations. */
  static async open(
    opts: RecordsDbOptions & { logger?: Logger; writer?: RecordsWriterOptions },
  ): Promise<Records> {
    const database = await openRecordsDb(opts);
    try {
      const { applied } = await migrate(database);
      if (applied.length > 0) opts.logger?.info({ applied }, 'records: migrations applied');
      return new Records(database, { logger: opts.logger, ...opts.writer }, opts.logger);
    } catch (err) {
      await database.close();
      throw err;
    }
  }

  /** The MemoryStore's durable backing over this database. */
  backing(): DurableBacking {
    return {
      load: async () => {
        const { mappings, highWater } = await this.ids.load();
        return { mappings, highWater, results: await this.results.recent(HOT_RESULTS) };
      },
      reserveIds: (upTo) => this.ids.reserve(upTo),
      idLinked: (source, upstreamId, eventId) => this.writer.idLinked({ source, upstreamId, eventId }),
      resultStored: (r) => this.writer.resultStored(r),
      getResult: (eventId) => this.results.get(eventId),
      // At store close: a database that is down must not fail the shutdown (the rows are lost, logged).
      flush: () =>
        this.writer.flush().catch((err: unknown) => {
          this.logger?.error(
            { err: String(err), pending: this.writer.pending },
            'records: ids and results not written at close',
          );
        }),
    };
  }

  /** Queues a result for the archive (Redis mode, where the store keeps its own copy). */
  archive(result: Result): void {
    this.writer.resultStored(result);
  }

  /** One page of the results archive. */
  query(q: ArchiveQuery): Promise<ArchivePage> {
    return this.results.page(q);
  }

  /** Reachability and writer state. */
  async health(): Promise<RecordsHealth> {
    return {
      kind: this.database.kind,
      location: this.database.location,
      reachable: await this.database.ping(),
      writer: { ...this.writer.stats },
    };
  }

  /** Writes what is queued, then closes the database (and the PGlite lock). */
  async close(): Promise<void> {
    await this.writer.close();
    await this.database.close();
  }
}
