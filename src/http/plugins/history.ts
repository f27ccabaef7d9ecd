import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram } from 'prom-client';
import { HistoryWriter, type HistoryRepository } from '../../records/history/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Odds history: its repository (queries) and, in the process that writes it, the writer; null without records. */
    history: { repo: HistoryRepository; writer: HistoryWriter | null } | null;
  }
}

const DAY_MS = 86_400_000;
/** Retention runs at start and then this often. */
const RETENTION_EVERY_MS = 3_600_000;

/**
 * Runs the odds-history writer in the one process of a deployment that should: HISTORY_WRITER=auto means
 * ROLE=history, or the process that ingests (with an ingest lease only while it holds it); `on` forces it,
 * `off` never. The writer reads the update log from its checkpoint, so it neither slows ingest nor loses
 * what was logged while it paused. Also drops expired day partitions and exports the writer's metrics.
 */
export const historyPlugin = fp(
  async (app) => {
    const records = app.records;
    if (!records) {
      app.decorate('history', null);
      return;
    }
    const setting = app.config.history.writer;
    const role = app.config.role;
    const writes = setting === 'on' || (setting === 'auto' && role !== 'api');
    const batchSeconds = new Histogram({
      name: 'oddsgate_history_batch_duration_seconds',
      help: 'Odds-history batch latency (one transaction: ticks, candles, lines, checkpoint).',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [app.metrics],
    });
    const rows = new Counter({
      name: 'oddsgate_history_ticks_written_total',
      help: 'Runner ticks (a change of best prices, LTP, volume or status) written to odds history.',
      registers: [app.metrics],
    });
    const writer = writes
      ? new HistoryWriter({
          store: app.store,
          repo: records.history,
          logger: app.log.child({ component: 'history' }),
          head: () => ({ id: app.readModel.position, ts: app.readModel.lastChangeAt }),
          active: () => role === 'history' || setting === 'on' || !app.ingestLease || app.ingestLease.held,
          flushMs: app.config.history.flushMs,
          onBatch: (ms, ticks) => {
            batchSeconds.observe(ms / 1000);
            rows.inc(ticks);
          },
        })
      : null;
    app.decorate('history', { repo: records.history, writer });
    if (!writer) return;
    gauges(app, writer);
    let timer: NodeJS.Timeout | null = null;
    const retention = async () => {
      if (!writer.stats.running || writer.stats.paused) return;
      const now = Date.now();
      const { retentionRawDays, retention1mDays } = app.config.history;
      try {
        const dropped = [
          ...(await records.history.dropDaysBefore('history_ticks', now - retentionRawDays * DAY_MS)),
          ...(await records.history.dropDaysBefore('history_candles_1m', now - retention1mDays * DAY_MS)),
        ];
        if (dropped.length > 0) app.log.info({ dropped }, 'history: expired day partitions dropped');
      } catch (err) {
        app.log.warn({ err: String(err) }, 'history: retention failed; retried later');
      }
    };
    app.addHook('onReady', async () => {
      writer.start();
      timer = setInterval(() => void retention(), RETENTION_EVERY_MS);
      timer.unref();
      void retention();
    });
    // After ingest's last commit (preClose) and before the records database closes (its onClose runs later).
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer);
      await writer.close();
    });
  },
  { name: 'history', dependencies: ['records', 'read-model', 'ingest', 'metrics'] },
);

function gauges(app: FastifyInstance, writer: HistoryWriter): void {
  new Gauge({
    name: 'oddsgate_history_lag_seconds',
    help: 'Seconds between the newest update-log entry and the last one odds history wrote.',
    registers: [app.metrics],
    collect() {
      this.set(writer.lagSeconds());
    },
  });
  new Gauge({
    name: 'oddsgate_history_gaps',
    help: 'Gaps odds history recorded since start (stretches of the update log it could not read).',
    registers: [app.metrics],
    collect() {
      this.set(writer.stats.gaps);
    },
  });
  new Gauge({
    name: 'oddsgate_history_paused',
    help: '1 while odds-history writes fail (the database is unreachable); it resumes from its checkpoint.',
    registers: [app.metrics],
    collect() {
      this.set(writer.stats.paused ? 1 : 0);
    },
  });
}
