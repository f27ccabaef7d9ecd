import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { PoolClient } from 'pg';
import { lockDataDir, type DataDirLock } from './lock.js';

/**
 * The records database: one Kysely instance over either a PostgreSQL server (`pg` pool, DATABASE_URL) or
 * the embedded PGlite (PostgreSQL compiled to WASM) in `<DATA_DIR>/records`. One SQL dialect for both:
 * repositories write plain PostgreSQL through Kysely's `sql` template and transactions.
 */
export interface RecordsDb {
  readonly kind: 'postgres' | 'pglite';
  /** Where the data is: the server URL without its password, or the PGlite directory. */
  readonly location: string;
  readonly db: Kysely<unknown>;
  /** True when a trivial query answers now. */
  ping(): Promise<boolean>;
  /** Closes the pool (or PGlite) and releases the data-directory lock. Idempotent. */
  close(): Promise<void>;
}

/** How to open the records database. */
export interface RecordsDbOptions {
  /** postgres:// URL; unset: PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory parent (default ./data). */
  dataDir: string;
  /** pg pool size (default 4). */
  poolSize?: number;
}

/** Opens (does not migrate) the records database; PGlite locks its data directory first (see lock.ts). */
export async function openRecordsDb(opts: RecordsDbOptions): Promise<RecordsDb> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 4);
  return openPglite(opts.dataDir);
}

async function openPostgres(url: string, max: number): Promise<RecordsDb> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  // Nor may a client in use (the pool only listens on idle ones): its query rejects, that is enough.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    preparedByMarker(client);
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  return wrap('postgres', redactUrl(url), db, async () => undefined);
}

/** Statements whose text starts with this comment are prepared once per connection (see preparedByMarker). */
export const PREPARED = '/* prepared */';

/**
 * Hot statements (an order's claim and completion) are parsed and planned once per connection instead of on
 * every call: a text starting with PREPARED is sent as a named prepared statement (name: a hash of the text).
 * Only marked texts, whose variants are few (one per number of bets), so the per-connection cache stays small.
 */
function preparedByMarker(client: PoolClient): void {
  const query = client.query.bind(client) as (...a: unknown[]) => unknown;
  const names = new Map<string, string>();
  (client as unknown as { query: (...a: unknown[]) => unknown }).query = (
    text: unknown,
    ...rest: unknown[]
  ) => {
    if (typeof text !== 'string' || !text.startsWith(PREPARED)) return query(text, ...rest);
    let name = names.get(text);
    if (!name) names.set(text, (name = `og_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`));
    return query({ name, text, values: rest[0] as unknown[] }, ...rest.slice(1));
  };
}

async function openPglite(dataDir: string): Promise<RecordsDb> {
  await mkdir(dataDir, { recursive: true });
  const lock: DataDirLock = await lockDataDir(dataDir);
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    const dir = join(dataDir, 'records');
    const pglite = await PGlite.create(dir);
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
    return wrap('pglite', dir, db, async () => {
      await pglite.close();
      await lock.release();
    });
  } catch (err) {
    await lock.release();
    throw err;
  }
}

function wrap(
  kind: RecordsDb['kind'],
  location: string,
  db: Kysely<unknown>,
  after: () => Promise<void>,
): RecordsDb {
  let closed: Promise<void> | null = null;
  return {
    kind,
    location,
    db,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close() {
      closed ??= db.destroy().then(after);
      return closed;
    },
  };
}

interface PgliteLike {
  query<T>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: T[]; affectedRows?: number; rowCount?: number; command?: string }>;
}

/**
 * A one-connection pool over PGlite for Kysely's PostgresDialect. PGlite is a single session, so a client
 * is lent to one user at a time (a transaction never interleaves with another caller's statements).
 */
function pglitePool(pglite: PgliteLike): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  const client = (release: () => void): PostgresPoolClient =>
    ({
      async query(text: string, params: readonly unknown[]) {
        const r = await pglite.query(text, [...params]);
        // PGlite runs the statement on this thread and resolves without a turn of the event loop: yield
        // one, so sockets and timers are served between the statements of a long transaction (the
        // history writer's), not only after it.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const command = (/^\s*(\w+)/.exec(text)?.[1] ?? 'SELECT').toUpperCase();
        return { command, rowCount: r.affectedRows ?? r.rows.length, rows: r.rows };
      },
      release,
    }) as unknown as PostgresPoolClient;
  return {
    connect() {
      let release!: () => void;
      const turn = new Promise<void>((r) => (release = r));
      const ready = tail;
      tail = tail.then(() => turn);
      return ready.then(() => client(release));
    },
    async end() {
      await tail;
    },
  };
}

/** The URL with its password replaced (for logs and /admin/health). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable)';
  }
}
