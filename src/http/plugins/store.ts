import fp from 'fastify-plugin';
import type { Store } from '../../store/types.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

/** Decorates the app with the connected store and closes it on shutdown. */
export const storePlugin = fp<{ store: Store }>(
  async (app, opts) => {
    await opts.store.connect();
    app.decorate('store', opts.store);
    app.addHook('onClose', async () => {
      await opts.store.close();
    });
  },
  { name: 'store' },
);
