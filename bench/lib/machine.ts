import { cpus, freemem, loadavg, totalmem, type as osType, release } from 'node:os';

/** What the benchmarks ran on: written into results.json and the head of RESULTS.md. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  freeMemoryGb: number;
  node: string;
  os: string;
  /** 1, 5 and 15 minute load averages when the run started (other work on the machine shows here). */
  loadAvgAtStart: [number, number, number];
  startedAt: string;
}

/** The machine as it is now. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  const gb = (b: number) => Math.round((b / 1024 ** 3) * 10) / 10;
  const [l1, l5, l15] = loadavg().map((x) => Math.round(x * 100) / 100) as [number, number, number];
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: gb(totalmem()),
    freeMemoryGb: gb(freemem()),
    node: process.version,
    os: `${osType()} ${release()}`,
    loadAvgAtStart: [l1, l5, l15],
    startedAt: new Date().toISOString(),
  };
}
