import { ConfigError } from './config/index.js';
import { packageVersion, parseCommand, stdio } from './cli/args.js';
import { StartupError } from './startup.js';

const USAGE = `usage: oddsgate <command> [options]

commands:
  start                     run the aggregator (configuration from env and config/*.json; see README)
  simulate [options]        run the simulated upstreams (see --help)
  inspect <file...> [--json] replay Betfair stream/historical files and print the final state
  replay <file...>          run the aggregator on recorded Betfair files instead of live sources
  record --out <file>       write the live Betfair stream to an NDJSON file (see --help)
  db migrate                apply pending migrations of the records database (DATABASE_URL or DATA_DIR)
  history import <file...>  load Betfair historical recordings into odds history (see --help)
  history export --event <id> [--format csv|ndjson]  write an event's odds history out
  backtest --strategy mm [--from <time>] [--to <time>] [--input <file>...]  replay odds history through
                            the MM strategy on a paper exchange: PnL, fills, exposure (see --help)
  keys <create|list|disable|enable>  ABP API keys in the records database (see --help)
  help [command]            show this help, or a command's

options (every command):
  -h, --help                show the command's usage and exit
  -V, --version             show the version and exit
`;

/** Environment variables of a server run, listed by `start --help` and `replay --help`. */
const SERVER_ENV = `environment (all of them, with config/*.json keys: README "Configuration"):
  PORT, HOST                HTTP/WebSocket listen address (default 0.0.0.0:3001)
  LOG_LEVEL                 fatal, error, warn, info (default), debug, trace, silent
  REDIS_URL                 Redis for state and the update log (unset: in-memory store)
  REDIS_KEY_PREFIX          prefix of every Redis key (default oddsgate:)
  REDIS_WAIT_SEC            at start, wait this long for Redis to answer (default 0: fail at once)
  SOURCES                   sources to run (default sim,imatchodds-replay)
  DIAMOND_PASSWORD          x-password of /api/v2/diamond (unset: generated and logged once)
  API_KEYS                  key1:60,key2:600 (requests per minute); with keys, /api/v1 and /ws need one
  ROLE                      all (default), api, ingest or history (writes odds history only)
  DATABASE_URL, DATA_DIR    records database: PostgreSQL URL, else PGlite in DATA_DIR (default ./data)
  HISTORY_WRITER            auto (default), on or off: whether this process writes odds history
  HISTORY_RETENTION_RAW_DAYS, HISTORY_RETENTION_1M_DAYS  days of raw ticks (7) and 1-minute candles (90)
  CONFIG                    a JSON configuration file merged after config/*.json
`;

const START_USAGE = `usage: oddsgate start [options]

Runs the aggregator: sources in, REST and WebSocket out. Configuration comes from config/*.json, the
file named by CONFIG and environment variables; a bad value, an unreachable Redis or an address that
cannot be bound stops it with one line naming the variable.

options:
  -h, --help      show this help
  -V, --version   show the version

${SERVER_ENV}`;

const REPLAY_USAGE = `usage: oddsgate replay <file...> [options]

Runs the aggregator on recorded Betfair files (historical files, plain or .bz2, or \`oddsgate record\`
output) instead of live sources: SOURCES=historical, HISTORICAL_FILES=<file,...>.

options:
  -h, --help      show this help
  -V, --version   show the version

${SERVER_ENV}  HISTORICAL_SPEED          replay speed factor (default 0: as fast as possible)
`;

const COMMANDS = [
  'start',
  'replay',
  'simulate',
  'inspect',
  'record',
  'db',
  'keys',
  'history',
  'backtest',
] as const;

/** The commands in their own files, loaded when asked for (each returns its exit code). */
const SUBCOMMANDS: Readonly<Record<string, () => Promise<(args: string[]) => Promise<number>>>> = {
  simulate: async () => (await import('./cli/simulate.js')).simulateCommand,
  record: async () => (await import('./cli/record.js')).recordCommand,
  db: async () => (await import('./cli/db.js')).dbCommand,
  history: async () => (await import('./cli/history.js')).historyCommand,
  backtest: async () => (await import('./cli/backtest.js')).backtestCommand,
  keys: async () => (await import('./cli/keys.js')).keysCommand,
  inspect: async () => (await import('./cli/inspect.js')).inspectCommand,
};

/** CLI entry: dispatches to a subcommand and returns its exit code (-1: keeps running). */
export async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  // Own keys only: `oddsgate constructor` is an unknown command, not Object's.
  const sub = cmd !== undefined && Object.hasOwn(SUBCOMMANDS, cmd) ? SUBCOMMANDS[cmd] : undefined;
  if (sub) return (await sub())(rest);
  switch (cmd) {
    case 'start':
      return startCommand(rest);
    case 'replay':
      return replayCommand(rest);
    case 'help':
      return helpCommand(rest);
    case '-V':
    case '--version':
      stdio.out(`oddsgate ${packageVersion()}\n`);
      return 0;
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command: ${cmd}\n${USAGE}`);
      return 2;
  }
}

/** `oddsgate start`: the server, with the simulator's in-process source available (-1: keeps running). */
async function startCommand(rest: string[]): Promise<number> {
  const parsed = parseCommand('start', rest, {}, START_USAGE);
  if ('exit' in parsed) return parsed.exit;
  const { main } = await import('./server.js');
  // The composition root wires the simulator's in-process source (the default upstream) from the sim side.
  const { SIM_SOURCE_FACTORIES } = await import('./sim/sim-source.js');
  await main(process.env, { sourceFactories: SIM_SOURCE_FACTORIES });
  return -1; // keeps running
}

/** `oddsgate replay FILE…`: the server with the historical source over the files (-1: keeps running). */
async function replayCommand(rest: string[]): Promise<number> {
  const parsed = parseCommand('replay', rest, {}, REPLAY_USAGE, { positionals: true });
  if ('exit' in parsed) return parsed.exit;
  if (parsed.positionals.length === 0) {
    process.stderr.write(`replay: give at least one file\n${REPLAY_USAGE}`);
    return 2;
  }
  const { main } = await import('./server.js');
  await main({ ...process.env, SOURCES: 'historical', HISTORICAL_FILES: parsed.positionals.join(',') });
  return -1;
}

/** `oddsgate help [COMMAND]`: a command's usage, or the overview. */
function helpCommand(rest: string[]): Promise<number> | number {
  const [topic] = rest;
  if (topic !== undefined && (COMMANDS as readonly string[]).includes(topic)) return run([topic, '--help']);
  if (topic === '--version' || topic === '-V') return run([topic]);
  if (topic !== undefined && topic !== '--help' && topic !== '-h') {
    process.stderr.write(`help: unknown command: ${topic}\n${USAGE}`);
    return 2;
  }
  process.stdout.write(USAGE);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (
      err instanceof ConfigError ||
      (err instanceof Error && err.message.startsWith('invalid configuration')) ||
      (err instanceof Error && err.name === 'DataDirLockedError')
    ) {
      process.stderr.write(`oddsgate: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof StartupError) {
      process.stderr.write(`oddsgate: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`oddsgate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
