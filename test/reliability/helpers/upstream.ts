import { spawnOddsgate, type Spawned } from '../../helpers/process.js';

/** The ready line of `oddsgate simulate --esa-port 0 --api-port 0 [--site-port 0]`. */
export interface SimReady {
  esa: { host: string; port: number; caFile: string; appKey: string; session: string };
  api: { url: string };
  identity: { url: string; username: string; password: string };
  site?: { url: string };
}

/** The simulated upstreams in their own process, and how to inject faults into them. */
export interface SimulatedUpstreams {
  ready: SimReady;
  proc: Spawned;
  /** POST <api>/admin/fault with a stream or API fault. */
  esaFault(fault: Record<string, unknown>): Promise<unknown>;
  /** POST <site>/__sim/fault?mode=… (none, slow, forbidden, challenge, blank, selector). */
  siteFault(mode: string): Promise<void>;
}

/** Starts `oddsgate simulate` with the given flags and waits for its ready line (≤ 120 s). */
export async function startUpstreams(flags: string[]): Promise<SimulatedUpstreams> {
  const proc = spawnOddsgate(['simulate', '--esa-port', '0', '--api-port', '0', ...flags], {});
  const deadline = Date.now() + 120_000;
  let ready: SimReady | null = null;
  while (!ready) {
    const line = proc
      .output()
      .split('\n')
      .find((l) => l.startsWith('{"esa"'));
    if (line) ready = JSON.parse(line) as SimReady;
    else if (Date.now() > deadline || proc.child.exitCode !== null) {
      await proc.stop();
      throw new Error(`simulate did not get ready: ${proc.output().slice(-1500)}`);
    } else await new Promise((r) => setTimeout(r, 100));
  }
  const r = ready;
  return {
    ready: r,
    proc,
    async esaFault(fault) {
      const res = await fetch(`${new URL(r.api.url).origin}/admin/fault`, {
        method: 'POST',
        body: JSON.stringify(fault),
      });
      return res.json();
    },
    async siteFault(mode) {
      if (!r.site) throw new Error('no simulated site');
      const res = await fetch(`${r.site.url.replace(/\/$/, '')}/__sim/fault?mode=${mode}`, {
        method: 'POST',
      });
      if (res.status !== 200) throw new Error(`site fault ${mode}: ${res.status}`);
    },
  };
}

/** The env that points oddsgate's Betfair source at the simulated exchange. */
export function betfairEnv(r: SimReady): NodeJS.ProcessEnv {
  return {
    BETFAIR_APP_KEY: r.esa.appKey,
    BETFAIR_SESSION_TOKEN: r.esa.session,
    BETFAIR_USERNAME: r.identity.username,
    BETFAIR_PASSWORD: r.identity.password,
    BETFAIR_STREAM_HOST: r.esa.host,
    BETFAIR_STREAM_PORT: String(r.esa.port),
    BETFAIR_CA_FILE: r.esa.caFile,
    BETFAIR_API_URL: r.api.url,
    BETFAIR_IDENTITY_URL: r.identity.url,
    BETFAIR_IDENTITY_CERT_URL: r.identity.url,
    BETFAIR_HEARTBEAT_MS: '1000',
  };
}
