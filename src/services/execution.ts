import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { TableAccounts } from '../execution/accounts-table.js';
import type { GuardOptions } from '../execution/connectors/guard.js';
import { PaperConnector } from '../execution/connectors/paper.js';
import { createExecution, type Execution } from '../execution/index.js';
import { readModelQuotes } from '../execution/quotes.js';
import type { AccountDirectory, Connector, ExecutionPublisher } from '../execution/types.js';
import { createExecutionVenues } from '../execution/venues.js';
import type { BookClock } from '../books/freshness.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Records } from '../records/index.js';
import type { Lifecycle } from './lifecycle.js';

/** Execution settings over the defaults (tests: an accounts directory, loop intervals). */
export interface ExecutionOptions {
  /** The bookmaker accounts (default: the ABP accounts table). */
  accounts: AccountDirectory;
  /** Where order and bet changes are pushed (default: the ABP WebSocket channels). */
  publisher?: ExecutionPublisher;
  /** Extra connectors beside the paper bookmaker and the configured venues. */
  connectors?: readonly Connector[];
  paper?: { latencyMs?: number; minStake?: number; maxStake?: number };
  guard?: GuardOptions;
  reconcileStaleMs?: number;
  reconcileIntervalMs?: number;
  settleIntervalMs?: number;
}

/** What order execution is built from. */
export interface ExecutionDeps {
  config: Config;
  records: Records;
  readModel: ReadModel;
  /** The book clock now (the paper bookmaker prices from fresh books only). */
  bookClock: () => BookClock;
  publisher: ExecutionPublisher | undefined;
  overrides: Partial<ExecutionOptions>;
  logger: Logger;
  lifecycle: Lifecycle;
}

/**
 * Order execution over the records database: the paper bookmaker pricing from the read model's books, the
 * venues the configuration names (EXEC_BETFAIR_EX, EXEC_SPORTSBOOK_URL) and any a caller passes,
 * reconciliation at start and periodically, settlement from the results archive.
 */
export async function buildExecution(deps: ExecutionDeps): Promise<Execution> {
  const { records, overrides: opts } = deps;
  const db = records.database.db;
  const venues = await createExecutionVenues(deps.config, deps.readModel, deps.logger);
  deps.lifecycle.add({ name: 'venues', close: () => venues.close() });
  const paper = new PaperConnector({
    db,
    quotes: readModelQuotes(deps.readModel, deps.bookClock),
    ...opts.paper,
  });
  const publisher = opts.publisher ?? deps.publisher;
  const execution = createExecution({
    db,
    accounts: opts.accounts ?? new TableAccounts(db),
    connectors: [paper, ...venues.connectors, ...(opts.connectors ?? [])],
    results: records.results,
    logger: deps.logger,
    ...(publisher ? { publisher } : {}),
    ...(opts.guard ? { guard: opts.guard } : {}),
    ...(opts.reconcileStaleMs !== undefined ? { reconcileStaleMs: opts.reconcileStaleMs } : {}),
    ...(opts.reconcileIntervalMs !== undefined ? { reconcileIntervalMs: opts.reconcileIntervalMs } : {}),
    ...(opts.settleIntervalMs !== undefined ? { settleIntervalMs: opts.settleIntervalMs } : {}),
  });
  deps.lifecycle.add({ name: 'execution', start: () => execution.start(), stop: () => execution.stop() });
  return execution;
}
