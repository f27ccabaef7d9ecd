/**
 * `oddsgate record`: connects to Betfair like `start` does (BETFAIR_* configuration) and writes the live
 * stream to an NDJSON file, one message per line as the pipeline received it (catalogue names added to
 * market definitions, like Betfair's historical files). `oddsgate inspect` and `oddsgate replay` read it.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '../config/index.js';
import { parseCommand } from './args.js';
import { createLogger } from '../logger.js';
import { betfairOptions } from '../sources/betfair/factory.js';
import { BetfairSource, type BetfairSourceOptions } from '../sources/betfair/live-source.js';

const USAGE = `usage: oddsgate record --out <file> [options]

Records the Betfair Exchange stream (configured with BETFAIR_*, see README) to an NDJSON file that
\`oddsgate inspect\` and \`oddsgate replay\` read.

options:
  --out <file>        the NDJSON file to write (appended to when it exists)
  --seconds <n>       stop after n seconds (default: until SIGINT/SIGTERM)
  --markets <id,...>  also record these market ids (besides the configured filter)
  --events <id,...>   also record these Betfair events' markets (of the configured market types)
  -h, --help          show this help
  -V, --version       show the version
`;

const FlagsSchema = z
  .object({
    out: z.string().min(1).optional(),
    seconds: z.coerce.number().positive().optional(),
    markets: z.string().optional(),
    events: z.string().optional(),
  })
  .strict();

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** A recording in progress. */
export interface Recording {
  readonly source: BetfairSource;
  /** Lines written so far. */
  readonly lines: number;
  /** Stops the source and closes the file; resolves with the lines written. */
  stop(): Promise<number>;
}

/** Starts recording: the source writes every message it processes to `out`. */
export async function startRecording(
  options: BetfairSourceOptions,
  out: string,
  extra: { markets?: string[]; events?: string[] } = {},
): Promise<Recording> {
  const file: WriteStream = createWriteStream(out, { flags: 'a' });
  let lines = 0;
  let failed: Error | null = null;
  file.on('error', (err) => (failed ??= err));
  const source = new BetfairSource({
    ...options,
    onRecord: (line) => {
      if (failed) return;
      lines++;
      file.write(`${line}\n`);
    },
  });
  await source.start(() => {});
  if (extra.markets?.length) source.demandEvent(null, extra.markets);
  for (const e of extra.events ?? []) source.demandEvent(e, []);
  return {
    source,
    get lines() {
      return lines;
    },
    async stop() {
      await source.stop();
      await new Promise<void>((resolve) => file.end(() => resolve()));
      if (failed) throw failed;
      return lines;
    },
  };
}

/** Runs `oddsgate record`; returns the exit code (2 for bad usage). */
export async function recordCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // --help and --version answer before anything connects; unknown flags are a usage error.
  const args = parseCommand(
    'record',
    argv,
    {
      out: { type: 'string' },
      seconds: { type: 'string' },
      markets: { type: 'string' },
      events: { type: 'string' },
    },
    USAGE,
  );
  if ('exit' in args) return args.exit;
  const parsed = FlagsSchema.safeParse(args.values);
  if (!parsed.success || !parsed.data.out) {
    process.stderr.write(
      `record: ${parsed.success ? '--out is required' : parsed.error.issues[0]?.message}\n${USAGE}`,
    );
    return 2;
  }
  const flags = { ...parsed.data, out: parsed.data.out };
  const config = loadConfig({ env });
  const logger = createLogger(config.logLevel, process.stderr);
  // Demand lasts the whole recording.
  const options = { ...betfairOptions(config), logger, demandWindowMs: 365 * 86_400_000 };
  const recording = await startRecording(options, flags.out, {
    markets: list(flags.markets),
    events: list(flags.events),
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    const timer = flags.seconds ? setTimeout(stop, flags.seconds * 1000) : null;
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const status = recording.source.status();
  const lines = await recording.stop();
  process.stderr.write(`record: ${lines} lines written to ${flags.out}; ${status.markets} markets\n`);
  return 0;
}
