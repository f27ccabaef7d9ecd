import { logContract } from './contract-log.js';
import { stateContract } from './contract-state.js';
import type { MakeStore } from './contract-helpers.js';

export { collect, waitUntil, type MakeStore, type StoreHandle } from './contract-helpers.js';

/**
 * The Store contract: every implementation must pass all of it. `make` returns a fresh, connected,
 * empty store (with the given log bound) and a cleanup that closes it and removes what it stored.
 */
export function storeContract(name: string, make: MakeStore): void {
  stateContract(name, make);
  logContract(name, make);
}
