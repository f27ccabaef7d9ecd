import fp from 'fastify-plugin';
import { resolveSecretsKey } from '../../execution/secrets.js';
import { createAbpService, type AbpService } from '../../execution/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The ABP services (keys, accounts, channels, betslips); null without a records database. */
    abp: AbpService | null;
  }
}

/**
 * Decorates the app with the ABP services over the records database (null when the app has none: /abp then
 * answers 503). Betslip windows follow the read model: a change of an event rebuilds its open betslips.
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
    const off = app.readModel.onChange(({ event }) => {
      if (event) service.betslips.changed(event.id);
    });
    app.addHook('preClose', async () => {
      off();
      service.close();
    });
  },
  { name: 'abp', dependencies: ['records', 'read-model'] },
);
