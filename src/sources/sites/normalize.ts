/**
 * The site normalizer: pure functions from what the browser read — localStorage values and match-page
 * scrapes — to model events and markets. No I/O, no clocks: times come in as arguments. Upstream ids are
 * kept (`gmid` is the upstream event id; market ids are `<source>:<upstream id>`), amounts such as "42k"
 * are parsed to numbers here.
 */
import type {
  MarketStatus,
  PriceLevel,
  Runner,
  RunnerStatus,
  SourceEventFields,
  SourceMarket,
} from '../../model/index.js';
import { splitTeams } from '../../model/index.js';
import type { SiteProfile } from './profile.js';
import {
  scrapedMarketId,
  type MarketKind,
  type ScrapedLevel,
  type ScrapedMarket,
  type ScrapeResult,
} from './scraped.js';
import { arr, bool, getPath, isoTime, linkOf, nameId, parseAmount, parseJson, str } from './values.js';

/** localStorage values read from the page, by key (null when the key is absent). */
export type StorageSnapshot = Record<string, string | null>;

/** A normalized event with its upstream id. */
export interface SiteEventUpdate {
  upstreamEventId: string;
  /** The site's own sport id (for match-page URLs). */
  siteSportId: string;
  event: SourceEventFields;
}

/** A normalized market with the upstream id of its event. */
export interface SiteMarketUpdate {
  upstreamEventId: string;
  market: SourceMarket;
}

/** Everything a storage snapshot holds for the model. */
export interface NormalizedStorage {
  events: SiteEventUpdate[];
  markets: SiteMarketUpdate[];
  /** Keys that were missing or not valid JSON (for status). */
  problems: string[];
}

/** Every localStorage key the profile reads. */
export function storageKeys(profile: SiteProfile): string[] {
  const s = profile.storage;
  const keys = [
    s.sports.key,
    s.events.key,
    s.casino.key,
    s.openBets.key,
    s.betslips.key,
    s.userInfo.key,
    s.tokens.key,
  ];
  return [...new Set([...keys, profile.app.refreshedKey])];
}

const TYPE_BY_KIND: Readonly<Record<MarketKind, string>> = {
  MatchOdds: 'MATCH_ODDS',
  BookMaker: 'BOOKMAKER',
  Fancy: 'FANCY',
};

function marketStatus(v: unknown): MarketStatus {
  const s = str(v).toUpperCase();
  if (s === 'OPEN' || s === 'ACTIVE' || s === 'NORMAL' || s === '') return 'OPEN';
  if (s === 'CLOSED' || s === 'SETTLED') return 'CLOSED';
  if (s === 'INACTIVE') return 'INACTIVE';
  return 'SUSPENDED';
}

function runnerStatus(v: unknown): RunnerStatus {
  const s = str(v).toUpperCase();
  if (s === 'ACTIVE' || s === 'OPEN' || s === 'NORMAL' || s === '') return 'ACTIVE';
  if (s === 'WINNER' || s === 'LOSER' || s === 'REMOVED') return s;
  return 'SUSPENDED';
}

/** Price levels with a positive price and a non-negative size; others (blank boxes) are dropped. */
export function priceLevels(raw: readonly { price: unknown; size: unknown }[]): PriceLevel[] {
  const out: PriceLevel[] = [];
  for (const l of raw) {
    const price = parseAmount(l.price);
    const size = parseAmount(l.size);
    if (Number.isFinite(price) && price > 0)
      out.push({ price, size: Number.isFinite(size) && size > 0 ? size : 0 });
  }
  return out;
}

function runner(
  fields: { id: number; name: string; status: RunnerStatus; back: PriceLevel[]; lay: PriceLevel[] },
  i: number,
): Runner {
  return {
    selectionId: fields.id,
    handicap: 0,
    name: fields.name,
    status: fields.status,
    sortPriority: i + 1,
    back: fields.back,
    lay: fields.lay,
    ltp: null,
    tv: 0,
    bsp: null,
    adjustmentFactor: null,
  };
}

function idOf(v: unknown, name: string): number {
  const n = Number(str(v));
  return Number.isSafeInteger(n) && n > 0 ? n : nameId(name);
}

function nullableAmount(v: unknown): number | null {
  const n = parseAmount(v);
  return Number.isFinite(n) ? n : null;
}

interface MarketContext {
  source: string;
  inPlay: boolean;
  startTime: string | null;
  publishedAt: number | null;
}

/** A summary market of an event from localStorage. */
export function storageMarket(profile: SiteProfile, raw: unknown, ctx: MarketContext): SourceMarket | null {
  const f = profile.storage.market;
  const mid = str(getPath(raw, f.id));
  if (!mid) return null;
  const type = str(getPath(raw, f.type)).toUpperCase() || 'MATCH_ODDS';
  const ladder = (v: unknown) =>
    priceLevels(arr(v).map((l) => ({ price: getPath(l, f.price), size: getPath(l, f.size) })));
  const runners = arr(getPath(raw, f.runners)).map((r, i) => {
    const name = str(getPath(r, f.runnerName));
    const back = ladder(getPath(r, f.back));
    const lay = ladder(getPath(r, f.lay));
    return runner(
      {
        id: idOf(getPath(r, f.runnerId), name),
        name,
        status: runnerStatus(getPath(r, f.runnerStatus)),
        back,
        lay,
      },
      i,
    );
  });
  return {
    id: `${ctx.source}:${mid}`,
    source: ctx.source,
    type,
    name: str(getPath(raw, f.name)) || 'Match Odds',
    status: marketStatus(getPath(raw, f.status)),
    inPlay: ctx.inPlay,
    minStake: nullableAmount(getPath(raw, f.minStake)),
    maxStake: nullableAmount(getPath(raw, f.maxStake)),
    totalMatched: 0,
    numberOfWinners: type === 'FANCY' ? null : 1,
    startTime: ctx.startTime,
    runners,
    publishedAt: ctx.publishedAt,
  };
}

/** An event from localStorage; null when it has no id or no valid start time. */
export function storageEvent(profile: SiteProfile, raw: unknown): SiteEventUpdate | null {
  const f = profile.storage.events.fields;
  const id = str(getPath(raw, f.id));
  const startTime = isoTime(getPath(raw, f.startTime));
  if (!id || !startTime) return null;
  const siteSport = str(getPath(raw, f.sportId));
  const name = str(getPath(raw, f.name));
  const competition = str(getPath(raw, f.competition));
  const inPlay = bool(getPath(raw, f.inPlay));
  const { team1, team2 } = splitTeams(name);
  return {
    upstreamEventId: id,
    siteSportId: siteSport,
    event: {
      sportId: profile.sportIds[siteSport] ?? (Number(siteSport) || 0),
      name,
      competition: competition ? { id: null, name: competition } : null,
      team1,
      team2,
      startTime,
      status: inPlay ? 'IN_PLAY' : 'OPEN',
      inPlay,
      hasFancy: bool(getPath(raw, f.hasFancy)),
      hasBookmaker: bool(getPath(raw, f.hasBookmaker)),
      scoreUrl: linkOf(getPath(raw, f.scoreUrl)),
    },
  };
}

/** The value a storage slot points at, or undefined (and a problem noted) when missing or invalid. */
export function slotValue(
  snapshot: StorageSnapshot,
  slot: { key: string; path: string },
  problems?: string[],
): unknown {
  const parsed = parseJson(snapshot[slot.key]);
  const v = parsed === undefined ? undefined : getPath(parsed, slot.path);
  if (v === undefined)
    problems?.push(`localStorage "${slot.key}"${slot.path ? ` at "${slot.path}"` : ''} missing or invalid`);
  return v;
}

/** Events and summary markets of a storage snapshot. `publishedAt` is the app's refresh time when known. */
export function normalizeStorage(
  profile: SiteProfile,
  source: string,
  snapshot: StorageSnapshot,
): NormalizedStorage {
  const problems: string[] = [];
  const rawEvents = arr(slotValue(snapshot, profile.storage.events, problems));
  const refreshed = Number(snapshot[profile.app.refreshedKey]);
  const publishedAt = Number.isFinite(refreshed) && refreshed > 0 ? refreshed : null;
  const events: SiteEventUpdate[] = [];
  const markets: SiteMarketUpdate[] = [];
  for (const raw of rawEvents) {
    const ev = storageEvent(profile, raw);
    if (!ev) continue;
    events.push(ev);
    const ctx = { source, inPlay: ev.event.inPlay ?? false, startTime: ev.event.startTime, publishedAt };
    for (const m of arr(getPath(raw, profile.storage.events.fields.markets))) {
      const market = storageMarket(profile, m, ctx);
      if (market) markets.push({ upstreamEventId: ev.upstreamEventId, market });
    }
  }
  return { events, markets, problems };
}

function scrapedLevels(levels: readonly ScrapedLevel[]): PriceLevel[] {
  return priceLevels(levels);
}

function scrapedMarket(
  source: string,
  gmid: string,
  m: ScrapedMarket,
  ctx: Omit<MarketContext, 'source'>,
): SourceMarket {
  const runners = m.runners.map((r, i) => {
    const name = m.kind === 'Fancy' && m.runners.length === 1 ? m.name || r.name : r.name;
    return runner(
      {
        id: idOf(r.id, name),
        name,
        status: r.suspended ? 'SUSPENDED' : 'ACTIVE',
        back: scrapedLevels(r.back),
        lay: scrapedLevels(r.lay),
      },
      i,
    );
  });
  const type = TYPE_BY_KIND[m.kind];
  return {
    id: scrapedMarketId(source, gmid, m),
    source,
    type,
    name: m.name || (m.kind === 'MatchOdds' ? 'Match Odds' : m.kind),
    status: runners.length > 0 && runners.every((r) => r.status === 'SUSPENDED') ? 'SUSPENDED' : 'OPEN',
    inPlay: ctx.inPlay,
    minStake: nullableAmount(m.minStake),
    maxStake: nullableAmount(m.maxStake),
    totalMatched: 0,
    numberOfWinners: m.kind === 'Fancy' ? null : 1,
    startTime: ctx.startTime,
    runners,
    publishedAt: ctx.publishedAt,
  };
}

/** Markets of a match-page scrape (Match Odds, BookMaker and every Fancy line as its own market). */
export function normalizeScrape(
  source: string,
  scrape: ScrapeResult,
  ctx: { inPlay: boolean; startTime: string | null },
): SiteMarketUpdate[] {
  return scrape.markets.map((m) => ({
    upstreamEventId: scrape.gmid,
    market: scrapedMarket(source, scrape.gmid, m, { ...ctx, publishedAt: scrape.at }),
  }));
}
