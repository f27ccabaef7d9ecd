/**
 * The Betfair part of `oddsgate simulate`: `--esa-port`, `--api-port` and `--esa-faults` start the
 * simulated Exchange Stream API (TLS) and the identity + JSON-RPC API (HTTP) over the running simulator
 * and contribute the `esa`, `api` and `identity` entries of the ready line.
 */
import type { ExchangeSimulator } from '../sim/exchange.js';
import { startBetfairSimulation } from '../sim/esa/index.js';
import type { ApiFault } from '../sim/esa/api-server.js';

/** One endpoint's entry in the ready line (`{"<key>": value, ...}`), and how to stop it. */
export interface ReadyPart {
  key: string;
  value: unknown;
  close(): Promise<void>;
}

/** The `simulate` flags this module reads. */
export interface BetfairSimulateFlags {
  'esa-port'?: number;
  'api-port'?: number;
  'esa-faults'?: string;
}

/** True when the flags ask for the Betfair endpoints. */
export function wantsBetfair(flags: BetfairSimulateFlags): boolean {
  return flags['esa-port'] !== undefined || flags['api-port'] !== undefined;
}

/**
 * Parses `--esa-faults`: a comma list of `split`, `merge` (lines cut/merged across writes), `degraded`
 * (status 503), `refuse-auth[:CODE[:times]]`, `invalid-clock[:times]`, `drop-every:<seconds>`.
 */
export function parseFaults(
  spec: string,
): { faults: ApiFault[]; dropEverySec: number | null } | { error: string } {
  const faults: ApiFault[] = [];
  let dropEverySec: number | null = null;
  for (const item of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [name, a, b] = item.split(':');
    const times = (v: string | undefined) => (v === undefined ? 1 : Number(v));
    if (name === 'split' || name === 'merge') faults.push({ fault: 'writeMode', mode: name });
    else if (name === 'degraded') faults.push({ fault: 'degraded', on: true });
    else if (name === 'refuse-auth')
      faults.push({ fault: 'refuseAuth', code: a || 'NOT_AUTHORIZED', times: times(b) });
    else if (name === 'invalid-clock') faults.push({ fault: 'invalidClock', times: times(a) });
    else if (name === 'drop-every' && Number(a) > 0) dropEverySec = Number(a);
    else return { error: `--esa-faults: unknown fault "${item}"` };
  }
  return { faults, dropEverySec };
}

/** Starts the simulated Betfair endpoints; returns their ready-line parts (`esa`, `api`, `identity`). */
export async function startBetfairParts(
  simulator: ExchangeSimulator,
  flags: BetfairSimulateFlags,
): Promise<ReadyPart[]> {
  const parsed = parseFaults(flags['esa-faults'] ?? '');
  if ('error' in parsed) throw new Error(parsed.error);
  const bf = await startBetfairSimulation({
    simulator,
    esaPort: flags['esa-port'] ?? 0,
    apiPort: flags['api-port'] ?? 0,
  });
  for (const f of parsed.faults) bf.api.inject(f);
  const dropper = parsed.dropEverySec
    ? setInterval(() => bf.esa.inject({ fault: 'drop' }), parsed.dropEverySec * 1000)
    : null;
  const none = async () => {};
  return [
    {
      key: 'esa',
      value: bf.ready.esa,
      close: async () => {
        if (dropper) clearInterval(dropper);
        await bf.close();
      },
    },
    {
      key: 'api',
      value: {
        ...bf.ready.api,
        account: bf.ready.api.url.replace('/exchange/betting/', '/exchange/account/'),
        admin: bf.ready.api.url.replace(/\/exchange\/.*$/, '/admin'),
      },
      close: none,
    },
    { key: 'identity', value: bf.ready.identity, close: none },
  ];
}

/** The ready line: one JSON object with every part under its key. */
export function readyLine(parts: readonly ReadyPart[]): string {
  return JSON.stringify(Object.fromEntries(parts.map((p) => [p.key, p.value])));
}
