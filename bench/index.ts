/**
 * `npm run bench [-- --quick] [--only rest,latency,memory,ws,stream,browser]`
 *
 * Runs every benchmark on loopback, one after another, each bounded in time: REST against the limit
 * (bench/rest), ingest-to-client latency (bench/latency), memory (bench/memory), and the WebSocket,
 * stream and browser benchmarks of their own issues (bench/ws, bench/stream, bench/browser, run as the
 * scripts they are). Writes bench/results.json and bench/RESULTS.md (with machine info) and prints the
 * ratios and which targets are met. `--quick` finishes in under 3 minutes. `--render` only rewrites
 * RESULTS.md from results.json (after editing the explanations in bench/lib/notes.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runJsonScript, ROOT } from './lib/child.js';
import { machineInfo } from './lib/machine.js';
import { TARGET_NOTES } from './lib/notes.js';
import { checkTargets, renderMarkdown, type BenchResults, type TargetCheck } from './lib/report.js';
import { latencyOptions, runLatency } from './latency/run.js';
import { memoryOptions, runMemory } from './memory/run.js';
import { restOptions, runRest } from './rest/run.js';

const SECTIONS = ['rest', 'latency', 'memory', 'ws', 'stream', 'browser', 'history', 'orders'] as const;
type Section = (typeof SECTIONS)[number];

function selected(): Set<Section> {
  const i = process.argv.indexOf('--only');
  if (i < 0) return new Set(SECTIONS);
  const names = (process.argv[i + 1] ?? '').split(',');
  return new Set(SECTIONS.filter((s) => names.includes(s)));
}

/** The other issues' benchmarks: script, arguments (quick and full), env, time bound. */
const SCRIPTS = {
  ws: {
    file: 'bench/ws/run.ts',
    args: (quick: boolean) =>
      quick ? ['--seconds', '3', '--burst', '1000'] : ['--seconds', '10', '--repeat', '2'],
    env: {},
    timeoutMs: (quick: boolean) => (quick ? 90_000 : 600_000),
  },
  stream: {
    file: 'bench/stream/run.ts',
    args: (quick: boolean) => (quick ? ['--rounds', '2'] : []),
    env: {},
    timeoutMs: (quick: boolean) => (quick ? 60_000 : 600_000),
  },
  history: {
    file: 'bench/history/run.ts',
    args: (quick: boolean) => (quick ? ['--pglite-ticks', '20000', '--postgres-ticks', '60000'] : []),
    env: {},
    timeoutMs: (quick: boolean) => (quick ? 300_000 : 1_200_000),
  },
  orders: {
    file: 'bench/orders/run.ts',
    args: (quick: boolean) => (quick ? ['--seconds', '3'] : ['--seconds', '10']),
    env: {},
    timeoutMs: (quick: boolean) => (quick ? 120_000 : 300_000),
  },
  browser: {
    file: 'bench/browser/run.ts',
    args: () => [],
    env: (quick: boolean): NodeJS.ProcessEnv =>
      quick ? { BENCH_WARM_POLLS: '3', BENCH_FRESH_POLLS: '1', BENCH_SCRAPES: '3' } : {},
    timeoutMs: (quick: boolean) => (quick ? 90_000 : 600_000),
  },
} as const;

/** Writes a file formatted as the repository's prettier config wants it (so `npm run lint` stays clean). */
async function writeFormatted(file: string, text: string, parser: 'json' | 'markdown'): Promise<void> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(text, { ...options, parser }));
}

function log(s: string): void {
  process.stderr.write(`\n== bench: ${s}\n`);
}

/** 1-minute load average when each section started (the machine is shared; a busy moment shows here). */
const loadAtStart: Record<string, number> = {};

async function section<T>(
  name: string,
  errors: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T | null> {
  const t0 = Date.now();
  loadAtStart[name] = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  log(`${name}…`);
  try {
    const v = await fn();
    log(`${name} done in ${Math.round((Date.now() - t0) / 1000)} s`);
    return v;
  } catch (err) {
    errors[name] = err instanceof Error ? err.message : String(err);
    log(`${name} FAILED: ${errors[name]}`);
    return null;
  }
}

async function script(name: keyof typeof SCRIPTS, quick: boolean): Promise<Record<string, unknown>> {
  const s = SCRIPTS[name];
  const env = typeof s.env === 'function' ? s.env(quick) : s.env;
  const r = await runJsonScript(s.file, s.args(quick), { timeoutMs: s.timeoutMs(quick), env });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function printSummary(targets: TargetCheck[]): void {
  const w = Math.max(...targets.map((t) => t.name.length));
  process.stdout.write('\nTargets (measured on this machine):\n');
  for (const t of targets) {
    const v = t.met === null ? 'NOT MEASURED' : t.met ? 'met' : 'NOT MET';
    process.stdout.write(`  ${t.name.padEnd(w)}  ${v.padEnd(12)}  ${t.measured}   (target: ${t.target})\n`);
  }
}

/** With --only: the sections run now replace those of the results.json already there (same machine). */
async function mergeInto(
  out: string,
  fresh: Omit<BenchResults, 'targets'>,
  only: Set<Section>,
): Promise<Omit<BenchResults, 'targets'>> {
  const old = await readFile(join(out, 'results.json'), 'utf8').then(
    (t) => JSON.parse(t) as BenchResults,
    () => null,
  );
  if (!old || old.quick !== fresh.quick) return fresh;
  const pick = <K extends keyof Omit<BenchResults, 'targets'>>(k: K, s: Section) =>
    only.has(s) ? fresh[k] : old[k];
  return {
    ...old,
    rest: pick('rest', 'rest') as BenchResults['rest'],
    latency: pick('latency', 'latency') as BenchResults['latency'],
    latencyLight: pick('latencyLight', 'latency') as BenchResults['latencyLight'],
    memory: pick('memory', 'memory') as BenchResults['memory'],
    ws: pick('ws', 'ws') as BenchResults['ws'],
    stream: pick('stream', 'stream') as BenchResults['stream'],
    browser: pick('browser', 'browser') as BenchResults['browser'],
    history: pick('history', 'history') as BenchResults['history'],
    orders: pick('orders', 'orders') as BenchResults['orders'],
    errors: { ...old.errors, ...fresh.errors },
    loadAtStart: { ...old.loadAtStart, ...fresh.loadAtStart },
    seconds: old.seconds + fresh.seconds,
  };
}

async function render(out: string): Promise<void> {
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as BenchResults;
  results.targets = checkTargets(results);
  await writeFormatted(join(out, 'RESULTS.md'), renderMarkdown(results, TARGET_NOTES), 'markdown');
  printSummary(results.targets);
}

async function main(): Promise<void> {
  if (process.argv.includes('--render')) return render(process.env.BENCH_OUT_DIR ?? join(ROOT, 'bench'));
  const quick = process.argv.includes('--quick');
  const only = selected();
  const machine = machineInfo();
  const t0 = Date.now();
  const errors: Record<string, string> = {};
  const want = (s: Section) => only.has(s);
  const rest = want('rest') ? await section('rest', errors, () => runRest(restOptions(quick))) : null;
  const latency = want('latency')
    ? await section('latency', errors, () => runLatency(latencyOptions(quick)))
    : null;
  const memory = want('memory')
    ? await section('memory', errors, () => runMemory(memoryOptions(quick)))
    : null;
  const ws = want('ws') ? await section('ws', errors, () => script('ws', quick)) : null;
  const stream = want('stream') ? await section('stream', errors, () => script('stream', quick)) : null;
  const browser = want('browser') ? await section('browser', errors, () => script('browser', quick)) : null;
  const history = want('history') ? await section('history', errors, () => script('history', quick)) : null;
  const orders = want('orders') ? await section('orders', errors, () => script('orders', quick)) : null;
  // The same latency run at 100 clients (full runs): the pipeline's own delay, where the machine is not the limit.
  const light = { ...latencyOptions(quick), clients: 100, procs: 1, sampleEvery: 1 };
  const latencyLight =
    want('latency') && !quick
      ? await section('latency at 100 clients', errors, () => runLatency(light))
      : null;
  const base = {
    machine,
    quick,
    seconds: Math.round((Date.now() - t0) / 1000),
    rest: rest ?? {},
    latency,
    latencyLight,
    memory,
    ws,
    stream,
    browser,
    history,
    orders,
    errors,
    loadAtStart,
  };
  const out = process.env.BENCH_OUT_DIR ?? join(ROOT, 'bench');
  const merged = only.size < SECTIONS.length ? await mergeInto(out, base, only) : base;
  const results: BenchResults = { ...merged, targets: checkTargets(merged) };
  await writeFormatted(join(out, 'results.json'), JSON.stringify(results), 'json');
  await writeFormatted(join(out, 'RESULTS.md'), renderMarkdown(results, TARGET_NOTES), 'markdown');
  printSummary(results.targets);
  process.stdout.write(`\nWrote ${join(out, 'results.json')} and RESULTS.md in ${results.seconds} s.\n`);
  process.exit(Object.keys(errors).length > 0 ? 1 : 0);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
