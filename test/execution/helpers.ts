import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql, type Kysely } from 'kysely';
import { MemoryAccounts } from '../../src/execution/accounts-memory.js';
import { PaperConnector, type PaperFault } from '../../src/execution/connectors/paper.js';
import { createExecution, type Execution, type ExecutionDeps } from '../../src/execution/index.js';
import type { BestQuote, QuoteSource } from '../../src/execution/quotes.js';
import type { ExecutionChannel, PlaceRequest, Selection } from '../../src/execution/types.js';
import type { Result } from '../../src/model/index.js';
import { analyticsRoutes } from '../../src/http/routes/abp/analytics.js';
import { orderRoutes } from '../../src/http/routes/abp/orders.js';
import { schemaValidationItems } from '../../src/http/routes/abp/schema-errors.js';
import { validationBody } from '../../src/contracts/abp/errors.js';
import '../../src/http/routes/abp/context.js';
import '../../src/services/plugin.js';

/** Prices a test sets per selection (`fixture:outcome:back|lay`). */
export class FixedQuotes implements QuoteSource {
  readonly prices = new Map<string, BestQuote>();
  set(fixtureId: string, outcomeId: number, back: boolean, price: number, size: number | null = null): this {
    this.prices.set(`${fixtureId}:${outcomeId}:${back ? 'back' : 'lay'}`, {
      price,
      size,
      book: 'test-book',
      marketId: `m-${fixtureId}`,
      suspended: false,
    });
    return this;
  }
  best(s: Selection): BestQuote | null {
    return this.prices.get(`${s.fixtureId}:${s.outcomeId}:${s.back ? 'back' : 'lay'}`) ?? null;
  }
}

/** Every event execution published. */
export interface Published {
  channel: ExecutionChannel;
  event: string;
  payload: unknown;
  clientName: string | undefined;
}

export interface Harness {
  execution: Execution;
  accounts: MemoryAccounts;
  quotes: FixedQuotes;
  published: Published[];
  /** Faults the paper bookmakers show, per bookmaker slug. */
  faults: Map<string, (req: PlaceRequest) => PaperFault>;
  results: Map<number, Result>;
}

/** Execution over `db` with two paper bookmakers (`paper`, `paper-b`) priced by FixedQuotes. */
export function harness(
  db: Kysely<unknown>,
  opts: Partial<ExecutionDeps> & { latencyMs?: number; maxStake?: number } = {},
): Harness {
  const accounts = new MemoryAccounts();
  const quotes = new FixedQuotes();
  const published: Published[] = [];
  const faults = new Map<string, (req: PlaceRequest) => PaperFault>();
  const results = new Map<number, Result>();
  const paper = (slug: string) =>
    new PaperConnector({
      db,
      quotes,
      slug,
      latencyMs: opts.latencyMs ?? 0,
      maxStake: opts.maxStake ?? 10_000,
      faults: (req) => faults.get(slug)?.(req) ?? null,
    });
  const execution = createExecution({
    db,
    accounts,
    connectors: [paper('paper'), paper('paper-b')],
    results: { get: async (id) => results.get(id) ?? null },
    publisher: {
      publish: (channel, event, payload, clientName) =>
        published.push({ channel, event, payload, clientName }),
    },
    guard: { retryDelayMs: 1, placeTimeoutMs: 2000 },
    ...opts,
  });
  return { execution, accounts, quotes, published, faults, results };
}

/**
 * The order and analytics routes in a test-only /abp scope: the client comes from `x-test-client` (the
 * real scope's API-key hook sets it from the key), validation errors are the document's 422 as the real
 * scope words them (schemaValidationItems).
 */
export async function abpApp(execution: Execution): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('execution', execution);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (req) => {
        const name = req.headers['x-test-client'];
        if (typeof name === 'string')
          req.abpClient = { keyId: '1', clientName: name, bookmakers: [], rateLimit: 60 };
      });
      scope.setErrorHandler((err: FastifyError, req, reply) => {
        if (err.validation) return reply.code(422).send(validationBody(schemaValidationItems(err, req)));
        if (err.statusCode && err.statusCode < 500)
          return reply.code(err.statusCode).send({ detail: err.message });
        return reply.code(500).send({ detail: 'Internal server error' });
      });
      await scope.register(orderRoutes);
      await scope.register(analyticsRoutes);
    },
    { prefix: '/abp' },
  );
  await app.ready();
  return app;
}

/** Row counts of the execution tables (to prove a refused request stored nothing). */
export async function counts(db: Kysely<unknown>): Promise<Record<string, number>> {
  const r = await sql<{ o: number; b: number; a: number; p: number }>`select
    (select count(*)::int from orders) as o, (select count(*)::int from bets) as b,
    (select count(*)::int from execution_audit) as a, (select count(*)::int from paper_bets) as p`.execute(
    db,
  );
  const x = r.rows[0] as { o: number; b: number; a: number; p: number };
  return { orders: x.o, bets: x.b, audit: x.a, paperBets: x.p };
}

/** A fresh v4 UUID. */
export function uuid(): string {
  return crypto.randomUUID();
}

/** A valid order body with overrides. */
export function order(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestUuid: uuid(),
    fixtureId: '1000001',
    outcomeId: 101,
    playerId: 0,
    orderStake: 10,
    orderPrice: 1.9,
    userRef: 'strat-1',
    testOrder: false,
    ...over,
  };
}
