/**
 * `oddsgate simulate`: runs the simulated Betfair exchange and writes its market stream as NDJSON
 * (one `mcm` message per line, like a Betfair stream recording) to stdout or a file.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { z } from 'zod';
import { loadConfig } from '../config/index.js';
import { parseCommand } from './args.js';
import { ExchangeSimulator } from '../sim/exchange.js';
import { readyLine, startBetfairParts, wantsBetfair, type ReadyPart } from './simulate-betfair.js';
import { startSitePart } from '../sim/site/simulate-part.js';
import { startOddsApiPart } from '../sim/oddsapi/simulate-part.js';

const USAGE = `usage: oddsgate simulate [options]

Runs the simulated Betfair exchange and writes its stream (NDJSON, one mcm message per line).

options:
  --seconds <n>   stop after n seconds (default: until SIGINT/SIGTERM)
  --out <file>    write to a file instead of stdout
  --speed <x>     simulated-time multiplier (default: config sim.speed, 1)
  --seed <n>      schedule and price seed (default: config sim.seed)
  --rate <n>      target runner changes per second (default: config sim.rate, 300)
  --events <n>    events that exist at any time (default: config sim.events, 40)

  simulated endpoints (on 127.0.0.1; port 0 picks a free one); when any is started, stdout carries one
  ready line {"esa":{...},"api":{...},"identity":{...}} and the NDJSON stream goes only to --out:
  --esa-port <p>     Betfair Exchange Stream API over TLS (self-signed certificate, see esa.caFile)
  --api-port <p>     Betfair identity (login, keepAlive) and JSON-RPC betting API over HTTP, admin at /admin
  --esa-faults <f,>  start with faults: split, merge, degraded, refuse-auth[:CODE[:n]], invalid-clock[:n],
                     drop-every:<seconds>  (more on command: POST <api>/admin/fault)
  --site-port <p>    the Vue betting site (imatchodds profile; ready line "site":{"url"})
  --site-fault <f>   start the site with a fault: slow, forbidden, challenge, blank, selector
                     (more on command: POST <site>/__sim/fault?mode=...)
  --odds-api-port <p>  The Odds API v4 (same matches, six bookmakers, quota headers; ready line
                     "oddsApi":{"url","apiKey"}); admin: POST <url>/admin/arbs plants an arbitrage,
                     POST <url>/admin/mode {"rateLimit":true} answers 429
  --odds-api-key <k> the key it accepts (default sim-odds-api-key)
  -h, --help      show this help
  -V, --version   show the version

  stdout closed by its reader (\`oddsgate simulate | head\`): the simulator stops and the command exits 0.
`;

/** Flag definitions for node:util parseArgs (all values are validated by SimulateFlagsSchema). */
const FLAG_SPEC = {
  seconds: { type: 'string' },
  out: { type: 'string' },
  speed: { type: 'string' },
  seed: { type: 'string' },
  rate: { type: 'string' },
  events: { type: 'string' },
  'esa-port': { type: 'string' },
  'api-port': { type: 'string' },
  'esa-faults': { type: 'string' },
  'site-port': { type: 'string' },
  'site-fault': { type: 'string' },
  'odds-api-port': { type: 'string' },
  'odds-api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Validated flags of `oddsgate simulate`. */
export const SimulateFlagsSchema = z
  .object({
    seconds: z.coerce.number().positive().optional(),
    out: z.string().min(1).optional(),
    speed: z.coerce.number().positive().max(10_000).optional(),
    seed: z.coerce.number().int().optional(),
    rate: z.coerce.number().min(0).max(100_000).optional(),
    events: z.coerce.number().int().min(4).max(10_000).optional(),
    'esa-port': z.coerce.number().int().min(0).max(65535).optional(),
    'api-port': z.coerce.number().int().min(0).max(65535).optional(),
    'esa-faults': z.string().optional(),
    'site-port': z.coerce.number().int().min(0).max(65535).optional(),
    'site-fault': z.string().optional(),
    'odds-api-port': z.coerce.number().int().min(0).max(65535).optional(),
    'odds-api-key': z.string().min(1).optional(),
    help: z.boolean().optional(),
  })
  .strict();
export type SimulateFlags = z.infer<typeof SimulateFlagsSchema>;

/** Parses and validates argv; returns the flags or an error message. */
export function parseSimulateFlags(argv: string[]): { flags: SimulateFlags } | { error: string } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options: FLAG_SPEC, strict: true, allowPositionals: false }).values;
  } catch (err) {
    return { error: (err as Error).message };
  }
  return validateSimulateFlags(values);
}

/** Validates parsed flag values (SimulateFlagsSchema); returns the flags or an error naming the flag. */
function validateSimulateFlags(
  values: Record<string, unknown>,
): { flags: SimulateFlags } | { error: string } {
  const parsed = SimulateFlagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `--${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}` };
  }
  return { flags: parsed.data };
}

/** A stop signal: resolves when the time is up, the process is asked to stop, or stop() is called. */
function stopSignal(seconds: number | undefined): { done: Promise<void>; stop: () => void } {
  let stop: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = seconds === undefined ? null : setTimeout(() => stop(), seconds * 1000);
    stop = () => {
      if (timer) clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return { done, stop };
}

/** Runs `oddsgate simulate`; returns the exit code (2 for bad flags). */
export async function simulateCommand(argv: string[]): Promise<number> {
  // --help and --version answer before anything starts; unknown flags are a usage error.
  const args = parseCommand('simulate', argv, FLAG_SPEC, USAGE);
  if ('exit' in args) return args.exit;
  const parsed = validateSimulateFlags(args.values);
  if ('error' in parsed) {
    process.stderr.write(`simulate: ${parsed.error}\n${USAGE}`);
    return 2;
  }
  const { flags } = parsed;
  const sim = loadConfig().sim;
  const schedule = {
    seed: flags.seed ?? sim.seed,
    speed: flags.speed ?? sim.speed,
    events: flags.events ?? sim.events,
  };
  const simulator = new ExchangeSimulator({ ...schedule, rate: flags.rate ?? sim.rate });
  const parts = await startParts(simulator, flags, schedule);
  const out: Writable | null = flags.out
    ? createWriteStream(flags.out)
    : parts.length > 0
      ? null
      : process.stdout;
  const state = await runUntilStopped(simulator, flags, parts, out);
  if (state.readerGone) return 0;
  const s = simulator.stats();
  process.stderr.write(
    `simulate: ${s.messages + 1} messages, ${s.runnerChanges} runner changes, ${s.markets} markets, clk ${s.clk}\n`,
  );
  if (state.failed) {
    process.stderr.write(`simulate: write failed: ${state.failed.message}\n`);
    return 1;
  }
  return 0;
}

/** The simulated endpoints the flags ask for; each contributes its part of the ready line. */
async function startParts(
  simulator: ExchangeSimulator,
  flags: SimulateFlags,
  schedule: { seed: number; speed: number; events: number },
): Promise<ReadyPart[]> {
  const parts: ReadyPart[] = [];
  if (wantsBetfair(flags)) parts.push(...(await startBetfairParts(simulator, flags)));
  // The simulated Vue betting site (src/sim/site), on the same schedule as the exchange.
  if (flags['site-port'] !== undefined)
    parts.push(await startSitePart({ port: flags['site-port'], ...schedule, fault: flags['site-fault'] }));
  // The simulated odds API (src/sim/oddsapi), same schedule, bookmakers priced around the exchange.
  if (flags['odds-api-port'] !== undefined) {
    const port = flags['odds-api-port'];
    const apiKey = flags['odds-api-key'];
    parts.push(await startOddsApiPart({ port, ...schedule, apiKey, exchange: simulator }));
  }
  return parts;
}

/**
 * Runs the simulator, writing its stream messages to `out` (none with endpoints and no --out), until the
 * time is up or the process is asked to stop; then stops the endpoints and ends the file.
 */
async function runUntilStopped(
  simulator: ExchangeSimulator,
  flags: SimulateFlags,
  parts: ReadyPart[],
  out: Writable | null,
): Promise<{ failed: Error | null; readerGone: boolean }> {
  const state: { failed: Error | null; readerGone: boolean } = { failed: null, readerGone: false };
  const signal = stopSignal(flags.seconds);
  // stdout's reader went away (`simulate | head`): stop like on SIGTERM, quietly, exit 0.
  const readerGone = (err: NodeJS.ErrnoException): boolean => err.code === 'EPIPE' && out === process.stdout;
  out?.on('error', (err: NodeJS.ErrnoException) => {
    if (readerGone(err)) state.readerGone = true;
    else state.failed ??= err;
    signal.stop();
  });
  // With endpoints, stdout carries only the ready line: a reader that left after it stops nothing.
  if (out !== process.stdout) process.stdout.on('error', () => {});
  const unsubscribe = out
    ? simulator.subscribe((msg) => {
        if (!state.failed && !state.readerGone) out.write(`${JSON.stringify(msg)}\n`);
      })
    : () => {};
  simulator.start();
  if (parts.length > 0) process.stdout.write(`${readyLine(parts)}\n`);
  await signal.done;
  simulator.stop();
  unsubscribe();
  for (const p of parts) await p.close();
  if (flags.out && out) await new Promise<void>((resolve) => out.end(() => resolve()));
  return state;
}
