import { Counter, Histogram, type Registry } from 'prom-client';
import type { Store } from '../store/types.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The store calls timed: the ingest commit (state + update log in one round trip) and log reads. */
const TIMED = ['commit', 'readLog'] as const;
type TimedOp = (typeof TIMED)[number];

/**
 * `oddsgate_store_operation_duration_seconds{store,op}` and `oddsgate_store_errors_total{store,op}`: wraps
 * the store instance's commit and readLog with a timer (one hrtime pair per call; the store code is
 * untouched). Returns a function that puts the originals back.
 */
export function instrumentStore(store: Store, registry: Registry): () => void {
  const duration = new Histogram({
    name: 'oddsgate_store_operation_duration_seconds',
    help: 'Store call latency (commit: state and update log in one round trip).',
    labelNames: ['store', 'op'] as const,
    buckets: BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'oddsgate_store_errors_total',
    help: 'Store calls that failed.',
    labelNames: ['store', 'op'] as const,
    registers: [registry],
  });
  const target = store as unknown as Record<TimedOp, (...args: unknown[]) => Promise<unknown>>;
  const originals = new Map<TimedOp, (...args: unknown[]) => Promise<unknown>>();
  for (const op of TIMED) {
    const original = target[op];
    originals.set(op, original);
    const labels = { store: store.kind, op };
    errors.inc(labels, 0);
    target[op] = async function timed(this: unknown, ...args: unknown[]) {
      const end = duration.startTimer(labels);
      try {
        return await original.apply(store, args);
      } catch (err) {
        errors.inc(labels);
        throw err;
      } finally {
        end();
      }
    };
  }
  return () => {
    for (const [op, fn] of originals) target[op] = fn;
  };
}
