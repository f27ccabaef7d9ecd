import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Config } from '../config/index.js';
import type { IngestLease } from '../ingest/lease.js';
import type { ReadModel } from '../read-model/read-model.js';
import { HistoryWriter, type HistoryRepository } from '../records/history/index.js';
import type { Records } from '../records/index.js';
import type { Store } from '../store/types.js';
import type { Lifecycle } from './lifecycle.js';

/** Odds history: its repository (queries) and, in the process that writes it, the writer. */
export interface HistoryService {
  repo: HistoryRepository;
  writer: HistoryWriter | null;
}

/** What odds history is built from. */
export interface HistoryDeps {
  config: Config;
  records: Records;
  store: Store;
  readModel: ReadModel;
  ingestLease: IngestLease | null;
  metrics: Registry;
  logger: Logger;
  lifecycle: Lifecycle;
}

const DAY_MS = 86_400_000;
/** Retention runs at start and then this often. */
const RETENTION_EVERY_MS = 3_600_000;

/**
 * Runs the odds-history writer in the one process of a deployment that should: HISTORY_WRITER=auto means
 * ROLE=history, or the process that ingests (with an ingest lease only while it holds it); `on` forces it,
 * `off` never. The writer reads the update log from its checkpoint, so it neither slows ingest nor loses
 * what was logged while it paused. Also drops expired day partitions and exports the writer's metrics.
 * It closes after ingest's last commit (ingest stops first) and before the records database.
 */
export function buildHistory(deps: HistoryDeps): HistoryService {
  const { config, records, readModel, ingestLease } = deps;
  const setting = config.history.writer;
  const role = config.role;
  if (!(setting === 'on' || (setting === 'auto' && role !== 'api')))
    return { repo: records.history, writer: null };
  const batchSeconds = new Histogram({
    name: 'oddsgate_history_batch_duration_seconds',
    help: 'Odds-history batch latency (one transaction: ticks, candles, lines, checkpoint).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [deps.metrics],
  });
  const rows = new Counter({
    name: 'oddsgate_history_ticks_written_total',
    help: 'Runner ticks (a change of best prices, LTP, volume or status) written to odds history.',
    registers: [deps.metrics],
  });
  const writer = new HistoryWriter({
    store: deps.store,
    repo: records.history,
    logger: deps.logger.child({ component: 'history' }),
    head: () => ({ id: readModel.position, ts: readModel.lastChangeAt }),
    active: () => role === 'history' || setting === 'on' || !ingestLease || ingestLease.held,
    flushMs: config.history.flushMs,
    onBatch: (ms, ticks) => {
      batchSeconds.observe(ms / 1000);
      rows.inc(ticks);
    },
  });
  gauges(deps.metrics, writer);
  addHistoryPart(deps, writer);
  return { repo: records.history, writer };
}

/** Starts the writer and the hourly retention; closes both. */
function addHistoryPart(deps: HistoryDeps, writer: HistoryWriter): void {
  const { records, config, logger } = deps;
  let timer: NodeJS.Timeout | null = null;
  const retention = async () => {
    if (!writer.stats.running || writer.stats.paused) return;
    const now = Date.now();
    const { retentionRawDays, retention1mDays } = config.history;
    try {
      const dropped = [
        ...(await records.history.dropDaysBefore('history_ticks', now - retentionRawDays * DAY_MS)),
        ...(await records.history.dropDaysBefore('history_candles_1m', now - retention1mDays * DAY_MS)),
      ];
      if (dropped.length > 0) logger.info({ dropped }, 'history: expired day partitions dropped');
    } catch (err) {
      logger.warn({ err: String(err) }, 'history: retention failed; retried later');
    }
  };
  deps.lifecycle.add({
    name: 'history',
    start: () => {
      writer.start();
      timer = setInterval(() => void retention(), RETENTION_EVERY_MS);
      timer.unref();
      void retention();
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await writer.close();
    },
  });
}

function gauges(registry: Registry, writer: HistoryWriter): void {
  const registers = [registry];
  new Gauge({
    name: 'oddsgate_history_lag_seconds',
    help: 'Seconds between the newest update-log entry and the last one odds history wrote.',
    registers,
    collect() {
      this.set(writer.lagSeconds());
    },
  });
  new Gauge({
    name: 'oddsgate_history_gaps',
    help: 'Gaps odds history recorded since start (stretches of the update log it could not read).',
    registers,
    collect() {
      this.set(writer.stats.gaps);
    },
  });
  new Gauge({
    name: 'oddsgate_history_paused',
    help: '1 while odds-history writes fail (the database is unreachable); it resumes from its checkpoint.',
    registers,
    collect() {
      this.set(writer.stats.paused ? 1 : 0);
    },
  });
}
