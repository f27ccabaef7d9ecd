import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Records } from '../../src/records/index.js';
import type { Result } from '../../src/model/index.js';

/** The machine's PostgreSQL (trust auth); PG_ADMIN_URL overrides. */
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A records backend the contract suite runs against. */
export interface Backend {
  name: 'pglite' | 'postgres';
  /** Opens Records on this backend's own fresh database (migrated). */
  open(): Promise<Records>;
  /** Opens it again (the same database: a restart). */
  reopen(): Promise<Records>;
  /** Drops the database / removes the directory. */
  cleanup(): Promise<void>;
}

/** PGlite in a fresh temporary DATA_DIR. */
export async function pgliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), 'oddsgate-records-'));
  const open = () => Records.open({ dataDir: dir, writer: { flushMs: 10 } });
  return { name: 'pglite', open, reopen: open, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A database with a random name on the machine's PostgreSQL, dropped by cleanup. Fails (never skips)
 * when the server does not answer: `.ci/run` makes sure it does.
 */
export async function postgresBackend(): Promise<Backend> {
  const name = `oddsgate_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const open = () =>
    Records.open({ databaseUrl: url.toString(), dataDir: '/nonexistent', writer: { flushMs: 10 } });
  return {
    name: 'postgres',
    open,
    reopen: open,
    async cleanup() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Both backends, in the order the suite runs them. */
export const BACKENDS: ReadonlyArray<() => Promise<Backend>> = [pgliteBackend, postgresBackend];

/** A result of `eventId` completed at `at` (ISO), of sport `sportId`. */
export function result(eventId: number, at: string, sportId = 1, winner = 'Home'): Result {
  return {
    eventId,
    marketId: `1.${eventId}`,
    sportId,
    eventName: `Home v Away ${eventId}`,
    team1: 'Home',
    team2: 'Away',
    upstreamIds: { betfair: String(30000000 + eventId) },
    completedAt: at,
    winner,
    winners: [{ selectionId: 1, name: winner }],
    winnerSource: 'settled',
    finalMarket: {
      id: `1.${eventId}`,
      eventId,
      type: 'MATCH_ODDS',
      name: 'Match Odds',
      status: 'CLOSED',
      inPlay: false,
      runners: [],
      updatedAt: at,
      source: 'betfair',
      version: 1,
    },
    finalScore: { home: 2, away: 1 },
  } as unknown as Result;
}
