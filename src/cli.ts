import { ConfigError } from './config/index.js';

const USAGE = `usage: oddsgate <command> [options]

commands:
  start                     run the aggregator (configuration from env and config/*.json; see README)
  simulate [options]        run the simulated upstreams (see --help)
  inspect <file...> [--json] replay Betfair stream/historical files and print the final state
  replay <file...>          run the aggregator on recorded Betfair files instead of live sources
  record --out <file>       write the live Betfair stream to an NDJSON file (see --help)
  db migrate                apply pending migrations of the records database (DATABASE_URL or DATA_DIR)
`;

/** CLI entry: dispatches to a subcommand and returns its exit code. */
export async function run(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const { main } = await import('./server.js');
      await main();
      return -1; // keeps running
    }
    case 'replay': {
      if (rest.length === 0) {
        process.stderr.write('replay: give at least one file\n');
        return 2;
      }
      const { main } = await import('./server.js');
      await main({ ...process.env, SOURCES: 'historical', HISTORICAL_FILES: rest.join(',') });
      return -1;
    }
    case 'simulate': {
      const { simulateCommand } = await import('./cli/simulate.js');
      return simulateCommand(rest);
    }
    case 'record': {
      const { recordCommand } = await import('./cli/record.js');
      return recordCommand(rest);
    }
    case 'db': {
      const { dbCommand } = await import('./cli/db.js');
      return dbCommand(rest);
    }
    case 'inspect': {
      const { inspectCommand } = await import('./cli/inspect.js');
      return inspectCommand(rest);
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command: ${cmd}\n${USAGE}`);
      return 2;
  }
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
    process.stderr.write(`oddsgate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
