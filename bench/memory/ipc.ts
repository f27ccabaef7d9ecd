/** Messages between the memory benchmark (run.ts) and its server process (server.ts). */

/** Memory and state size at one moment (after garbage collection). */
export interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
  markets: number;
  events: number;
  runners: number;
  /** Entries in the memory store's update log (bounded by UPDATE_LOG_MAXLEN, _MAX_AGE_SEC and _MAX_MB). */
  logEntries: number;
  /** The update log's estimated size (what UPDATE_LOG_MAX_MB bounds). */
  logMb?: number;
}

/** Orchestrator → server. */
export type MemoryServerCommand = { cmd: 'load' } | { cmd: 'churn' } | { cmd: 'measure' } | { cmd: 'stop' };

/** Server → orchestrator. */
export type MemoryServerEvent =
  | { ev: 'ready'; at: MemorySnapshot }
  | { ev: 'measured'; cmd: MemoryServerCommand['cmd']; at: MemorySnapshot };
