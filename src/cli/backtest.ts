/**
 * `oddsgate backtest --strategy mm`: replays odds history (the records database, or Betfair recordings given
 * with --input) through the MM quoter against the backtest's paper exchange and prints the PnL, fills and
 * exposure the strategy would have had (src/mm/backtest).
 */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import {
  backtest,
  historyMarkets,
  NotARecordingError,
  recordingMarkets,
  renderReport,
  type BacktestParams,
  type BacktestReport,
  type ReplayMarket,
} from '../mm/backtest/index.js';
import { parseCommand, stdio, type CliOutput } from './args.js';
import { openRecords } from './history.js';

const USAGE = `usage: oddsgate backtest --strategy mm [--from <time>] [--to <time>] [--input <file>...] [options]

Replays odds history through the market-making strategy (the live engine's quoter) against a paper
exchange and prints, per market and in total, the quotes, fills, hedges, exposure and the PnL by the
recorded result. Same data and options, same numbers: nothing depends on the clock or on chance.

Without --input the history is the records database (\`oddsgate history import\` fills it): every market
with ticks between --from and --to; DATABASE_URL (PostgreSQL) when set, else PGlite in DATA_DIR (default
./data; refused with exit 3 while a server holds it). With --input the Betfair recordings are read
directly (historical files, plain or .bz2, or \`oddsgate record\` output).

options:
  --strategy mm          the strategy to replay (only mm)
  --from <time>          trade from this time (ISO 8601 or epoch ms; default: the start of the data)
  --to <time>            trade until this time, exclusive (default: the end of the data)
  --input <file>         a recording to replay instead of the database (repeat for several)
  --spread-ticks <n>     ladder ticks between the fair price and each quote (default 2)
  --size <stake>         backer's stake of each quote (default 10)
  --replace-ticks <n>    ticks a quote may drift from its target before it is replaced (default 2)
  --max-exposure <x>     cap on each runner's worst-case loss plus its quotes' (default 100)
  --min-size <stake>     smallest quote posted (default 1)
  --commission <rate>    exchange commission on a market's net winnings (default 0.05)
  --quote-in-play        keep quoting once a market is in play (default: cancel at the turn)
  --json                 print the report as one JSON line instead of the table
  -h, --help             show this help
  -V, --version          show the version
`;

/** Past any data: the default end of the window (a date PostgreSQL takes). */
const END_OF_TIME = Date.UTC(9999, 11, 31);

const time = z
  .string()
  .transform((s, ctx) => {
    const ms = /^\d{1,15}$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(ms) || ms < 0 || ms > END_OF_TIME)
      ctx.addIssue({ code: 'custom', message: `not a time: ${s} (ISO 8601 or epoch ms)` });
    return ms;
  })
  .optional();
const num = (name: string, min: number, max: number, dflt: number) =>
  z.coerce
    .number({ message: `--${name} must be a number` })
    .min(min, `--${name} must be at least ${min}`)
    .max(max, `--${name} must be at most ${max}`)
    .default(dflt);

const FlagsSchema = z
  .object({
    strategy: z.literal('mm', { message: '--strategy must be mm' }),
    from: time,
    to: time,
    input: z.array(z.string().min(1)).optional(),
    'spread-ticks': num('spread-ticks', 1, 100, 2).pipe(z.number().int('--spread-ticks must be whole')),
    size: num('size', 0.01, 1_000_000, 10),
    'replace-ticks': num('replace-ticks', 1, 100, 2).pipe(z.number().int('--replace-ticks must be whole')),
    'max-exposure': num('max-exposure', 0, 1e9, 100),
    'min-size': num('min-size', 0.01, 1_000_000, 1),
    commission: num('commission', 0, 1, 0.05),
    'quote-in-play': z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict()
  .refine((f) => (f.from ?? 0) < (f.to ?? END_OF_TIME), { message: '--from must be before --to' });

const OPTIONS = {
  strategy: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  input: { type: 'string', multiple: true },
  'spread-ticks': { type: 'string' },
  size: { type: 'string' },
  'replace-ticks': { type: 'string' },
  'max-exposure': { type: 'string' },
  'min-size': { type: 'string' },
  commission: { type: 'string' },
  'quote-in-play': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** `oddsgate backtest`; returns the exit code. */
export async function backtestCommand(argv: string[], io: CliOutput = stdio): Promise<number> {
  const args = parseCommand('backtest', argv, OPTIONS, USAGE, { io });
  if ('exit' in args) return args.exit;
  const parsed = FlagsSchema.safeParse(args.values);
  if (!parsed.success) return usage(io, parsed.error.issues[0]?.message ?? 'bad options');
  const f = parsed.data;
  const params: BacktestParams = {
    spreadTicks: f['spread-ticks'],
    size: f.size,
    replaceTicks: f['replace-ticks'],
    maxExposure: f['max-exposure'],
    cancelInPlay: !f['quote-in-play'],
    minSize: f['min-size'],
    commission: f.commission,
    from: f.from ?? 0,
    to: f.to ?? END_OF_TIME,
  };
  for (const file of f.input ?? [])
    if (!(await stat(file).catch(() => null))?.isFile()) return usage(io, `cannot read ${file}`);
  try {
    const report = f.input ? await backtest(fromFiles(f.input), params) : await fromDatabase(params, io);
    if (report === null) return 3;
    io.out(f.json ? `${JSON.stringify(report)}\n` : renderReport(report));
    return 0;
  } catch (err) {
    if (!(err instanceof NotARecordingError)) throw err;
    io.err(`backtest: ${err.message}\n`);
    return 1;
  }
}

function usage(io: CliOutput, problem: string): number {
  io.err(`backtest: ${problem}\n${USAGE}`);
  return 2;
}

/** The recordings' markets, one file read at a time. */
async function* fromFiles(files: readonly string[]): AsyncGenerator<ReplayMarket> {
  for (const file of files) yield* await recordingMarkets(file);
}

/** The report over the records database's history, or null when a server holds DATA_DIR. */
async function fromDatabase(p: BacktestParams, io: CliOutput): Promise<BacktestReport | null> {
  const records = await openRecords(io, 'backtest');
  if (!records) return null;
  try {
    return await backtest(historyMarkets(records, p.from, p.to), p);
  } finally {
    await records.close();
  }
}
