import { z } from 'zod';

export const SourceStateSchema = z.enum(['starting', 'connected', 'degraded', 'disconnected', 'stopped']);
export type SourceState = z.infer<typeof SourceStateSchema>;

/** What a source reports about itself for /status and /admin/health. */
export const SourceStatusSchema = z.object({
  source: z.string(),
  /** Transport kind: sim, betfair-stream, historical, browser, http-poll. */
  kind: z.string(),
  state: SourceStateSchema,
  connected: z.boolean(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  /** Epoch ms of the last update received from upstream. */
  lastUpdateAt: z.number().nullable(),
  /** Upstream frames received since start. */
  frames: z.number(),
  /** Markets this source currently holds. */
  markets: z.number(),
  details: z.record(z.string(), z.unknown()),
});
export type SourceStatus = z.infer<typeof SourceStatusSchema>;
