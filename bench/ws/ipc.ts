/** Messages between the benchmark orchestrator (run.ts) and its server and client processes. */

/** The three contenders. */
export type Kind = 'oddsgate' | 'socketio' | 'limit';

/** Orchestrator → server. */
export type ServerCommand =
  | { cmd: 'burst'; count: number; chunk: number }
  /** `tickMs` > 0: the messages due in each tick are published together, stamped with the tick's start. */
  | { cmd: 'rate'; rate: number; seconds: number; tickMs: number }
  | { cmd: 'cpu' }
  | { cmd: 'stop' };

/** Server → orchestrator. */
export type ServerEvent =
  | { ev: 'ready'; port: number; path: string }
  | { ev: 'burst-started'; t: number }
  | { ev: 'published'; t: number; count: number }
  | { ev: 'cpu'; seconds: number; clients: number };

/** Orchestrator → client process. */
export type ClientCommand =
  | {
      cmd: 'connect';
      kind: Kind;
      port: number;
      path: string;
      count: number;
      sampleEvery: number;
      offset: number;
    }
  | { cmd: 'expect'; count: number }
  | { cmd: 'latency'; on: boolean }
  | { cmd: 'stop' };

/** Client process → orchestrator. */
export type ClientEvent =
  | { ev: 'connected'; n: number; failed: number }
  | { ev: 'done'; t: number; bytes: number; received: number }
  | { ev: 'latency'; samples: number[] };
