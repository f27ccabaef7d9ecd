import { LATENCY_LIMIT_FACTOR, latencyTargetMet, type LatencyResult } from '../latency/run.js';
import type { MemoryResult } from '../memory/run.js';
import { P99_RESOLUTION_MS, restTargetMet, type RestRouteResult } from '../rest/run.js';
import type { MachineInfo } from './machine.js';
import type { ProfileLine } from './profile.js';

/** bench/results.json: the issue's shape, plus additive `quick`, `seconds`, `targets` and `errors`. */
export interface BenchResults {
  machine: MachineInfo;
  quick: boolean;
  seconds: number;
  rest: Record<string, RestRouteResult>;
  latency: LatencyResult | null;
  /** The same latency run at 100 clients (full runs only): where the machine is not the limit. */
  latencyLight?: LatencyResult | null;
  memory: MemoryResult | null;
  ws: Record<string, unknown> | null;
  stream: Record<string, unknown> | null;
  browser: Record<string, unknown> | null;
  /** `npm run bench:history`'s JSON line. */
  history?: Record<string, unknown> | null;
  /** `npm run bench:orders`'s JSON line (ABP placement on PostgreSQL). */
  orders?: Record<string, unknown> | null;
  targets: TargetCheck[];
  /** Sections that failed to produce a result, with why. */
  errors: Record<string, string>;
  /** 1-minute load average when each section started (other work on the shared machine). */
  loadAtStart?: Record<string, number>;
}

/** One target, measured and judged. */
export interface TargetCheck {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
}

const x = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
/** p99 ratio at autocannon's 1 ms resolution. */
const px = (a: number, b: number) => x(Math.max(a, P99_RESOLUTION_MS), Math.max(b, P99_RESOLUTION_MS));

/**
 * The latency target: p99 ≤ LATENCY_LIMIT_FACTOR × the p99 of its limit measured in the same run (bare
 * `ws` replaying the same pushes to the same client processes); not judged when the limit is missing.
 */
function latencyTarget(l: LatencyResult | null): TargetCheck {
  const name = 'ingest-to-client latency';
  const target = `p99 ≤ ${LATENCY_LIMIT_FACTOR}× limit p99 (bare ws, same pushes, clients and rate)`;
  if (!l) return { name, target, measured: 'not measured', met: null };
  const load = `${l.clients} clients, ${l.updatesPerSec} updates/s`;
  const lim = l.limit?.p99Ms;
  if (lim === null || lim === undefined || l.p99Ms === null)
    return { name, target, measured: `p99 ${l.p99Ms ?? '-'} ms, limit not measured (${load})`, met: null };
  return {
    name,
    target,
    measured: `p99 ${l.p99Ms} ms vs limit ${lim} ms: ${x(l.p99Ms, lim)} (${load})`,
    met: latencyTargetMet(l),
  };
}

/** Judges every target of issue 9 against the results (null: not measured). */
export function checkTargets(r: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const [route, v] of Object.entries(r.rest)) {
    out.push({
      name: `REST ${route}`,
      target: 'req/s ≥ 0.8× limit, p99 ≤ 2× limit',
      measured: `${x(v.reqPerSec, v.limitReqPerSec)} req/s, ${px(v.p99Ms, v.limitP99Ms)} p99`,
      met: restTargetMet(v),
    });
  }
  out.push(latencyTarget(r.latency));
  const m = r.memory;
  out.push({
    name: 'RSS with 10,000 markets',
    target: '≤ 300 MB',
    measured: m ? `${m.rssMb10k} MB (heap ${m.heapMb10k} MB)` : 'not measured',
    met: m ? m.rssMb10k <= 300 : null,
  });
  out.push({
    name: 'RSS growth over an hour of churn',
    target: '≤ 10%',
    measured: m
      ? `${m.rssGrowthPct}% (heap ${m.heapGrowthPct}%) over ${m.simulatedMinutes} simulated min`
      : 'not measured',
    met: m ? m.rssGrowthPct <= 10 : null,
  });
  out.push(...ordersTargets(r.orders ?? null));
  return out;
}

/** A number at a dotted path of a JSON line (null when absent). */
function numAt(v: unknown, path: string): number | null {
  for (const k of path.split('.'))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' ? v : null;
}

/** Issue 18's placement targets, judged on bench:orders' figures. */
function ordersTargets(o: Record<string, unknown> | null): TargetCheck[] {
  const p99 = numAt(o, 'orders.p99Ms');
  const rate = numAt(o, 'settings.rate');
  const placed = numAt(o, 'orders.placedPerSec');
  const sent = numAt(o, 'duplicates.sent');
  const bets = numAt(o, 'duplicates.bets');
  return [
    {
      name: 'ABP placement overhead',
      target: 'p99 ≤ 10 ms at 200 orders/s (PostgreSQL, paper latency 0)',
      measured:
        p99 === null
          ? 'not measured'
          : `p99 ${p99} ms at ${placed}/s placed of ${rate}/s sent; limit p99 ${numAt(o, 'limit.p99Ms')} ms`,
      met: p99 === null ? null : p99 <= 10 && rate !== null && rate >= 200 && (placed ?? 0) >= rate * 0.95,
    },
    {
      name: 'ABP duplicate requestUuid',
      target: '50 concurrent duplicates → exactly one bet',
      measured: bets === null ? 'not measured' : `${sent} sent → ${bets} bet(s)`,
      met: bets === null ? null : sent === 50 && bets === 1,
    },
  ];
}

const verdict = (met: boolean | null) => (met === null ? 'not measured' : met ? 'met' : '**not met**');

function table(head: string[], rows: (string | number | null | undefined)[][]): string {
  const line = (cells: (string | number | null | undefined)[]) =>
    `| ${cells.map((c) => (c === null || c === undefined ? '–' : String(c))).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function profileTable(top: ProfileLine[]): string {
  return table(
    ['self %', 'function', 'where'],
    top.map((p) => [p.selfPct, `\`${p.fn}\``, `\`${p.at.replace(/^(?!node:)(.*):1$/, '$1')}\``]),
  );
}

function machineSection(m: MachineInfo, quick: boolean, seconds: number): string {
  return [
    table(
      ['CPU', 'cores', 'memory', 'Node', 'OS', 'load average at start (1/5/15 min)', 'run'],
      [
        [
          m.cpuModel,
          m.cores,
          `${m.memoryGb} GB`,
          m.node,
          m.os,
          m.loadAvgAtStart.join(' / '),
          `${quick ? 'quick' : 'full'}, ${seconds} s, ${m.startedAt}`,
        ],
      ],
    ),
  ].join('\n');
}

function restSection(rest: Record<string, RestRouteResult>): string {
  const rows = Object.entries(rest).map(([route, v]) => [
    `\`${route}\``,
    v.reqPerSec,
    v.p99Ms,
    v.limitReqPerSec,
    v.limitP99Ms,
    x(v.reqPerSec, v.limitReqPerSec),
    px(v.p99Ms, v.limitP99Ms),
    v.bytes,
    verdict(restTargetMet(v)),
  ]);
  return table(
    [
      'route',
      'req/s',
      'p99 ms',
      'limit req/s',
      'limit p99 ms',
      'req/s ratio',
      'p99 ratio',
      'body bytes',
      'target',
    ],
    rows,
  );
}

function flat(obj: Record<string, unknown> | null, prefix = ''): [string, string][] {
  if (!obj) return [];
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object' && !Array.isArray(v))
      out.push(...flat(v as Record<string, unknown>, `${prefix}${k}.`));
    else out.push([`${prefix}${k}`, Array.isArray(v) ? JSON.stringify(v) : String(v)]);
  }
  return out;
}

function otherSection(title: string, cmd: string, v: Record<string, unknown> | null, err?: string): string {
  const body = v
    ? table(
        ['metric', 'value'],
        flat(v).map(([k, val]) => [`\`${k}\``, val]),
      )
    : `Not measured: ${err ?? 'skipped'}.`;
  return `### ${title} (\`${cmd}\`, as it prints)\n\n${body}`;
}

/** The odds-history targets of issue 17, judged on bench:history's figures. */
function historyTargets(h: Record<string, unknown>): string {
  const get = (path: string): number | null => {
    let v: unknown = h;
    for (const k of path.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return typeof v === 'number' ? v : null;
  };
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : '**not met**');
  const pg = get('postgres.rowsPerSec');
  const lite = get('pglite.rowsPerSec');
  const limit = get('limit.rowsPerSec');
  const ratio = pg !== null && limit ? pg / limit : null;
  const bytes = get('pglite.bytesPerTick');
  const live = get('pglite.bytesPerTickLive');
  const compacted = get('pglite.bytesPerTickCompacted');
  const q = get('query.candles24hP99Ms');
  const row = (what: string, target: string, measured: string, ok: boolean | null) => [
    what,
    target,
    measured,
    verdict(ok),
  ];
  return table(
    ['odds history', 'target', 'measured', 'verdict'],
    [
      row('writer on PostgreSQL', '≥ 20,000 changes/s', `${pg ?? '-'}/s`, pg === null ? null : pg >= 20_000),
      row('writer on PGlite', '≥ 5,000 changes/s', `${lite ?? '-'}/s`, lite === null ? null : lite >= 5_000),
      row(
        'writer vs COPY',
        '≥ 0.5× COPY',
        ratio === null ? '-' : `${ratio.toFixed(2)}×`,
        ratio === null ? null : ratio >= 0.5,
      ),
      row('bytes per tick (bench batches)', '≤ 40', `${bytes ?? '-'}`, bytes === null ? null : bytes <= 40),
      row('bytes per tick (live-like batches)', '≤ 40', `${live ?? '-'}`, live === null ? null : live <= 40),
      row(
        'bytes per tick (live, compacted)',
        '≤ 40',
        `${compacted ?? '-'}`,
        compacted === null ? null : compacted <= 40,
      ),
      row('24 h 1 m candles, one market', '≤ 50 ms p99', `${q ?? '-'} ms`, q === null ? null : q <= 50),
    ],
  );
}

/** The latency table: oddsgate's run and, below it, its limit (bare `ws`, same pushes, clients and rate). */
function latencySection(l: LatencyResult): string {
  const head = ['', 'p50 ms', 'p99 ms', 'max ms', 'clients', 'updates/s', 'push bytes', 'samples', 'gaps'];
  const rows: (string | number | null)[][] = [
    ['oddsgate', l.p50Ms, l.p99Ms, l.maxMs, l.clients, l.updatesPerSec, l.pushBytes, l.samples, l.gaps],
  ];
  const lim = l.limit;
  if (lim)
    rows.push([
      'limit (bare ws)',
      lim.p50Ms,
      lim.p99Ms,
      lim.maxMs,
      l.clients,
      lim.updatesPerSec,
      l.pushBytes,
      lim.samples,
      '-',
    ]);
  const ratio = lim?.p99Ms
    ? `p99 ${x(l.p99Ms ?? 0, lim.p99Ms)} the limit's (target ≤ ${LATENCY_LIMIT_FACTOR}×). `
    : 'The limit was not measured in this run. ';
  const limitCpu = lim ? `, limit server CPU ${lim.serverCpuPct}%` : '';
  return [
    table(head, rows),
    '',
    `${ratio}Every push delivered: ${l.complete ? 'yes' : 'no'}${lim ? ` (limit: ${lim.complete ? 'yes' : 'no'})` : ''}. Server CPU ${l.serverCpuPct}%, RSS ${l.serverRssMb} MB${limitCpu}; clients CPU ${l.clientsCpuPct}%, ${l.clientMbPerSec} MB/s read. The limit: with the oddsgate server stopped, a bare \`ws\` server replays the pushes one client received in the window (the same bytes) on the same timeline (each market push due at its publishedAt) to as many new clients in the same client processes; a push is stamped when it was due.`,
  ].join('\n');
}

/** bench/RESULTS.md. `notes`: the explanations of targets not met (kept by hand in bench/lib/notes.ts). */
export function renderMarkdown(r: BenchResults, notes: Record<string, string>): string {
  const parts: string[] = [
    '# oddsgate benchmark results',
    '',
    `Written by \`npm run bench${r.quick ? ' -- --quick' : ''}\` on this machine (a section re-run with \`--only\` replaces its part; the load average as each section started is listed when known).`,
    '',
  ];
  parts.push('## Machine', '', machineSection(r.machine, r.quick, r.seconds), '');
  if (r.loadAtStart && Object.keys(r.loadAtStart).length) {
    const loads = Object.entries(r.loadAtStart)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    parts.push(`1-minute load average as each section started (the machine is shared): ${loads}.`, '');
  }
  parts.push(
    '## Targets',
    '',
    table(
      ['what', 'target', 'measured', 'verdict'],
      r.targets.map((t) => [t.name, t.target, t.measured, verdict(t.met)]),
    ),
    '',
  );
  parts.push(
    '## REST (autocannon, server fed by the simulator vs bare Fastify serving the same bytes and headers)',
    '',
    Object.keys(r.rest).length ? restSection(r.rest) : `Not measured: ${r.errors.rest ?? 'skipped'}.`,
    '',
  );
  parts.push('## Ingest-to-client latency (simulator frame leaves → WebSocket client has it)', '');
  parts.push(r.latency ? latencySection(r.latency) : `Not measured: ${r.errors.latency ?? 'skipped'}.`, '');
  const ll = r.latencyLight;
  if (ll) {
    const lim = ll.limit?.p99Ms;
    const limText =
      lim === null || lim === undefined ? '' : `; limit p99 ${lim} ms, ${x(ll.p99Ms ?? 0, lim)}`;
    parts.push(
      `Same run at ${ll.clients} clients (every client sampled): p50 ${ll.p50Ms} ms, p99 ${ll.p99Ms} ms, max ${ll.maxMs} ms at ${ll.updatesPerSec} updates/s (server CPU ${ll.serverCpuPct}%, clients CPU ${ll.clientsCpuPct}%, ${ll.clientMbPerSec} MB/s read${limText}).`,
      '',
    );
  }
  const m = r.memory;
  parts.push('## Memory (memory store: state, update log and read model in one process)', '');
  parts.push(
    m
      ? table(
          [
            'moment',
            'RSS MB',
            'heap MB',
            'external MB',
            'markets',
            'events',
            'runners',
            'update-log entries',
            'source markets',
            'upstream ids',
            'room-history msgs',
            'results',
          ],
          (
            [
              ['empty', m.empty],
              ['10,000 markets loaded', m.loaded],
              [`churn: after a ${m.settings.warmupSimMinutes}-simulated-min warm-up`, m.churnStart],
              [`churn: after ${m.simulatedMinutes} more simulated min`, m.churnEnd],
            ] as const
          ).map(([k, s]) => [
            k,
            s.rssMb,
            s.heapUsedMb,
            s.externalMb,
            s.markets,
            s.events,
            s.runners,
            s.logEntries,
            s.sourceMarkets,
            s.upstreamIds,
            s.roomHistory,
            s.results,
          ]),
        ) +
          `\n\nChurn: simulator at ${m.settings.simSpeed}× (${m.settings.simEvents} events, ${m.settings.simRate} runner changes/s), closed-market TTL, update-log age and recovery window compressed alike; the baseline is taken after a warm-up that covers the TTL, its eviction period and the longest simulated event's life, so every bounded structure is at its steady state; the measured hour took ${m.seconds} s.`
      : `Not measured: ${r.errors.memory ?? 'skipped'}.`,
    '',
  );
  parts.push('## Other benchmarks', '');
  parts.push(otherSection('WebSocket broker', 'npm run bench:ws', r.ws, r.errors.ws), '');
  parts.push(otherSection('Betfair stream', 'npm run bench:stream', r.stream, r.errors.stream), '');
  parts.push(otherSection('Browser source', 'npm run bench:browser', r.browser, r.errors.browser), '');
  parts.push(otherSection('Odds history', 'npm run bench:history', r.history ?? null, r.errors.history), '');
  if (r.history) parts.push(historyTargets(r.history), '', notes['odds history'] ?? '', '');
  parts.push(otherSection('ABP orders', 'npm run bench:orders', r.orders ?? null, r.errors.orders), '');
  if (r.orders) parts.push(notes['ABP orders'] ?? '', '');
  const missed = r.targets.filter((t) => t.met === false);
  if (missed.length) {
    parts.push('## Targets not met, and why', '');
    for (const t of missed) {
      parts.push(
        `### ${t.name}`,
        '',
        notes[t.name] ?? notes[t.name.split(' ')[0] ?? ''] ?? 'No explanation recorded yet.',
        '',
      );
      const prof = t.name.startsWith('REST ')
        ? r.rest[t.name.slice(5)]?.profile
        : t.name.startsWith('ingest')
          ? r.latency?.profile
          : undefined;
      if (prof?.length)
        parts.push(
          'Server CPU profile during an extra run (self time, top functions):',
          '',
          profileTable(prof),
          '',
        );
    }
  }
  return `${parts.join('\n').trimEnd()}\n`;
}
