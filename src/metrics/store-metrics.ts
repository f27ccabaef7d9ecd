import { Counter, Histogram, type Registry } from 'prom-client';
import type { Store } from '../store/types.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * `oddsgate_store_operation_duration_seconds{store,op}` and `oddsgate_store_errors_total{store,op}` for the
 * ingest commit (state + update log in one round trip) and log reads, through the store's explicit observer
 * hook (`Store.observe`). Returns the function that stops observing.
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
  for (const op of ['commit', 'readLog']) errors.inc({ store: store.kind, op }, 0);
  if (!store.observe) return () => undefined;
  return store.observe((op, seconds, failed) => {
    const labels = { store: store.kind, op };
    duration.observe(labels, seconds);
    if (failed) errors.inc(labels);
  });
}
