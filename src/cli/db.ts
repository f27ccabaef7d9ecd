import { loadConfig } from '../config/index.js';
import { DataDirLockedError, migrate, openRecordsDb } from '../records/index.js';

const USAGE = `usage: oddsgate db migrate

Applies pending migrations of the records database: DATABASE_URL (PostgreSQL) when set, else the
embedded PGlite in DATA_DIR (default ./data). A PGlite data directory in use by a running server is
refused (the server applies migrations itself at start).
`;

/** `oddsgate db <subcommand>`; returns the exit code. */
export async function dbCommand(args: string[]): Promise<number> {
  const [sub] = args;
  if (sub === '-h' || sub === '--help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (sub !== 'migrate') {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig();
  let records;
  try {
    records = await openRecordsDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`oddsgate db migrate: ${err.message}\n`);
      return 3;
    }
    throw err;
  }
  try {
    const { applied } = await migrate(records);
    process.stdout.write(
      applied.length === 0
        ? `records database (${records.kind}) is up to date\n`
        : `applied ${applied.length} migration(s) to the records database (${records.kind}): ${applied.join(', ')}\n`,
    );
    return 0;
  } finally {
    await records.close();
  }
}
