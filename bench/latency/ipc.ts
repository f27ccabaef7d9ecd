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

/** Orchestrator → client process. */
export type LatencyClientCommand =
  | { cmd: 'connect'; port: number; count: number; sampleEvery: number; offset: number }
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
