import type { FastifyInstance } from 'fastify';

/** Guard on the lag count (one bounded log read). */
const LAG_COUNT_CAP = 1000;
const PROBE_TIMEOUT_MS = 1000;

/**
 * The odds-history part of /admin/health: whether this process writes it, its checkpoint, how far behind
 * the update log it is (entries, counted up to 1,000, and seconds), gaps recorded and whether it is paused
 * because the database fails.
 */
export async function historyHealth(app: FastifyInstance): Promise<Record<string, unknown> | null> {
  const history = app.history;
  if (!history) return null;
  const w = history.writer;
  if (!w) return { writer: 'off' };
  let lag: number | null = null;
  try {
    lag = await Promise.race([
      w.lagEntries(LAG_COUNT_CAP),
      new Promise<null>((r) => setTimeout(() => r(null), PROBE_TIMEOUT_MS).unref()),
    ]);
  } catch {
    lag = null;
  }
  const s = w.stats;
  return {
    writer: !s.running
      ? 'stopped'
      : s.paused
        ? 'paused'
        : s.position === null && s.batches === 0
          ? 'waiting'
          : 'running',
    position: s.position,
    position_at: s.positionTs === null ? null : new Date(s.positionTs).toISOString(),
    lag_entries: lag,
    lag_entries_capped: lag !== null && lag >= LAG_COUNT_CAP,
    lag_seconds: Math.round(w.lagSeconds() * 10) / 10,
    ticks_written: s.ticksWritten,
    batches: s.batches,
    last_batch_ms: s.lastBatchMs === null ? null : Math.round(s.lastBatchMs * 10) / 10,
    gaps: s.gaps,
    paused: s.paused,
    failures: s.failures,
    last_error: s.lastError,
  };
}
