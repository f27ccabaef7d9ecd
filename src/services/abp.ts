import { ChannelRelay } from '../cluster/channel-relay.js';
import type { Config } from '../config/index.js';
import { fixtureInfo } from '../execution/betslip.js';
import { resolveSecretsKey } from '../execution/secrets.js';
import { createAbpService, type AbpService } from '../execution/service.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Records } from '../records/index.js';
import type { Logger } from 'pino';
import type { Lifecycle } from './lifecycle.js';

/**
 * The ABP services (keys, accounts, channels, betslips) over the records database. Betslip windows follow
 * the read model: a change of an event rebuilds its open betslips, and an event's own change is pushed on
 * the global `fixtures` channel. With Redis, every other push is relayed to (and from) the other instances
 * (ChannelRelay), so a client gets an order placed through any instance.
 */
export async function buildAbp(deps: {
  config: Config;
  records: Records;
  readModel: ReadModel;
  logger: Logger;
  lifecycle: Lifecycle;
}): Promise<{ abp: AbpService; abpRelay: ChannelRelay | null }> {
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
  const url = config.redisUrl;
  const relay = url
    ? new ChannelRelay({
        redisUrl: url,
        channel: `${config.redisKeyPrefix}abp`,
        channels: service.channels,
        logger: deps.logger.child({ component: 'abp-relay' }),
      })
    : null;
  deps.lifecycle.add({
    name: 'abp',
    // Not awaited: an instance serves while Redis is away; the relay subscribes when it answers.
    start: () => void relay?.start(),
    stop: async () => {
      off();
      service.close();
      await relay?.close();
    },
  });
  return { abp: service, abpRelay: relay };
}
