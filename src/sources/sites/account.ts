/**
 * The account side of a site (seed 000 §3.9, §3.11–3.14): casino catalogue, open bets, betslips, user
 * info and tokens, read from the same localStorage snapshot as the events. Pure.
 */
import type { SiteProfile } from './profile.js';
import { slotValue, type StorageSnapshot } from './normalize.js';
import { arr, parseAmount, str } from './values.js';

type Obj = Record<string, unknown>;

/** A casino game of the catalogue. */
export interface CasinoGame {
  name: string;
  provider: string;
  gameCode: string;
  gameId: number | null;
  imageURL: string;
}

/** A casino category with its games. */
export interface CasinoCategory {
  category: string;
  categoryIcon: string;
  games: CasinoGame[];
}

/** The demo account's open bets. */
export interface OpenBets {
  balance: number;
  exposure: number;
  openBets: Obj[];
}

/** What a site holds about the logged-in account; null parts were not in storage. */
export interface SiteAccountData {
  source: string;
  /** Epoch ms of the snapshot. */
  updatedAt: number;
  casino: CasinoCategory[];
  openBets: OpenBets | null;
  betslips: Obj[];
  userInfo: Obj | null;
  /** Secrets: served only to admin callers and never logged. */
  tokens: Obj | null;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number {
  const n = parseAmount(v);
  return Number.isFinite(n) ? n : 0;
}

function casinoGame(g: unknown): CasinoGame | null {
  if (!isObj(g)) return null;
  const id = Number(g.gameId);
  return {
    name: str(g.name),
    provider: str(g.provider),
    gameCode: str(g.gameCode),
    gameId: Number.isFinite(id) ? id : null,
    imageURL: str(g.imageURL ?? g.image),
  };
}

function casino(v: unknown): CasinoCategory[] {
  return arr(v)
    .filter(isObj)
    .map((c) => ({
      category: str(c.category ?? c.name),
      categoryIcon: str(c.categoryIcon ?? c.icon),
      games: arr(c.games)
        .map(casinoGame)
        .filter((g): g is CasinoGame => g !== null),
    }));
}

function openBets(v: unknown): OpenBets | null {
  if (Array.isArray(v)) return { balance: 0, exposure: 0, openBets: v.filter(isObj) };
  if (!isObj(v)) return null;
  const list = [v.openBets, v.bets, v.data].find(Array.isArray) ?? [];
  return { balance: num(v.balance), exposure: num(v.exposure), openBets: list.filter(isObj) };
}

/** The account data of a storage snapshot taken at `at`. */
export function accountData(
  profile: SiteProfile,
  source: string,
  snapshot: StorageSnapshot,
  at: number,
): SiteAccountData {
  const s = profile.storage;
  const userInfo = slotValue(snapshot, s.userInfo);
  const tokens = slotValue(snapshot, s.tokens);
  return {
    source,
    updatedAt: at,
    casino: casino(slotValue(snapshot, s.casino)),
    openBets: openBets(slotValue(snapshot, s.openBets)),
    betslips: arr(slotValue(snapshot, s.betslips)).filter(isObj),
    userInfo: isObj(userInfo) ? userInfo : null,
    tokens: isObj(tokens) ? tokens : null,
  };
}
