import type { Kysely } from 'kysely';
import type { AppLogger as Logger } from '../logger.js';
import { GuardedConnector, type GuardOptions } from './connectors/guard.js';
import { CurrencyRates } from './currencies.js';
import { EmergencySwitch } from './emergency.js';
import { GameSettlement } from './game-settlement.js';
import { BetLedger } from './ledger.js';
import { OrderService } from './order-service.js';
import { Reconciler } from './reconcile.js';
import { ExecutionRepository } from './repository.js';
import { SettlementWorker, type ResultLookup } from './settlement.js';
import { StatusBoard } from './status.js';
import { ExecutionTrace } from './trace.js';
import { NO_PUBLISHER, type AccountDirectory, type Connector, type ExecutionPublisher } from './types.js';

export * from './types.js';
export type { OrderRow, BetRow } from './rows.js';
export type { OrderClient, OrderInput, PlaceOutcome } from './order-service.js';

/** What execution is built from. */
export interface ExecutionDeps {
  db: Kysely<unknown>;
  accounts: AccountDirectory;
  connectors: readonly Connector[];
  results: ResultLookup;
  publisher?: ExecutionPublisher;
  logger?: Logger;
  guard?: GuardOptions;
  /** Unresolved placements older than this are reconciled (ms, default 30 s). */
  reconcileStaleMs?: number;
  reconcileIntervalMs?: number;
  settleIntervalMs?: number;
}

/** The execution core: orders, reconciliation, settlement and the emergency switch, over one database. */
export interface Execution {
  readonly orders: OrderService;
  readonly repo: ExecutionRepository;
  readonly reconciler: Reconciler;
  readonly settlement: SettlementWorker;
  /** Whole-game settlement: preview, settle, void (the operator's routes). */
  readonly games: GameSettlement;
  /** Every state change of an order or bet, secrets masked. */
  readonly trace: ExecutionTrace;
  readonly emergency: EmergencySwitch;
  /** Service, venue and circuit states, each change pushed on the global `status` channel. */
  readonly status: StatusBoard;
  readonly currencies: CurrencyRates;
  readonly connectors: ReadonlyMap<string, GuardedConnector>;
  readonly db: Kysely<unknown>;
  /** Reconciles at once (placements a previous run left unknown), then periodically; settles periodically. */
  start(): void;
  stop(): Promise<void>;
}

/** Builds the execution core over one database; nothing runs until {@link Execution.start}. */
export function createExecution(deps: ExecutionDeps): Execution {
  const publisher = deps.publisher ?? NO_PUBLISHER;
  const repo = new ExecutionRepository(deps.db);
  const ledger = new BetLedger(deps.db, repo, deps.accounts, publisher);
  const connectors = new Map(deps.connectors.map((c) => [c.slug, new GuardedConnector(c, deps.guard)]));
  const currencies = new CurrencyRates(deps.db, Date.now, publisher);
  const status = new StatusBoard(publisher);
  const emergency = new EmergencySwitch(deps.db, publisher, Date.now, (e) =>
    status.set('service', 'execution', e.active ? 'paused' : 'up', e.active ? e.reason : null),
  );
  const offCircuits = watchCircuits(connectors, status);
  const orders = new OrderService({
    db: deps.db,
    repo,
    ledger,
    accounts: deps.accounts,
    connectors,
    currencies,
    emergency,
    publisher,
  });
  const { reconciler, settlement } = createWorkers(deps, repo, ledger, connectors, publisher);
  return {
    orders,
    repo,
    reconciler,
    settlement,
    games: new GameSettlement(deps.db, repo, ledger, publisher),
    trace: new ExecutionTrace(deps.db),
    emergency,
    status,
    currencies,
    connectors,
    db: deps.db,
    ...lifecycle(reconciler, settlement, connectors, status, offCircuits),
  };
}

/** Shows each connector's circuit on the status board; answers the unsubscribers. */
function watchCircuits(
  connectors: ReadonlyMap<string, GuardedConnector>,
  status: StatusBoard,
): (() => void)[] {
  return [...connectors.values()].map((g) =>
    g.onCircuit((state) =>
      status.set(
        'circuit',
        g.connector.slug,
        state,
        state === 'open' ? 'consecutive failures: orders skip this bookmaker' : null,
      ),
    ),
  );
}

/** The periodic workers: the reconciler of unresolved placements and the settlement worker. */
function createWorkers(
  deps: ExecutionDeps,
  repo: ExecutionRepository,
  ledger: BetLedger,
  connectors: ReadonlyMap<string, GuardedConnector>,
  publisher: ExecutionPublisher,
): { reconciler: Reconciler; settlement: SettlementWorker } {
  const logger = deps.logger ? { logger: deps.logger } : {};
  const reconciler = new Reconciler(repo, ledger, connectors, {
    staleMs: deps.reconcileStaleMs ?? 30_000,
    intervalMs: deps.reconcileIntervalMs ?? 15_000,
    ...logger,
  });
  const settlement = new SettlementWorker(
    deps.db,
    repo,
    ledger,
    deps.results,
    publisher,
    { intervalMs: deps.settleIntervalMs ?? 30_000, ...logger },
    new Map(deps.connectors.map((c) => [c.slug, c])),
  );
  return { reconciler, settlement };
}

/** Execution's start and stop: the workers, and the service and venue states on the status board. */
function lifecycle(
  reconciler: Reconciler,
  settlement: SettlementWorker,
  connectors: ReadonlyMap<string, GuardedConnector>,
  status: StatusBoard,
  offCircuits: readonly (() => void)[],
): Pick<Execution, 'start' | 'stop'> {
  return {
    start() {
      reconciler.start();
      settlement.start();
      for (const slug of connectors.keys()) status.set('venue', slug, 'up');
      status.set('service', 'execution', 'up');
    },
    async stop() {
      for (const off of offCircuits) off();
      await reconciler.stop();
      await settlement.stop();
      status.set('service', 'execution', 'down', 'instance stopping');
      for (const slug of connectors.keys()) status.set('venue', slug, 'down', 'instance stopping');
    },
  };
}
