/**
 * The oddsgate WebSocket client SDK (`oddsgate/client`): a typed, reconnecting client that resumes rooms
 * with `since` and the log epoch. Every push and reply type is inferred from the server's message registry.
 */
export {
  OddsgateClient,
  type OddsgateClientOptions,
  type OddsgateClientEvents,
  type SubscribeOptions,
  type Backoff,
} from './client.js';
export { CLOSE_CODES, ERROR_CODES } from '../contracts/ws/codes.js';
export type * from './types.js';
