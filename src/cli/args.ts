/**
 * What every `oddsgate` command shares: `--help` and `--version` answered before anything starts, unknown
 * options and stray arguments refused with the usage (exit 2), all through node:util parseArgs.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The package version (package.json at the project root, from src/cli or dist/cli alike). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The flags every command takes besides its own. */
const COMMON = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Where a command writes; tests pass their own. */
export interface CliOutput {
  out: (s: string) => void;
  err: (s: string) => void;
}

export const stdio: CliOutput = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

/** Parsed arguments, or the exit code the command ends with (help/version printed, usage error shown). */
export type Parsed =
  { exit: number } | { values: Record<string, string | boolean | undefined>; positionals: string[] };

const withNewline = (s: string): string => (s.endsWith('\n') ? s : `${s}\n`);

/**
 * Parses a command's argv. `--help`/`-h` prints the usage to stdout (exit 0) and `--version`/`-V` the package
 * version (exit 0), even beside other arguments; an unknown option, a missing option value or, unless
 * `positionals` is set, any positional argument prints `<command>: <problem>` and the usage to stderr (exit 2).
 */
export function parseCommand(
  command: string,
  argv: readonly string[],
  options: Options,
  usage: string,
  opts: { positionals?: boolean; io?: CliOutput } = {},
): Parsed {
  const io = opts.io ?? stdio;
  // Help and version win over any other problem on the line ("oddsgate record --bogus --help" helps).
  const before = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, ...COMMON },
      strict: true,
      allowPositionals: opts.positionals ?? false,
    }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (err) {
    if (before.includes('--help') || before.includes('-h')) return help(usage, io);
    if (before.includes('--version') || before.includes('-V')) return version(io);
    io.err(`${command}: ${(err as Error).message}\n${withNewline(usage)}`);
    return { exit: 2 };
  }
  if (values.help) return help(usage, io);
  if (values.version) return version(io);
  return { values, positionals };
}

function help(usage: string, io: CliOutput): { exit: number } {
  io.out(withNewline(usage));
  return { exit: 0 };
}

function version(io: CliOutput): { exit: number } {
  io.out(`oddsgate ${packageVersion()}\n`);
  return { exit: 0 };
}
