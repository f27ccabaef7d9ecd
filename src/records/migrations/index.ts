import type { Migration } from 'kysely';
import { ids_and_results } from './0001_ids_and_results.js';
import { odds_history } from './0002_odds_history.js';
import { abp_keys_accounts } from './0003_abp_keys_accounts.js';
import { orders_bets } from './0004_orders_bets.js';
import { mm_fills } from './0005_mm_fills.js';
import { mm_lease } from './0006_mm_lease.js';
import { mm_selectors } from './0007_mm_selectors.js';

/**
 * Every migration, by name; applied in name order, each once (Kysely's migrator records them in
 * `kysely_migration`). Add a file `NNNN_what.ts` and list it here; never edit one that has shipped.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_ids_and_results': ids_and_results,
  '0002_odds_history': odds_history,
  '0003_abp_keys_accounts': abp_keys_accounts,
  '0004_orders_bets': orders_bets,
  '0005_mm_fills': mm_fills,
  '0006_mm_lease': mm_lease,
  '0007_mm_selectors': mm_selectors,
};
