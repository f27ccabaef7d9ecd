import type { ProfileLine } from '../lib/profile.js';

/** Messages between the latency orchestrator (run.ts), its server (server.ts) and client processes (clients.ts). */

/** Orchestrator → server. */
export type LatencyServerCommand =
  { cmd: 'go' } | { cmd: 'window'; on: boolean } | { cmd: 'profile'; on: boolean } | { cmd: 'stop' };

/** Server → orchestrator. */
export type LatencyServerEvent =
  | { ev: 'ready'; port: number }
  | {
      ev: 'window';
      /** [seq in room `all`, publishedAt (epoch ms, fractional)] of each market push in the window. */
      pts: [number, number][];
      /** Pushes to room `all` in the window (all types). */
      pushes: number;
      seconds: number;
      cpuSeconds: number;
      rssMb: number;
    }
  | { ev: 'profile'; top: ProfileLine[] };

/** Orchestrator → the limit server (limit-server.ts): replay the frames recorded in `file`. */
export type LimitServerCommand =
  | {
      cmd: 'load';
      file: string;
      /** [seq, publishedAt] of the oddsgate window's market pushes: when each is due. */
      schedule: [number, number][];
    }
  | { cmd: 'go' }
  | { cmd: 'stop' };

/** Limit server → orchestrator: `window` (as the oddsgate server's) once the whole replay is out. */
export type LimitServerEvent =
  { ev: 'ready'; port: number; frames: number } | Extract<LatencyServerEvent, { ev: 'window' }>;

/** One recorded push: when it arrived (epoch ms, fractional) and its text. */
export interface RecordedFrame {
  t: number;
  text: string;
}

/**
 * Orchestrator → client process. `connect` opens a new set of clients (those of an earlier `connect` stay
 * open but no longer count); with `recordTo`, the first client writes every push it gets in the window
 * to that file (JSON lines of RecordedFrame) before the window is reported.
 */
export type LatencyClientCommand =
  | {
      cmd: 'connect';
      port: number;
      path: string;
      count: number;
      sampleEvery: number;
      offset: number;
      recordTo?: string;
    }
  | { cmd: 'window'; on: boolean }
  | { cmd: 'stop' };

/** Client process → orchestrator. */
export type LatencyClientEvent =
  | { ev: 'connected'; n: number }
  | {
      ev: 'window';
      /** Sampled clients' deliveries: seqs[i] arrived at times[i] (epoch ms, fractional). */
      seqs: number[];
      times: number[];
      /** Messages received in the window by every client together. */
      received: number;
      /** Out-of-order or missing seqs seen by any client (must be 0). */
      gaps: number;
      /** Clients whose connection ended during the run. */
      lost: number;
      /** CPU seconds this client process used in the window, and WebSocket payload bytes it read. */
      cpuSeconds: number;
      bytes: number;
    };
