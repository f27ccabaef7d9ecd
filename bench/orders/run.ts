/**
 * `npm run bench:orders [-- --seconds N --rate R --clients C --memory-accounts]`
 *
 * Placement overhead of the ABP order path on PostgreSQL: POST /abp/place-orders (one order each, injected
 * into the Fastify route) → validation, requestUuid claim, routing, bet written, paper bookmaker (latency
 * set to 0, so what is measured is oddsgate's own work: the paper ledger insert is one statement) → bet
 * confirmed, order finalized → the reply. Orders arrive open-loop at R per second (default 200) for N
 * seconds (default 10). The limit is the same first insert transaction (the order row with its audit row)
 * issued directly at the same rate (now: the placement's first statement — order, bet, audit rows). Then 50 concurrent duplicates of one requestUuid: exactly one bet.
 * Needs PostgreSQL (PG_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres): a scratch database
 * is created and dropped. Prints the JSON result as its last line.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import pg from 'pg';
import { MemoryAccounts } from '../../src/execution/accounts-memory.js';
import { TableAccounts } from '../../src/execution/accounts-table.js';
import { PaperConnector } from '../../src/execution/connectors/paper.js';
import { createExecution } from '../../src/execution/index.js';
import '../../src/services/plugin.js';
import type { QuoteSource } from '../../src/execution/quotes.js';
import { orderRoutes } from '../../src/http/routes/abp/orders.js';
import { Records } from '../../src/records/index.js';

const ADMIN = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function flag(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const v = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
  return Math.round(v * 100) / 100;
}

/** Runs `fn` open-loop at `rate`/s for `seconds`; resolves to each call's duration (ms), sorted. */
async function openLoop(rate: number, seconds: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const out: Promise<number>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const t0 = performance.now();
    out.push(fn(i).then(() => performance.now() - t0));
  }
  return (await Promise.all(out)).sort((a, b) => a - b);
}

const seconds = flag('seconds', 10);
const rate = flag('rate', 200);
const clients = flag('clients', 10);
const accountsKind = process.argv.includes('--memory-accounts') ? 'memory' : 'table';
const name = `oddsgate_bench_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(ADMIN);
url.pathname = `/${name}`;
const records = await Records.open({ databaseUrl: url.toString(), dataDir: '/nonexistent', poolSize: 10 });
try {
  const db = records.database.db;
  const quotes: QuoteSource = {
    best: () => ({ price: 2.0, size: null, book: 'bench', marketId: 'm', suspended: false }),
  };
  // Each bench client has its own paper account: a placement debits its account's balance row, so the
  // placements of ONE account serialize at the database's commit rate (`--clients 1` shows that case).
  const names = Array.from({ length: clients }, (_, i) => `bench-${i}`);
  const memory = new MemoryAccounts();
  for (const n of names) {
    await sql`insert into abp_accounts (bookmaker, username, client_name, password_sealed, balance)
      values ('paper', ${n}, ${n}, 'unused', 1e12)`.execute(db);
    memory.add({ bookmaker: 'paper', username: n, clientName: n, balance: 1e12 });
  }
  const accounts = accountsKind === 'memory' ? memory : new TableAccounts(db);
  const execution = createExecution({
    db,
    accounts,
    connectors: [new PaperConnector({ db, quotes, latencyMs: 0, maxStake: 1e9 })],
    results: { get: async () => null },
  });
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('execution', execution);
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (req) => {
        const clientName = String(req.headers['x-bench-client'] ?? 'bench-0');
        req.abpClient = { keyId: '1', clientName, bookmakers: [], rateLimit: 1e9 };
      });
      await scope.register(orderRoutes);
    },
    { prefix: '/abp' },
  );
  await app.ready();
  const body = (requestUuid: string) => ({
    orders: [
      {
        requestUuid,
        fixtureId: '1000001',
        outcomeId: 101,
        playerId: 0,
        orderStake: 10,
        orderPrice: 1.9,
        userRef: 'bench',
        testOrder: false,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      },
    ],
  });
  // Warm-up: JIT, plans, and every pooled connection (with its prepared statements). Rounds of concurrent
  // placements, so the pool opens all its connections here: sequential ones used one, and the other nine
  // opened during the measured run's first second (p99 174 ms, every slow placement in that second).
  const headers = (i: number) => ({ 'x-bench-client': names[i % clients] as string });
  for (let round = 0; round < 10; round++)
    await Promise.all(
      Array.from({ length: 20 }, (_, j) =>
        app.inject({
          method: 'POST',
          url: '/abp/place-orders',
          headers: headers(round * 20 + j),
          payload: body(randomUUID()),
        }),
      ),
    );

  let failed = 0;
  const t0 = performance.now();
  const placed = await openLoop(rate, seconds, async (i) => {
    const r = await app.inject({
      method: 'POST',
      url: '/abp/place-orders',
      headers: headers(i),
      payload: body(randomUUID()),
    });
    if (r.statusCode !== 200 || r.json().acceptedOrders?.[0]?.orderStatus !== 'FILLED') failed++;
  });
  const elapsed = (performance.now() - t0) / 1000;

  // The limit: the placement's first statement (order, its bet and their audit rows) issued directly.
  const limit = await openLoop(rate, seconds, async () => {
    await execution.repo.claimOrder(
      {
        requestUuid: randomUUID(),
        clientName: 'bench-limit',
        fixtureId: '1000001',
        outcomeId: 101,
        playerId: 0,
        orderPrice: 1.9,
        orderStake: 10,
        userRef: 'bench',
        testOrder: false,
        acceptBetterOdds: true,
        acceptPartialStake: true,
        orderCurrency: 'USD',
        back: true,
        allowedBookmakers: '*',
        meta: {},
        expiresAt: new Date(Date.now() + 60_000),
      },
      {
        status: 'PROCESSING',
        bets: [
          {
            bookmaker: 'paper',
            account: 'bench',
            placedStake: 10,
            placedPrice: 1.9,
            placedCurrency: 'USD',
            testBet: false,
            sentData: { stake: 10, price: 1.9, acceptBetterOdds: true },
            oddsInfo: { quotedPrice: 2, orderStake: 10 },
          },
        ],
      },
    );
  });

  const dup = body(randomUUID());
  const replies = await Promise.all(
    Array.from({ length: 50 }, () => app.inject({ method: 'POST', url: '/abp/place-orders', payload: dup })),
  );
  const bets = await sql<{ n: number }>`select count(*)::int as n from bets
    where request_uuid = ${dup.orders[0]?.requestUuid as string}::uuid`.execute(db);
  await app.close();
  const result = {
    orders: {
      placedPerSec: Math.round((placed.length - failed) / elapsed),
      p50Ms: pct(placed, 50),
      p99Ms: pct(placed, 99),
      failed,
    },
    limit: { p50Ms: pct(limit, 50), p99Ms: pct(limit, 99) },
    duplicates: {
      sent: replies.length,
      bets: bets.rows[0]?.n ?? 0,
      conflicts: replies.filter((r) => r.statusCode === 409).length,
    },
    settings: {
      rate,
      seconds,
      paperLatencyMs: 0,
      database: 'postgres',
      accounts: accountsKind,
      clients,
      load1m: loadavg()[0],
    },
  };
  process.stdout.write(
    `orders: ${result.orders.placedPerSec}/s p50 ${result.orders.p50Ms} ms p99 ${result.orders.p99Ms} ms; ` +
      `limit p99 ${result.limit.p99Ms} ms; duplicates ${result.duplicates.sent} → ${result.duplicates.bets} bet\n`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await records.close();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
