import type { FastifyInstance } from 'fastify';
import { withTimeout } from '../../../core/timeout.js';

/** The store probe gives up after this long (its own ping has a shorter timeout; this is the guard). */
export const STORE_PROBE_TIMEOUT_MS = 1500;

/** Store reachability: `store.ping()` within the guard timeout; a throw or a timeout counts as down. */
export async function probeStore(app: FastifyInstance): Promise<{ reachable: boolean; latency_ms: number }> {
  const t0 = Date.now();
  let reachable = false;
  try {
    reachable = await withTimeout(app.store.ping(), STORE_PROBE_TIMEOUT_MS, 'store ping');
  } catch {
    reachable = false;
  }
  return { reachable, latency_ms: Date.now() - t0 };
}

/** Result count from the store, or null when it does not answer in time. */
export async function storedResults(app: FastifyInstance): Promise<number | null> {
  try {
    return await withTimeout(app.store.countResults(), STORE_PROBE_TIMEOUT_MS, 'result count');
  } catch {
    return null;
  }
}

/** Events with open markets of each kind: the live "rooms" oddsgate follows upstream. */
export function upstreamRooms(app: FastifyInstance): { matchOdds: number; fancy: number; bookmaker: number } {
  const sets = { matchOdds: new Set<number>(), fancy: new Set<number>(), bookmaker: new Set<number>() };
  for (const m of app.readModel.markets.values()) {
    if (m.status === 'CLOSED') continue;
    const set = m.type === 'FANCY' ? sets.fancy : m.type === 'BOOKMAKER' ? sets.bookmaker : sets.matchOdds;
    set.add(m.eventId);
  }
  return { matchOdds: sets.matchOdds.size, fancy: sets.fancy.size, bookmaker: sets.bookmaker.size };
}

/**
 * The records database as /admin/health shows it (additive `records` field): kind, reachability (a ping
 * with a guard timeout), latency and the write-behind queue; null when the app has none.
 */
export async function probeRecords(app: FastifyInstance): Promise<{
  kind: string;
  reachable: boolean;
  latency_ms: number;
  pending_writes: number;
  written: number;
  dropped: number;
  last_error: string | null;
} | null> {
  const records = app.records;
  if (!records) return null;
  const t0 = Date.now();
  let reachable = false;
  try {
    reachable = await withTimeout(records.database.ping(), STORE_PROBE_TIMEOUT_MS, 'records ping');
  } catch {
    reachable = false;
  }
  const w = records.writer.stats;
  return {
    kind: records.database.kind,
    reachable,
    latency_ms: Date.now() - t0,
    pending_writes: records.writer.pending,
    written: w.written,
    dropped: w.dropped,
    last_error: w.lastError,
  };
}
