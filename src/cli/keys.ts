import { loadConfig } from '../config/index.js';
import { ApiKeyRepository, isUuid, type ApiKeyRecord } from '../execution/keys.js';
import { DataDirLockedError, migrate, openRecordsDb, type RecordsDb } from '../records/index.js';
import { parseCommand, stdio } from './args.js';

const USAGE = `usage: oddsgate keys <create|list|disable|enable> [options]

Manages the API keys of the ABP surface (/abp, /abp/ws) in the records database: DATABASE_URL
(PostgreSQL) when set, else the embedded PGlite in DATA_DIR, which a running server holds (then use the
admin routes /api/v1/admin/abp/keys instead). A key is a random UUID, printed once at creation and stored
only as its SHA-256.

  keys create --client NAME [--rate N] [--bookmakers a,b] [--expires ISO-8601] [--json]
  keys list [--client NAME] [--json]
  keys disable <key id>
  keys enable <key id>

options:
  --client NAME       the client the key acts for (its clientName: every row it reads is filtered by it)
  --rate N            requests per minute (default ABP_DEFAULT_RATE_LIMIT, 60)
  --bookmakers a,b    bookmaker slugs the key may use (default: all)
  --expires ISO       expiry time (default: never)
  --json              JSON output; \`create\` prints {"apiKey","clientName",…} as its last line
  -h, --help          show this help
  -V, --version       show the version
`;

const OPTIONS = {
  client: { type: 'string' },
  rate: { type: 'string' },
  bookmakers: { type: 'string' },
  expires: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

function usageError(message: string): number {
  process.stderr.write(`keys: ${message}\n${USAGE}`);
  return 2;
}

function line(k: ApiKeyRecord): string {
  const state = !k.enabled
    ? 'disabled'
    : k.expiresAt && Date.parse(k.expiresAt) <= Date.now()
      ? 'expired'
      : 'enabled';
  const books = k.bookmakers.length === 0 ? '*' : k.bookmakers.join(',');
  return `${k.id}  ${k.clientName}  ${state}  ${k.rateLimit}/min  bookmakers=${books}  expires=${k.expiresAt ?? 'never'}\n`;
}

/** What `keys create` asks for. */
interface CreateRequest {
  clientName: string;
  rateLimit: number;
  bookmakers: string[];
  expiresAt: Date | null;
}

type KeyValues = Record<string, string | boolean | undefined>;

/** `oddsgate keys …`; returns the exit code. */
export async function keysCommand(args: string[]): Promise<number> {
  const parsed = parseCommand('keys', args, OPTIONS, USAGE, { positionals: true });
  if ('exit' in parsed) return parsed.exit;
  const [sub, ...rest] = parsed.positionals;
  const v = parsed.values;
  const config = loadConfig();
  let create: CreateRequest | null = null;
  if (sub === 'create') {
    if (rest.length > 0) return usageError('create takes no positional argument');
    const req = createRequest(v, config.abp.defaultRateLimit);
    if (typeof req === 'string') return usageError(req);
    create = req;
  } else if (sub === 'list') {
    if (rest.length > 0) return usageError('list takes no positional argument');
  } else if (sub === 'disable' || sub === 'enable') {
    if (rest.length !== 1 || !isUuid(rest[0] as string))
      return usageError(`${sub} takes one key id (a UUID)`);
  } else {
    return usageError('expected create, list, disable or enable');
  }
  let records: RecordsDb;
  try {
    records = await openRecordsDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(
        `oddsgate keys: ${err.message}; with the server running, manage keys through /api/v1/admin/abp/keys\n`,
      );
      return 3;
    }
    throw err;
  }
  try {
    await migrate(records);
    return await runKeys(new ApiKeyRepository(records.db), sub, rest[0], create, v);
  } finally {
    await records.close();
  }
}

/** The `create` flags, checked; a string says what is wrong with them. */
function createRequest(v: KeyValues, defaultRateLimit: number): CreateRequest | string {
  const clientName = typeof v.client === 'string' ? v.client : '';
  if (!CLIENT_NAME.test(clientName)) return '--client NAME is required (letters, digits, _ . : -)';
  const rateLimit = v.rate === undefined ? defaultRateLimit : Number(v.rate);
  if (!Number.isInteger(rateLimit) || rateLimit < 1 || rateLimit > 1_000_000)
    return '--rate must be a whole number of requests per minute (1 to 1000000)';
  const bookmakers =
    typeof v.bookmakers === 'string'
      ? v.bookmakers
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [];
  if (bookmakers.some((b) => !/^[a-z0-9][a-z0-9.-]{0,39}$/.test(b)))
    return '--bookmakers must be a comma list of bookmaker slugs';
  const expiresAt = typeof v.expires === 'string' ? new Date(v.expires) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) return '--expires must be an ISO 8601 time';
  return { clientName, rateLimit, bookmakers, expiresAt };
}

/** Runs a checked subcommand against the keys table; returns the exit code. */
async function runKeys(
  keys: ApiKeyRepository,
  sub: string | undefined,
  id: string | undefined,
  create: CreateRequest | null,
  v: KeyValues,
): Promise<number> {
  if (create) {
    const { apiKey, record } = await keys.create(create);
    if (v.json) stdio.out(`${JSON.stringify({ apiKey, ...record })}\n`);
    else stdio.out(`API key for ${record.clientName} (shown once, keep it): ${apiKey}\n${line(record)}`);
    return 0;
  }
  if (sub === 'list') {
    const list = await keys.list(typeof v.client === 'string' ? v.client : undefined);
    if (v.json) stdio.out(`${JSON.stringify(list)}\n`);
    else stdio.out(list.length === 0 ? 'no keys\n' : list.map(line).join(''));
    return 0;
  }
  const changed = await keys.setEnabled(id as string, sub === 'enable');
  if (!changed) {
    process.stderr.write(`oddsgate keys: no key with id ${id}\n`);
    return 1;
  }
  stdio.out(line(changed));
  return 0;
}
