/**
 * The simulated site's account-side data, as its app keeps it in localStorage: the casino catalogue,
 * the demo user's open bets, betslip stake buttons, user info and auth tokens (seed 000 §3.9–3.14).
 */
import { hash32 } from '../random.js';
import type { SiteEvent } from './site-data.js';

/** A casino game of the catalogue. */
export interface SiteCasinoGame {
  name: string;
  provider: string;
  gameCode: string;
  gameId: number;
  imageURL: string;
}

/** A casino category with its games. */
export interface SiteCasinoCategory {
  category: string;
  categoryIcon: string;
  games: SiteCasinoGame[];
}

const CDN = 'https://cdn.casino.example/images/casino';

function game(name: string, provider: string, gameCode: string, gameId: number): SiteCasinoGame {
  return { name, provider, gameCode, gameId, imageURL: `${CDN}/${provider}/game/${gameCode}.png` };
}

function category(name: string, games: SiteCasinoGame[]): SiteCasinoCategory {
  return { category: name, categoryIcon: `${CDN}/category/${name}.png`, games };
}

/** The casino catalogue (static: it rarely changes on the real site). */
export function casinoCatalogue(): SiteCasinoCategory[] {
  return [
    category('Lobby', [
      game('Aviator', 'intl', 'spribe_aviator', 201206),
      game('Aura Casino', 'lotus', 'aura_lobby', 82501),
    ]),
    category('Landing', [
      game('Ezugi', 'intl', 'ezugi_lobby', 100001),
      game('Royal Gaming', 'intl', 'royal_lobby', 100002),
      game('Evolution', 'intl', 'evo_lobby', 100003),
    ]),
    category('TopSlider', [
      game('Teen Patti', 'mac', 'mac_teenpatti', 300101),
      game('Andar Bahar', 'mac', 'mac_andarbahar', 300102),
      game('Dragon Tiger', 'mac', 'mac_dragontiger', 300103),
    ]),
    category('NewSlider', [
      game('Lucky 7', 'lotus', 'lotus_lucky7', 82502),
      game('32 Cards', 'lotus', 'lotus_32c', 82503),
    ]),
    category('YoFooter', [
      game('Promotions', 'internal', '/promotions', 0),
      game('Rules', 'internal', '/rules', 0),
    ]),
  ];
}

/** A token-shaped opaque string (never a real credential). */
export function fakeJwt(seed: number, kind: string, now: number): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify({ sub: 'demo', kind, iat: Math.floor(now / 1000) })).toString(
    'base64url',
  );
  const sig = hash32(seed, kind, Math.floor(now / 3_600_000))
    .toString(16)
    .padStart(8, '0');
  return `${head}.${body}.${sig}`;
}

/** The demo user's open bets on listed events (a few, stable per event). */
export function openBets(
  events: readonly SiteEvent[],
  seed: number,
): {
  balance: number;
  exposure: number;
  bets: Record<string, unknown>[];
} {
  const bets = events.slice(0, 3).map((e, i) => {
    const lay = i % 2 === 1;
    const rate = e.summaryMarkets[0]?.runners[0]?.back[0]?.odds ?? 2;
    const stake = 500 + (hash32(seed, 'stake', e.gmid) % 4000);
    const lossIfLay = Math.round(stake * (rate - 1));
    return {
      betId: String(30_000_000 + (hash32(seed, 'bet', e.gmid) % 1_000_000)),
      betTitle: e.cname,
      sportId: e.etid,
      eventId: e.gmid,
      marketId: Number(e.summaryMarkets[0]?.mid ?? 0),
      marketName: 'Match Odds',
      betType: lay ? 'Lay' : 'Back',
      betRate: rate,
      stake,
      expectedProfit: lay ? stake : Math.round(stake * (rate - 1)),
      expectedLoss: lay ? lossIfLay : stake,
      placeTime: '2026-11-21 14:16:40',
      eventStartTime: e.stime.replace('T', ' ').slice(0, 19),
    };
  });
  const exposure = bets.reduce((t, b) => t + (b.betType === 'Back' ? b.stake : b.expectedLoss), 0);
  return { balance: 0, exposure, bets };
}

/** Betslip stake buttons. */
export function stakeButtons(): {
  title: string;
  value: number;
  index: number;
  creationTime: string;
  id: number;
}[] {
  return [
    { title: '100', value: 100, index: 0, creationTime: '2026-11-15T09:10:55.2421071', id: 420398 },
    { title: '500', value: 500, index: 1, creationTime: '2026-11-15T09:10:55.2421104', id: 420399 },
    { title: '1k', value: 1000, index: 2, creationTime: '2026-11-15T09:10:55.2421122', id: 420400 },
    { title: '5k', value: 5000, index: 3, creationTime: '2026-11-15T09:10:55.2421140', id: 420401 },
  ];
}

/** User info and preferences (seed 000 §3.13). */
export function userInfo(exposure: number, casinoToken: string): Record<string, unknown> {
  return {
    football: true,
    tennis: true,
    cricket: true,
    election: true,
    horseRacing: true,
    kabaddi: false,
    trade: true,
    aura: true,
    international: true,
    mac: true,
    king: true,
    casinoToken,
    balance: 0,
    exposure,
    stakes: stakeButtons().map(({ title, value, id }) => ({ title, value, id })),
  };
}

/** Auth tokens and base URLs (seed 000 §3.14). */
export function authTokens(seed: number, now: number, baseUrl: string): Record<string, unknown> {
  return {
    casinoToken: fakeJwt(seed, 'casino', now),
    accessToken: fakeJwt(seed, 'access', now),
    baseUrl,
    domainSetting: { casinoUrl: 'https://aura.casino.example/{token}', theme: 'dark', currency: 'INR' },
  };
}
