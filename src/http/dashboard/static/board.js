/* The board: live, upcoming and racing cards, each with its main market's ladder, the time of its last
   update, and stale and suspended marks. Events come from /socket-events (every priced event, racing
   included) and /events (the catalogue, with events not priced yet); prices from the `odds` room. */
/* global document, CSS */
import { $, ago, clock, esc } from './util.js';
import { ladderHtml, schedulePatch } from './ladder.js';

/** Sports that only /socket-events lists (the Porqpine contract): shown in the racing section. */
export const RACING = new Set(['Horse Racing', 'Greyhound']);
/** Cards per section. */
const MAX_CARDS = { live: 60, upcoming: 24, racing: 24 };
/** Runners shown on a race card (the event page shows every runner). */
const RACE_ROWS = 6;

export const board = {
  events: new Map(), // event id → event row (normalised)
  main: new Map(), // event id → main market frame
  sport: null, // sport name filter, null for all
  /** Source name → connected, from the last health answer. */
  sources: new Map(),
  wsUp: false,
};

/** One event row from either list, in one shape. */
export function normaliseEvent(row, fromSocket) {
  const id = String(fromSocket ? (row.internal_id ?? row.id) : row.id);
  return {
    id,
    name: row.name,
    sport: row.sport,
    in_play: Boolean(row.in_play),
    start_time: row.start_time || null,
    suspended: /^suspended$/i.test(row.status || ''),
    updatedAt: Number(row.updatedAt) || 0,
    stale: row.stale === true,
    sources: Object.keys(row.sources || {}),
    priced: fromSocket,
  };
}

/** Merges /socket-events and /events rows: the priced row wins (its staleness is judged live). */
export function mergeEvents(socketRows, catalogueRows) {
  const out = new Map();
  for (const r of catalogueRows || []) {
    const e = normaliseEvent(r, false);
    out.set(e.id, e);
  }
  for (const r of socketRows || []) {
    const e = normaliseEvent(r, true);
    const known = out.get(e.id);
    out.set(e.id, known ? { ...known, ...e, start_time: e.start_time || known.start_time } : e);
  }
  return out;
}

/** Which section an event belongs to. */
export function sectionOf(e) {
  if (RACING.has(e.sport)) return 'racing';
  return e.in_play ? 'live' : 'upcoming';
}

/** Rank of a market as an event's main one: match odds, then a race's win market, then any other. */
function mainRank(m) {
  if (m.type === 'MATCH_ODDS') return 3;
  if (m.type === 'WIN') return 2;
  return 1;
}

/** True when `market` should be shown as its event's main market instead of `current`. */
export function isMain(market, current) {
  if (!current || current.market_id === market.market_id) return true;
  return mainRank(market) > mainRank(current);
}

/** When the card's data was last known to change: the event's or its main market's update. */
function asOf(e) {
  const m = board.main.get(e.id);
  return Math.max(e.updatedAt || 0, (m && Number(m.updatedAt)) || 0);
}

/**
 * Why a card's prices cannot be trusted now, or '' when they can: the live connection is down, the server
 * judged its data stale at the last refresh (and nothing changed since), or every source of the event is
 * known and none is connected.
 */
export function staleReason(e) {
  if (!board.wsUp) return 'not connected';
  if (e.stale) return 'stale';
  const known = e.sources.filter((s) => board.sources.has(s));
  if (known.length > 0 && known.every((s) => !board.sources.get(s))) return `${known.join(', ')} down`;
  return '';
}

/** Suspended: the event, or its main market (a closed market says so in its ladder instead). */
function suspended(e) {
  const m = board.main.get(e.id);
  return e.suspended || Boolean(m && m.status === 'SUSPENDED');
}

function startLabel(e) {
  if (e.in_play) return '<span class="tag live">live</span>';
  const t = clock(e.start_time);
  const day = e.start_time && new Date(e.start_time).toDateString() !== new Date().toDateString();
  const weekday = day ? `${new Date(e.start_time).toLocaleDateString(undefined, { weekday: 'short' })} ` : '';
  return t ? `<span class="tag">${esc(weekday + t)}</span>` : '';
}

function cardFlags(e) {
  const reason = staleReason(e);
  return { stale: reason, suspended: suspended(e) };
}

export function cardHtml(e) {
  const m = board.main.get(e.id);
  const rows = RACING.has(e.sport) ? RACE_ROWS : Infinity;
  const more =
    m && (m.selections || []).length > rows
      ? `<a class="more" href="#/event/${esc(e.id)}">+${m.selections.length - rows} more runners</a>`
      : '';
  const body = m
    ? ladderHtml(m, rows) + more
    : `<div class="empty">${e.priced ? 'waiting for prices…' : 'no prices yet'}</div>`;
  const f = cardFlags(e);
  const cls = `ev${f.stale ? ' stale' : ''}${f.suspended ? ' suspended' : ''}`;
  return `<article class="${cls}" data-id="${esc(e.id)}"><header><a href="#/event/${esc(e.id)}">${esc(e.name)}</a><span class="tag">${esc(e.sport)}</span>${startLabel(e)}<span class="tag susp-tag">suspended</span></header>${body}<footer><time class="age" data-as-of="${asOf(e)}">${esc(ago(asOf(e)))}</time><span class="stale-tag" role="status">${esc(f.stale)}</span></footer></article>`;
}

/** The events of a section, filtered by sport, in board order. */
export function sectionEvents(section) {
  const list = [...board.events.values()].filter(
    (e) => sectionOf(e) === section && (!board.sport || e.sport === board.sport),
  );
  list.sort(
    (a, b) =>
      Number(b.in_play) - Number(a.in_play) ||
      String(a.start_time || '~').localeCompare(String(b.start_time || '~')) ||
      a.name.localeCompare(b.name),
  );
  return list.slice(0, MAX_CARDS[section]);
}

const SECTIONS = [
  ['live', 'events', 'No event in play.'],
  ['upcoming', 'upcoming', 'No upcoming event.'],
  ['racing', 'racing', 'No race.'],
];

/**
 * Draws the three sections. A section whose cards are already the right ones in the right order is left as it
 * is (its marks are refreshed by `tick`), so a list refresh does not redraw every ladder or cut moves short.
 */
export function renderBoard() {
  for (const [section, id, none] of SECTIONS) {
    const list = sectionEvents(section);
    const el = $(id);
    const shown = [...el.querySelectorAll(':scope > article.ev')].map((a) => a.dataset.id);
    const same = shown.length === list.length && list.every((e, i) => e.id === shown[i]);
    if (!same || list.length === 0)
      el.innerHTML = list.length ? list.map(cardHtml).join('') : `<div class="empty">${none}</div>`;
    const count = $(`${id}-count`);
    if (count) count.textContent = String(list.length);
  }
  tick();
}

/** Sport chips with live/total counts, racing sports included. */
export function chipsHtml() {
  const bySport = new Map();
  for (const e of board.events.values()) {
    const c = bySport.get(e.sport) || { live: 0, count: 0 };
    c.count++;
    if (e.in_play) c.live++;
    bySport.set(e.sport, c);
  }
  const chips = [`<button data-sport="" aria-pressed="${!board.sport}">All</button>`];
  for (const [name, c] of [...bySport].sort((a, b) => b[1].count - a[1].count)) {
    chips.push(
      `<button data-sport="${esc(name)}" aria-pressed="${board.sport === name}">${esc(name)}<small>${c.live}/${c.count}</small></button>`,
    );
  }
  return chips.join('');
}

/** A pushed market of the `odds` room: kept as its event's main market when it is one, and shown. */
export function onBoardMarket(matchId, market) {
  const current = board.main.get(matchId);
  if (!isMain(market, current)) return;
  board.main.set(matchId, market);
  const e = board.events.get(matchId);
  if (e && e.stale) e.stale = false; // a change just arrived: the server will judge it fresh too
  const card = document.querySelector(`article.ev[data-id="${CSS.escape(matchId)}"]`);
  if (!card || !e) return;
  if (!card.querySelector('table.ladder')) {
    card.outerHTML = cardHtml(e);
    return;
  }
  schedulePatch(market);
  const age = card.querySelector('time.age');
  if (age) age.dataset.asOf = String(asOf(e));
  if (current && current.status !== market.status) refreshFlags(card, e);
}

function refreshFlags(card, e) {
  const f = cardFlags(e);
  card.classList.toggle('stale', Boolean(f.stale));
  card.classList.toggle('suspended', f.suspended);
  const tag = card.querySelector('.stale-tag');
  if (tag && tag.textContent !== f.stale) tag.textContent = f.stale;
}

/** Every second: each card's "updated … ago" and its stale and suspended marks. */
export function tick(now = Date.now()) {
  for (const card of document.querySelectorAll('article.ev')) {
    const e = board.events.get(card.dataset.id);
    if (!e) continue;
    const age = card.querySelector('time.age');
    if (age) {
      const t = asOf(e);
      if (String(t) !== age.dataset.asOf) age.dataset.asOf = String(t);
      const text = ago(t, now);
      if (age.textContent !== text) age.textContent = text;
    }
    refreshFlags(card, e);
  }
}
