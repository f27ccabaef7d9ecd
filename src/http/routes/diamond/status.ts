import type { Event, SourceState, SourceStatus } from '../../../model/index.js';
import type { ReadModel } from '../../../read-model/read-model.js';
import type { SportNames } from '../../../contracts/diamond/game.js';
import { listedEvents, sportNames } from './lists.js';

/** Events of one sport as a source sees them (seed 000 §3.10 `perSport`). */
export interface PerSport {
  etid: number;
  name: string;
  eventCount: number;
}

/** One source in `/status`: the seed's fields, plus additive `kind`, `state`, `connected`, `lastError`, ... */
export interface DiamondSourceStatus {
  source: string;
  sportsPolled: number;
  gamesCount: number;
  perSport: PerSport[];
  kind: string;
  state: SourceState;
  connected: boolean;
  lastError: string | null;
  /** ISO time of the last upstream update, or null. */
  lastUpdateAt: string | null;
  frames: number;
  markets: number;
  /** Sources with a request quota (oddsapi): credits of the monthly quota used and remaining. */
  quota?: { monthlyQuota: number; used: number; remaining: number; periodEndsAt: string };
  /** Sources with a market subscription limit (betfair): markets subscribed, wanted, dropped by the limit. */
  subscription?: { limit: number; subscribed: number; wanted: number; dropped: number };
  /** Sources that read through a domain pool (browser sites): the state of each domain (seed 000 §8). */
  domains?: unknown[];
  /** True when the status comes from an ingest instance that stopped publishing it (down?). */
  stale?: true;
}

/** `/status` data. */
export interface DiamondStatus {
  sources: DiamondSourceStatus[];
  totalGames: number;
  totalSports: number;
  defaultEtid: string;
}

/** The sport `defaultEtid` names when no event is listed (Cricket, the seed's main sport). */
const DEFAULT_ETID = 3;

function quotaOf(st: SourceStatus): Pick<DiamondSourceStatus, 'quota'> {
  const q = st.details['quota'] as Record<string, unknown> | undefined;
  if (!q || typeof q.remaining !== 'number') return {};
  const n = (k: string) => (typeof q[k] === 'number' ? (q[k] as number) : 0);
  const periodEndsAt = typeof q.periodEndsAt === 'string' ? q.periodEndsAt : '';
  return {
    quota: { monthlyQuota: n('monthlyQuota'), used: n('used'), remaining: n('remaining'), periodEndsAt },
  };
}

function perSportOf(events: readonly Event[], names: SportNames): PerSport[] {
  const counts = new Map<number, number>();
  for (const e of events) counts.set(e.sportId, (counts.get(e.sportId) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .map(([etid, eventCount]) => ({ etid, name: names(etid), eventCount }));
}

function subscriptionOf(st: SourceStatus): Pick<DiamondSourceStatus, 'subscription'> {
  const s = st.details['subscription'] as Record<string, unknown> | undefined;
  if (!s || typeof s.limit !== 'number') return {};
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  return {
    subscription: {
      limit: n('limit'),
      subscribed: n('subscribed'),
      wanted: n('wanted'),
      dropped: n('dropped'),
    },
  };
}

function sourceStatus(st: SourceStatus, events: readonly Event[], names: SportNames): DiamondSourceStatus {
  const mine = events.filter((e) => st.source in e.upstreamIds);
  const perSport = perSportOf(mine, names);
  const polled = st.details['sportsPolled'];
  return {
    source: st.source,
    sportsPolled: typeof polled === 'number' ? polled : perSport.length,
    gamesCount: mine.length,
    perSport,
    kind: st.kind,
    state: st.state,
    connected: st.connected,
    lastError: st.lastError,
    lastUpdateAt: st.lastUpdateAt === null ? null : new Date(st.lastUpdateAt).toISOString(),
    frames: st.frames,
    markets: st.markets,
    ...quotaOf(st),
    ...subscriptionOf(st),
    ...(Array.isArray(st.details['domains']) ? { domains: st.details['domains'] as unknown[] } : {}),
    ...(st.details['stale'] === true ? { stale: true as const } : {}),
  };
}

/**
 * `/status` data: every configured source with its listed (not CLOSED) events per sport. `totalGames`
 * and `totalSports` count distinct listed events and their sports across all sources (an event two
 * sources share counts once); `defaultEtid` is the sport with most listed events, as a string.
 */
export function diamondStatus(model: ReadModel, statuses: readonly SourceStatus[]): DiamondStatus {
  const names = sportNames(model);
  const events = listedEvents(model);
  const all = perSportOf(events, names);
  return {
    sources: statuses.map((st) => sourceStatus(st, events, names)),
    totalGames: events.length,
    totalSports: all.length,
    defaultEtid: String(all[0]?.etid ?? DEFAULT_ETID),
  };
}
