import fp from 'fastify-plugin';
import { ChannelRelay } from '../../cluster/channel-relay.js';
import { fixtureInfo } from '../../execution/betslip.js';
import { resolveSecretsKey } from '../../execution/secrets.js';
import { createAbpService, type AbpService } from '../../execution/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The ABP services (keys, accounts, channels, betslips); null without a records database. */
    abp: AbpService | null;
    /** Relays the ABP/MM WebSocket pushes between instances sharing a Redis (absent without Redis). */
    abpRelay?: ChannelRelay;
  }
}

/**
 * Decorates the app with the ABP services over the records database (null when the app has none: /abp then
 * answers 503). Betslip windows follow the read model: a change of an event rebuilds its open betslips, and
 * an event's own change is pushed on the global `fixtures` channel. With Redis, every other push is relayed
 * to (and from) the other instances (ChannelRelay).
 */
export const abpPlugin = fp(
  async (app) => {
    const records = app.records;
    if (!records) {
      app.decorate('abp', null);
      return;
    }
    const secretsKey = await resolveSecretsKey(app.config.abp.secretsKey, app.config.dataDir, app.log);
    const service = createAbpService({
      db: records.database.db,
      secretsKey,
      betslipWindowMs: app.config.abp.betslipWindowMs,
    });
    app.decorate('abp', service);
    // Betslip windows follow their event's books; fixture metadata changes go out on `fixtures` (global).
    const off = app.readModel.onChange(({ entry, event }) => {
      if (!event) return;
      service.betslips.changed(event.id);
      if (entry.change.type === 'event' && service.channels.size > 0)
        service.channels.publish('fixtures', 'UPDATE', fixtureInfo(event));
    });
    // Instances sharing a Redis relay their pushes: a client gets an order placed through any instance.
    const url = app.config.redisUrl;
    const relay = url
      ? new ChannelRelay({
          redisUrl: url,
          channel: `${app.config.redisKeyPrefix}abp`,
          channels: service.channels,
          logger: app.log.child({ component: 'abp-relay' }),
        })
      : null;
    if (relay) {
      app.decorate('abpRelay', relay);
      // Not awaited: an instance serves while Redis is away; the relay subscribes when it answers.
      app.addHook('onReady', async () => {
        void relay.start();
      });
    }
    app.addHook('preClose', async () => {
      off();
      service.close();
      await relay?.close();
    });
  },
  { name: 'abp', dependencies: ['records', 'read-model'] },
);
