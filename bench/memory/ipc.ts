/** Messages between the memory benchmark (run.ts) and its server process (server.ts). */

/** Memory and state size at one moment (after garbage collection). */
export interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
  /** V8 heap reserved (used + free pages kept): RSS follows it, not heapUsed. */
  heapTotalMb?: number;
  /** Memory outside the V8 heap tied to JS objects (Buffers and other ArrayBuffers). */
  externalMb?: number;
  markets: number;
  events: number;
  runners: number;
  /** Entries in the memory store's update log (bounded by UPDATE_LOG_MAXLEN, _MAX_AGE_SEC and _MAX_MB). */
  logEntries: number;
  /** The update log's estimated size (what UPDATE_LOG_MAX_MB bounds). */
  logMb?: number;
  /** Markets the sources hold in their own caches (the simulator's Betfair pipeline, the synthetic book). */
  sourceMarkets?: number;
  /** Upstream event ids in ingest's id map (one per event held). */
  upstreamIds?: number;
  /** Messages the broker keeps for recovery (bounded by WS_RECOVERY_WINDOW_SEC, compressed). */
  roomHistory?: number;
  /**
   * Results in the store: every settled event's result, its final market with it, is kept for /results
   * (history, not state: the memory store keeps them all, ~90 more a simulated hour here).
   */
  results?: number;
}

/** Orchestrator → server. */
export type MemoryServerCommand = { cmd: 'load' } | { cmd: 'churn' } | { cmd: 'measure' } | { cmd: 'stop' };

/** Server → orchestrator. */
export type MemoryServerEvent =
  | { ev: 'ready'; at: MemorySnapshot }
  | { ev: 'measured'; cmd: MemoryServerCommand['cmd']; at: MemorySnapshot };
