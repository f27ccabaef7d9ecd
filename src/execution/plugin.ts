import fp from 'fastify-plugin';
import type { GuardOptions } from './connectors/guard.js';
import { PaperConnector } from './connectors/paper.js';
import { createExecution, type Execution } from './index.js';
import { readModelQuotes } from './quotes.js';
import type { AccountDirectory, Connector, ExecutionPublisher } from './types.js';

declare module 'fastify' {
  interface FastifyInstance {
    execution: Execution;
  }
}

/** What the execution plugin is given (the ABP surface supplies accounts and its WebSocket publisher). */
export interface ExecutionPluginOptions {
  accounts: AccountDirectory;
  publisher?: ExecutionPublisher;
  /** Extra connectors beside the paper bookmaker. */
  connectors?: readonly Connector[];
  paper?: { latencyMs?: number; minStake?: number; maxStake?: number };
  guard?: GuardOptions;
  reconcileStaleMs?: number;
  reconcileIntervalMs?: number;
  settleIntervalMs?: number;
}

/**
 * Decorates `app.execution` over the records database: the paper bookmaker pricing from the read model's
 * books, every configured connector, reconciliation at start and periodically, settlement from the results
 * archive. Needs the records database (`records` plugin) and the read model and books.
 */
export const executionPlugin = fp<ExecutionPluginOptions>(
  async (app, opts) => {
    const records = app.records;
    if (!records) throw new Error('execution needs the records database (DATABASE_URL or DATA_DIR)');
    const db = records.database.db;
    const paper = new PaperConnector({
      db,
      quotes: readModelQuotes(app.readModel, () => app.books.clock()),
      ...opts.paper,
    });
    const execution = createExecution({
      db,
      accounts: opts.accounts,
      connectors: [paper, ...(opts.connectors ?? [])],
      results: records.results,
      logger: app.log,
      ...(opts.publisher ? { publisher: opts.publisher } : {}),
      ...(opts.guard ? { guard: opts.guard } : {}),
      ...(opts.reconcileStaleMs !== undefined ? { reconcileStaleMs: opts.reconcileStaleMs } : {}),
      ...(opts.reconcileIntervalMs !== undefined ? { reconcileIntervalMs: opts.reconcileIntervalMs } : {}),
      ...(opts.settleIntervalMs !== undefined ? { settleIntervalMs: opts.settleIntervalMs } : {}),
    });
    app.decorate('execution', execution);
    app.addHook('onReady', async () => execution.start());
    app.addHook('preClose', async () => execution.stop());
  },
  { name: 'execution', dependencies: ['records', 'read-model', 'books'] },
);
