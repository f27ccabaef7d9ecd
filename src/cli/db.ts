import { loadConfig } from '../config/index.js';
import { parseCommand } from './args.js';
import { DataDirLockedError, migrate, openRecordsDb } from '../records/index.js';

const USAGE = `usage: oddsgate db migrate [options]

Applies pending migrations of the records database: DATABASE_URL (PostgreSQL) when set, else the
embedded PGlite in DATA_DIR (default ./data). A PGlite data directory in use by a running server is
refused (the server applies migrations itself at start).

options:
  -h, --help      show this help
  -V, --version   show the version
`;

/** `oddsgate db <subcommand>`; returns the exit code. */
export async function dbCommand(args: string[]): Promise<number> {
  const parsed = parseCommand('db', args, {}, USAGE, { positionals: true });
  if ('exit' in parsed) return parsed.exit;
  const [sub, ...extra] = parsed.positionals;
  if (sub !== 'migrate' || extra.length > 0) {
    process.stderr.write(`db: expected \`db migrate\`\n${USAGE}`);
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
