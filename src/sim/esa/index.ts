/**
 * The simulator as a Betfair endpoint: the Exchange Stream API over TLS (a self-signed certificate made
 * at start and written to a CA file clients trust) and the identity + JSON-RPC betting API over HTTP, all
 * on loopback, fed by one ExchangeSimulator. `ready` is what `oddsgate simulate` prints for clients.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import type { ExchangeSimulator } from '../exchange.js';
import { MatchingEngine } from '../betting/engine.js';
import { BettingOperations } from '../betting/operations.js';
import { streamOrder } from '../betting/reports.js';
import { BetfairApiServer } from './api-server.js';
import { CatalogueData } from './catalogue-data.js';
import { generateCertificate, type CertificatePair } from './cert.js';
import { EsaHub } from './hub.js';
import { SimOrders } from './orders.js';
import { EsaServer } from './server.js';
import { SessionStore, type SessionStoreOptions } from './sessions.js';

/** Options of {@link startBetfairSimulation}. */
export interface BetfairSimulationOptions {
  simulator: ExchangeSimulator;
  host?: string;
  /** Stream port; 0 (default) picks a free one. */
  esaPort?: number;
  /** Identity + JSON-RPC port; 0 (default) picks a free one. */
  apiPort?: number;
  appKey?: string;
  username?: string;
  password?: string;
  sessionTtlMs?: number;
  authTimeoutMs?: number;
  subscriptionLimit?: number;
  maxSegmentBytes?: number;
  historySize?: number;
  /** Publish-time clock; default the simulator's clock is not known here, so Date.now. */
  now?: Clock;
  /** Starting balance of the simulated betting account (default 10 000). */
  balance?: number;
}

/** Connection details for clients (the parts of the `simulate` ready line). */
export interface BetfairSimulationReady {
  esa: { host: string; port: number; caFile: string; appKey: string; session: string };
  api: { url: string };
  identity: { url: string; username: string; password: string };
}

/** A running simulated Betfair. */
export interface BetfairSimulation {
  readonly ready: BetfairSimulationReady;
  readonly esa: EsaServer;
  readonly api: BetfairApiServer;
  readonly hub: EsaHub;
  readonly sessions: SessionStore;
  readonly orders: SimOrders;
  /** The matching engine behind placeOrders & co. */
  readonly engine: MatchingEngine;
  readonly certificate: CertificatePair;
  close(): Promise<void>;
}

/** Starts the stream and HTTP endpoints over a simulator (whose timer the caller starts and stops). */
export async function startBetfairSimulation(opts: BetfairSimulationOptions): Promise<BetfairSimulation> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const certificate = await generateCertificate({ hosts: [host, '127.0.0.1', '::1', 'localhost'] });
  const { dir, caFile } = await writeCaFile(certificate);
  const hub = new EsaHub(
    opts.simulator,
    opts.historySize !== undefined ? { historySize: opts.historySize } : {},
  );
  hub.start();
  const sessions = new SessionStore(sessionOptions(opts));
  const orders = new SimOrders(now);
  const { engine, stopEngine } = startEngine(opts, orders);
  const esa = new EsaServer({
    hub,
    sessions,
    orders,
    certificate,
    host,
    port: opts.esaPort ?? 0,
    now,
    ...(opts.authTimeoutMs !== undefined ? { authTimeoutMs: opts.authTimeoutMs } : {}),
    ...(opts.subscriptionLimit !== undefined ? { subscriptionLimit: opts.subscriptionLimit } : {}),
    ...(opts.maxSegmentBytes !== undefined ? { maxSegmentBytes: opts.maxSegmentBytes } : {}),
  });
  const catalogue = new CatalogueData(opts.simulator, hub.state);
  const betting = new BettingOperations(engine, catalogue);
  const api = new BetfairApiServer({
    catalogue,
    betting,
    sessions,
    orders,
    esa,
    host,
    port: opts.apiPort ?? 0,
  });
  const address = await esa.listen();
  await api.listen();
  const ready = readyOf(address, caFile, sessions, api.urls());
  return {
    ready,
    esa,
    api,
    hub,
    sessions,
    orders,
    engine,
    certificate,
    async close() {
      stopEngine();
      await Promise.all([esa.close(), api.close()]);
      hub.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes the certificate to `ca.pem` (owner-only) in a new temp dir, for clients to trust. */
async function writeCaFile(certificate: CertificatePair): Promise<{ dir: string; caFile: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'oddsgate-esa-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, certificate.cert, { mode: 0o600 });
  return { dir, caFile };
}

/** The session store's options: only those the caller set (the store has its own defaults). */
function sessionOptions(opts: BetfairSimulationOptions): SessionStoreOptions {
  return {
    ...(opts.appKey !== undefined ? { appKey: opts.appKey } : {}),
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.sessionTtlMs !== undefined ? { ttlMs: opts.sessionTtlMs } : {}),
  };
}

/**
 * The matching engine on the simulator's clock: each bet change goes to the stream's order cache, and the
 * engine steps with the simulator until `stopEngine`.
 */
function startEngine(
  opts: BetfairSimulationOptions,
  orders: SimOrders,
): { engine: MatchingEngine; stopEngine: () => void } {
  const sim = opts.simulator;
  const engine = new MatchingEngine(sim, {
    now: () => sim.time,
    ...(opts.balance !== undefined ? { balance: opts.balance } : {}),
  });
  engine.onBet((bet, fills) => orders.betChanged(bet.marketId, bet.selectionId, streamOrder(bet), fills));
  const stopEngine = sim.onStep(() => engine.step());
  return { engine, stopEngine };
}

/** The connection details clients need; issues the session they start with. */
function readyOf(
  address: { host: string; port: number },
  caFile: string,
  sessions: SessionStore,
  urls: { api: string; identity: string },
): BetfairSimulationReady {
  return {
    esa: {
      host: address.host,
      port: address.port,
      caFile,
      appKey: sessions.appKey,
      session: sessions.issue(),
    },
    api: { url: urls.api },
    identity: { url: urls.identity, username: sessions.username, password: sessions.password },
  };
}
