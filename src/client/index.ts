/** The typed oddsgate WebSocket client (reconnects with backoff and jitter, resumes rooms with `since`). */
export {
  OddsgateClient,
  type OddsgateClientOptions,
  type OddsgateClientEvents,
  type Backoff,
} from './client.js';
export type * from './types.js';
