import type { Kysely } from 'kysely';
import { AccountRepository } from './accounts.js';
import { BetslipWatch } from './betslip-watch.js';
import { AbpChannels } from './channels.js';
import { ApiKeyRepository } from './keys.js';
import { SecretBox } from './secrets.js';

/** The ABP surface's services, in one place (the /abp routes and the order path use them). */
export interface AbpService {
  keys: ApiKeyRepository;
  accounts: AccountRepository;
  /** WebSocket channels: `channels.publish(channel, event, payload, clientName?)`. */
  channels: AbpChannels;
  /** Open betslip windows (GET /betslip) pushing price changes on `betslip`. */
  betslips: BetslipWatch;
  close(): void;
}

/** What the service is built from. */
export interface AbpServiceDeps {
  db: Kysely<unknown>;
  /** The credentials key (resolveSecretsKey). */
  secretsKey: string;
  betslipWindowMs: number;
}

/** Builds the ABP services over the records database. */
export function createAbpService(deps: AbpServiceDeps): AbpService {
  const channels = new AbpChannels();
  const betslips = new BetslipWatch({
    windowMs: deps.betslipWindowMs,
    publish: (slip, clientName) => channels.publish('betslip', 'UPDATE', slip, clientName),
  });
  return {
    keys: new ApiKeyRepository(deps.db),
    accounts: new AccountRepository(deps.db, SecretBox.fromSecret(deps.secretsKey)),
    channels,
    betslips,
    close: () => betslips.close(),
  };
}
