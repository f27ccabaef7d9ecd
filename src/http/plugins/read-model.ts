import fp from 'fastify-plugin';
import { ReadModel } from '../../read-model/read-model.js';

declare module 'fastify' {
  interface FastifyInstance {
    readModel: ReadModel;
    /** Resolves when the read model has applied everything committed so far (tests, graceful start). */
    settle(): Promise<void>;
  }
}

const SETTLE_TIMEOUT_MS = 5000;

/** Loads the current state from the store and keeps it current from the update log. */
export const readModelPlugin = fp(
  async (app) => {
    const model = new ReadModel();
    const snapshot = await app.store.loadSnapshot();
    model.load(snapshot);
    const stop = app.store.tailLog(snapshot.logPosition, (entries) => model.apply(entries));
    app.decorate('readModel', model);
    app.decorate('settle', async () => {
      await app.ingest?.drain();
      const deadline = Date.now() + SETTLE_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const ahead = await app.store.readLog(model.position, 1);
        if (ahead.length === 0) return;
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    app.addHook('onClose', async () => stop());
  },
  { name: 'read-model', dependencies: ['store'] },
);
