/** Messages between CrowdProcs (the test) and its crowd processes (crowd-process.ts). */

/** Test → crowd process. */
export type CrowdCommand =
  | {
      cmd: 'connect';
      port: number;
      count: number;
      room: string;
      slowEvery: number;
      offset: number;
      /** Run the members at a higher CPU priority than the server (see crowd-process.ts). */
      favoured: boolean;
    }
  | { cmd: 'pause' }
  | { cmd: 'resume' }
  | { cmd: 'status' }
  | { cmd: 'stop' };

/** What a crowd process's members saw: readers (good) and the ones told to stop reading (slow). */
export interface CrowdStatus {
  good: {
    count: number;
    minLast: number;
    gaps: number;
    ended: number;
    minReceived: number;
    /** Close codes of the readers whose connection ended (1006: closed without a close frame). */
    codes: number[];
    /** When the first and the last of them ended (epoch ms), null when none did. */
    endedSpan: [number, number] | null;
  };
  slow: { count: number; ended: number; codes: number[] };
}

/** Crowd process → test. */
export type CrowdEvent =
  { ev: 'connected'; n: number; why: string[] } | { ev: 'status'; status: CrowdStatus };
