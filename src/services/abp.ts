import type { Config } from '../config/index.js';
import { fixtureInfo } from '../execution/betslip.js';
import { resolveSecretsKey } from '../execution/secrets.js';
import { createAbpService, type AbpService } from '../execution/service.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Records } from '../records/index.js';
import type { Lifecycle } from './lifecycle.js';

/**
 * The ABP services (keys, accounts, channels, betslips) over the records database. Betslip windows follow
 * the read model: a change of an event rebuilds its open betslips, and an event's own change is pushed on
 * the global `fixtures` channel.
 */
export async function buildAbp(deps: {
  config: Config;
  records: Records;
  readModel: ReadModel;
  logger: Parameters<typeof resolveSecretsKey>[2];
  lifecycle: Lifecycle;
}): Promise<AbpService> {
  const { config } = deps;
  const secretsKey = await resolveSecretsKey(config.abp.secretsKey, config.dataDir, deps.logger);
  const service = createAbpService({
    db: deps.records.database.db,
    secretsKey,
    betslipWindowMs: config.abp.betslipWindowMs,
  });
  const off = deps.readModel.onChange(({ entry, event }) => {
    if (!event) return;
    service.betslips.changed(event.id);
    if (entry.change.type === 'event' && service.channels.size > 0)
      service.channels.publish('fixtures', 'UPDATE', fixtureInfo(event));
  });
  deps.lifecycle.add({
    name: 'abp',
    stop: () => {
      off();
      service.close();
    },
  });
  return service;
}
