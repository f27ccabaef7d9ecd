import fp from 'fastify-plugin';
import type { Records } from '../../records/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The records database (ids, results archive); null when the app was built without one (tests). */
    records: Records | null;
  }
}

/**
 * Decorates the app with the records service and closes it on shutdown, after the store (registered
 * before the store plugin, so its onClose runs after the store has written what it queued).
 */
export const recordsPlugin = fp<{ records: Records | null }>(
  async (app, opts) => {
    app.decorate('records', opts.records);
    const records = opts.records;
    if (!records) return;
    app.addHook('onClose', async () => {
      await records.close();
    });
  },
  { name: 'records' },
);

/**
 * With a store that keeps results itself (Redis), results still go to the archive: every result change
 * the read model applies is queued (an upsert; instances sharing one PostgreSQL write the same row).
 */
export const archiveResultsPlugin = fp(
  async (app) => {
    const records = app.records;
    if (!records || app.store.kind === 'memory') return;
    const off = app.readModel.onChange(({ entry }) => {
      if (entry.change.type === 'result') records.archive(entry.change.result);
    });
    app.addHook('onClose', async () => off());
  },
  { name: 'archive-results', dependencies: ['records', 'read-model'] },
);
