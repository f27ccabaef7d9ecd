import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { Records } from '../records/index.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';

/**
 * Opens the storage the services stand on: the records database (ids and results durable in every mode,
 * the results archive, orders) and the store over it (Redis with REDIS_URL, else the memory store backed
 * by the records database). The store connects when the services are built; both close with them.
 */
export async function openStorage(
  config: Config,
  logger: Logger,
): Promise<{ records: Records; store: Store }> {
  const records = await Records.open({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger: logger.child({ component: 'records' }),
  });
  logger.info(
    { records: records.database.kind, location: records.database.location },
    'records database open',
  );
  const store = createStore(
    config,
    logger.child({ component: 'store' }),
    config.redisUrl ? undefined : records.backing(),
  );
  return { records, store };
}
