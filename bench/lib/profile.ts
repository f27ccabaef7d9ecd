import { Session } from 'node:inspector/promises';

/** One line of a CPU profile summary: a function, where it is, and its share of the samples (self time). */
export interface ProfileLine {
  fn: string;
  at: string;
  selfPct: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The functions with the most self time in a V8 CPU profile (idle and program time left out). */
export function topFunctions(profile: CpuProfile, n = 12): ProfileLine[] {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, { fn: string; at: string; t: number }>();
  let total = 0;
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] as number);
    const dt = profile.timeDeltas?.[i] ?? 0;
    if (!node) continue;
    const fn = node.callFrame.functionName || '(anonymous)';
    if (fn === '(idle)' || fn === '(program)') continue;
    total += dt;
    const file = node.callFrame.url
      .replace(/^.*\/(src|node_modules|bench)\//, '$1/')
      .replace(/^file:\/\//, '');
    // Line numbers are those of the transpiled module for TypeScript files (tsx): only node's are kept.
    const at = !file
      ? '(native)'
      : file.startsWith('node:')
        ? `${file}:${node.callFrame.lineNumber + 1}`
        : file;
    const key = `${fn} ${at}`;
    const e = self.get(key) ?? { fn, at, t: 0 };
    e.t += dt;
    self.set(key, e);
  }
  return [...self.values()]
    .sort((a, b) => b.t - a.t)
    .slice(0, n)
    .map((e) => ({ fn: e.fn, at: e.at, selfPct: total > 0 ? Math.round((1000 * e.t) / total) / 10 : 0 }));
}

/** Samples this process's CPU with the inspector between start() and stop(). */
export class CpuProfiler {
  private session: Session | null = null;

  /** Starts sampling (every 200 µs). */
  async start(): Promise<void> {
    const s = new Session();
    s.connect();
    await s.post('Profiler.enable');
    await s.post('Profiler.setSamplingInterval', { interval: 200 });
    await s.post('Profiler.start');
    this.session = s;
  }

  /** Stops sampling and returns the top functions by self time. */
  async stop(n = 12): Promise<ProfileLine[]> {
    const s = this.session;
    if (!s) return [];
    this.session = null;
    const { profile } = (await s.post('Profiler.stop')) as { profile: CpuProfile };
    s.disconnect();
    return topFunctions(profile, n);
  }
}
