import type { ProfileLine } from '../lib/profile.js';

/** Messages between the REST benchmark (run.ts) and its server processes (server.ts). */

/** A route of the limit server: the path and the exact bytes oddsgate answered it with. */
export interface LimitRoute {
  path: string;
  contentType: string;
  /**
   * The other headers oddsgate answered with (CORS, nosniff, cache-control, ETag…), so the limit puts the
   * same response on the wire; the connection's own (date, connection, keep-alive, content-length) are its.
   */
  headers: Record<string, string>;
  /** Base64 of the body. */
  body: string;
}

/** Orchestrator → server: the limit's routes; CPU profiling on/off (oddsgate). */
export type RestServerCommand = { cmd: 'routes'; routes: LimitRoute[] } | { cmd: 'profile'; on: boolean };

/** Server → orchestrator. */
export type RestServerEvent = { ev: 'ready'; port: number } | { ev: 'profile'; top: ProfileLine[] };
