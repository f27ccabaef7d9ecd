import { Migrator, type MigrationResultSet } from 'kysely';
import type { RecordsDb } from './db.js';
import { MIGRATIONS } from './migrations/index.js';

/** What a migration run did. */
export interface MigrateReport {
  /** Names applied by this run, in order. */
  applied: string[];
}

/**
 * Applies every pending migration (Kysely's migrator: versioned, each once, in one transaction under its
 * lock table, so concurrent starters on one PostgreSQL server apply them once). Throws on failure.
 */
export async function migrate(records: RecordsDb): Promise<MigrateReport> {
  const migrator = new Migrator({
    db: records.db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    // Slices add migrations on parallel branches (0002, 0003, 0004 ...) over independent tables: a database
    // that already ran a later one still takes an earlier one that arrives with a merge.
    allowUnorderedMigrations: true,
  });
  const set: MigrationResultSet = await migrator.migrateToLatest();
  if (set.error) {
    const failed = set.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`records migration ${failed} failed: ${errorText(set.error)}`, { cause: set.error });
  }
  return { applied: (set.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
