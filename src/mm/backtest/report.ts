import { round2 } from '../../execution/rows.js';
import type { BacktestParams, MarketReport } from './engine.js';

/** The sums over every market. Profit, commission and net count settled markets only. */
export interface BacktestTotals {
  markets: number;
  traded: number;
  settled: number;
  quotes: number;
  cancels: number;
  lapsed: number;
  fills: number;
  backMatched: number;
  layMatched: number;
  hedges: number;
  hedgeStake: number;
  unhedged: number;
  /** The largest exposure of any one market, and of any one runner as the quoter saw it. */
  maxExposure: number;
  peakRunnerExposure: number;
  profit: number;
  commission: number;
  net: number;
}

/** What `oddsgate backtest` prints (the `--json` line). */
export interface BacktestReport {
  strategy: 'mm';
  params: BacktestParams;
  markets: MarketReport[];
  totals: BacktestTotals;
}

const SUMMED = [
  'quotes',
  'cancels',
  'lapsed',
  'fills',
  'backMatched',
  'layMatched',
  'hedges',
  'hedgeStake',
  'unhedged',
] as const;

/** The report over market results, markets by id whatever order they were replayed in. */
export function reportOf(params: BacktestParams, markets: readonly MarketReport[]): BacktestReport {
  const sorted = [...markets].sort((a, b) =>
    a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0,
  );
  const t: BacktestTotals = {
    ...{ markets: sorted.length, traded: 0, settled: 0, quotes: 0, cancels: 0, lapsed: 0, fills: 0 },
    ...{
      backMatched: 0,
      layMatched: 0,
      hedges: 0,
      hedgeStake: 0,
      unhedged: 0,
      maxExposure: 0,
      peakRunnerExposure: 0,
    },
    ...{ profit: 0, commission: 0, net: 0 },
  };
  for (const m of sorted) {
    if (m.skipped === null) t.traded++;
    for (const k of SUMMED) t[k] += m[k];
    t.maxExposure = Math.max(t.maxExposure, m.maxExposure);
    t.peakRunnerExposure = Math.max(t.peakRunnerExposure, m.peakRunnerExposure);
    if (m.profit === null || m.net === null) continue;
    t.settled++;
    t.profit += m.profit;
    t.commission += m.commission;
    t.net += m.net;
  }
  for (const k of [
    'backMatched',
    'layMatched',
    'hedgeStake',
    'unhedged',
    'profit',
    'commission',
    'net',
  ] as const)
    t[k] = round2(t[k]);
  return { strategy: 'mm', params, markets: sorted, totals: t };
}

const money = (v: number | null) => (v === null ? '-' : v.toFixed(2));

/** A line of the table: a market, or the totals (which have no end exposure). */
type Row = Pick<
  MarketReport,
  | 'marketId'
  | 'type'
  | 'quotes'
  | 'cancels'
  | 'fills'
  | 'backMatched'
  | 'layMatched'
  | 'hedges'
  | 'unhedged'
  | 'maxExposure'
  | 'peakRunnerExposure'
  | 'profit'
  | 'commission'
  | 'net'
> & { endExposure: number | null };

const COLUMNS: ReadonlyArray<readonly [string, (m: Row) => string]> = [
  ['market', (m) => m.marketId],
  ['type', (m) => m.type],
  ['quotes', (m) => String(m.quotes)],
  ['cancels', (m) => String(m.cancels)],
  ['fills', (m) => String(m.fills)],
  ['back', (m) => money(m.backMatched)],
  ['lay', (m) => money(m.layMatched)],
  ['hedges', (m) => String(m.hedges)],
  ['unhedged', (m) => money(m.unhedged)],
  ['max exp', (m) => money(m.maxExposure)],
  ['end exp', (m) => money(m.endExposure)],
  ['runner peak', (m) => money(m.peakRunnerExposure)],
  ['profit', (m) => money(m.profit)],
  ['comm', (m) => money(m.commission)],
  ['net', (m) => money(m.net)],
];

/** The human table: a row per market, then the totals and the markets skipped or unsettled. */
export function renderReport(r: BacktestReport): string {
  const t = r.totals;
  const total: Row = { ...t, marketId: 'total', type: '', endExposure: null };
  const rows = [...r.markets, total].map((m) => COLUMNS.map(([, f]) => f(m)));
  const head = COLUMNS.map(([h]) => h);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const out = [
    line(head),
    ...rows.slice(0, -1).map(line),
    line(widths.map((w) => '-'.repeat(w))),
    line(rows.at(-1) as string[]),
  ];
  const p = r.params;
  out.unshift(
    `backtest mm: spread ${p.spreadTicks} ticks, size ${p.size}, replace ${p.replaceTicks} ticks, max exposure ` +
      `${p.maxExposure}, ${p.cancelInPlay ? 'cancel in play' : 'quote in play'}, commission ${p.commission * 100}%`,
  );
  out.push(
    `${t.markets} market(s), ${t.traded} traded, ${t.settled} settled; profit counts settled markets only`,
  );
  for (const m of r.markets) if (m.skipped !== null) out.push(`skipped ${m.marketId}: ${m.skipped}`);
  for (const m of r.markets)
    if (m.skipped === null && m.profit === null)
      out.push(`unsettled ${m.marketId}: the recording has no result`);
  return `${out.join('\n')}\n`;
}
