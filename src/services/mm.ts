import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { MmConfig } from '../config/mm.js';
import type { Execution } from '../execution/index.js';
import { MmEngine } from '../mm/engine.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { Lifecycle } from './lifecycle.js';

/** Overrides of `config.mm` (tests: a faster interval, other caps). */
export interface MmOptions {
  config?: Partial<MmConfig>;
}

/**
 * The market-making engine (MM_ENABLED): quotes on the maker exchange through the order service, started
 * with the app and stopped — every quote cancelled — before it closes. Null without `mm.enabled`.
 */
export function buildMm(deps: {
  config: MmConfig;
  options: MmOptions | undefined;
  readModel: ReadModel;
  execution: Execution;
  logger: Logger;
  lifecycle: Lifecycle;
}): MmEngine | null {
  const config = { ...deps.config, ...deps.options?.config };
  if (!config.enabled) return null;
  const engine = new MmEngine({
    config,
    books: deps.readModel,
    execution: deps.execution,
    logger: deps.logger,
    holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
  });
  deps.lifecycle.add({ name: 'mm', start: () => engine.start(), stop: () => engine.stop() });
  return engine;
}
