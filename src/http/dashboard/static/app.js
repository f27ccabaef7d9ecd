/* oddsgate live dashboard: plain ES modules, no build step. Reads /api/v1/feed/* and /api/v1/admin/health,
   and follows prices over /ws (rooms `odds`, `arbs` and `event:<id>`, resumed with `since` after a
   reconnect). Modules: util.js (fetch, escaping), ladder.js (ladders and price moves), board.js (live,
   upcoming and racing cards), panels.js (arbitrage, results, search). */
/* global document, window, location, localStorage, WebSocket, CSS */
import { $, api, auth, esc, KEY_STORE } from './util.js';
import { bestHtml, ladderHtml, schedulePatch } from './ladder.js';
import { board, chipsHtml, mergeEvents, onBoardMarket, renderBoard, tick } from './board.js';
import { applyArbPush, arbs, arbsHtml, resultsHtml, searchHtml, setArbs } from './panels.js';

// Price charts (chart.js, with uPlot) load on their own: without them the page works as before.
let charts = null;
import('./chart.js').then((m) => (charts = m)).catch(() => undefined);

const state = {
  page: null, // event id of the open event page
  ws: null,
  seqs: new Map(), // room → last seq
  epoch: null, // the update log's epoch the seqs belong to (servers that publish one)
  retry: 0,
};

/* ---------- lists ---------- */

async function loadEvents() {
  const [live, catalogue] = await Promise.all([
    api('/api/v1/feed/socket-events'),
    api('/api/v1/feed/events').catch(() => null),
  ]);
  board.events = mergeEvents(live.data, catalogue && catalogue.data);
  $('sports').innerHTML = chipsHtml();
  if (!state.page) renderBoard();
}

async function loadHealth() {
  const res = await api('/api/v1/admin/health').catch(() => null);
  const d = res && res.data;
  if (!d) return;
  const badge = $('health');
  badge.textContent = `${d.status} · ${d.ws_clients} ws`;
  badge.className = `badge ${d.status}`;
  board.sources = new Map((d.sources || []).map((s) => [s.source, s.state === 'connected']));
  $('sources').innerHTML =
    (d.sources || [])
      .map(
        (s) =>
          `<li data-source="${esc(s.source)}"><span class="dot ${esc(s.state)}"></span>${esc(s.source)} <small>${esc(s.state)}</small></li>`,
      )
      .concat((d.reasons || []).map((r) => `<li><small>${esc(r)}</small></li>`))
      .join('') || '<li><small>no source</small></li>';
  tick();
}

async function loadArbs() {
  const res = await api('/api/v1/feed/arbs').catch(() => null);
  if (res && res.success) setArbs(res.data);
  renderArbs();
}

function renderArbs() {
  $('arbs').innerHTML = arbsHtml();
  $('arbs-count').textContent = String(arbs.size);
}

async function loadResults() {
  const res = await api('/api/v1/feed/results?limit=10').catch(() => null);
  if (res && res.success) $('results').innerHTML = resultsHtml(res.data);
}

let resultsTimer = 0;

/** A market closed: its result is settled within moments, so the list is read again shortly. */
function resultsSoon() {
  if (resultsTimer) return;
  resultsTimer = window.setTimeout(() => {
    resultsTimer = 0;
    loadResults();
  }, 2000);
}

/* ---------- search ---------- */

let searchTimer = 0;
let searchSeq = 0;

async function runSearch(q) {
  const mine = ++searchSeq;
  const list = $('search-results');
  if (q.length < 2) {
    list.hidden = true;
    list.innerHTML = '';
    return;
  }
  const body = await api(`/api/v1/feed/search?q=${encodeURIComponent(q)}&limit=10`).catch((e) => ({
    success: false,
    error: String(e.message || e),
  }));
  if (mine !== searchSeq) return; // a later query answered first
  list.innerHTML = searchHtml(body);
  list.hidden = false;
}

/* ---------- event page ---------- */

async function openEvent(id) {
  state.page = id;
  $('board').hidden = true;
  $('sports').hidden = true;
  const el = $('event');
  el.hidden = false;
  el.innerHTML = '<div class="empty">loading…</div>';
  const [res, info] = await Promise.all([
    api(`/api/v1/feed/event/${encodeURIComponent(id)}/odds?view=best`).catch(() => null),
    api(`/api/v1/feed/event/${encodeURIComponent(id)}`).catch(() => null),
  ]);
  if (state.page !== id) return; // the user moved on
  if (!res || !res.success) {
    el.innerHTML = `<a class="back-link" href="#/">← all events</a><div class="empty">${esc(res ? res.error : 'unavailable')}</div>`;
    return;
  }
  const d = res.data;
  // The event's own record names it (a deep link opens before, or without, the board's lists).
  const ev = (info && info.success && info.data.event) || board.events.get(String(d.internal_id));
  const name = ev ? ev.name : `Event ${d.internal_id}`;
  document.title = `${name} · oddsgate`;
  const markets = [...(d.match_odds || []), ...(d.bookmaker || []), ...(d.fancy || [])];
  const best = (d.best || []).filter(
    (b) => new Set([...(b.books || []), ...(b.stale_books || []), ...(b.suspended_books || [])]).size > 1,
  );
  const start = ev && Date.parse(ev.start_time || '');
  const when = ev
    ? ev.in_play
      ? 'in play'
      : Number.isFinite(start)
        ? new Date(start).toLocaleString()
        : ''
    : '';
  const meta = ev
    ? `<p class="tag">${esc(ev.sport)} · ${esc(when)} · id ${esc(d.internal_id)}${d.bfi ? ` · bfi ${esc(d.bfi)}` : ''}</p>`
    : '';
  el.innerHTML = `<a class="back-link" href="#/">← all events</a><h2 id="event-name">${esc(name)}</h2>${meta}
    <div class="markets">${markets.map(marketHtml).join('') || '<div class="empty">No markets.</div>'}</div>
    ${best.length ? `<h2>Best across books</h2>${best.map(bestHtml).join('')}` : ''}`;
  subscribe(`event:${d.internal_id}`);
  charts?.showCharts(d.internal_id, el, api); // price history per runner (chart.js)
}

function marketHtml(m) {
  return `<section class="market" data-market-id="${esc(m.market_id)}"><header><b>${esc(m.market_name)}</b><span class="tag">${esc(m.type)}</span><span class="tag">${esc(m.source)}</span><span class="tag mstatus">${esc(m.status)}</span></header>${ladderHtml(m)}</section>`;
}

function onEventMarket(market) {
  const shown = document.querySelector(
    `#event section.market[data-market-id="${CSS.escape(market.market_id)}"]`,
  );
  if (shown) {
    const tag = shown.querySelector('.mstatus');
    if (tag && tag.textContent !== market.status) tag.textContent = market.status;
    return schedulePatch(market);
  }
  const grid = document.querySelector('#event .markets');
  if (!grid) return;
  const none = grid.querySelector(':scope > .empty');
  if (none) none.remove();
  grid.insertAdjacentHTML('beforeend', marketHtml(market));
}

function closeEvent() {
  charts?.closeCharts();
  if (state.page) unsubscribe(`event:${state.page}`);
  state.page = null;
  document.title = 'oddsgate live';
  $('event').hidden = true;
  $('board').hidden = false;
  $('sports').hidden = false;
  renderBoard();
}

function route() {
  const m = /^#\/event\/([A-Za-z0-9._:-]+)$/.exec(location.hash);
  if (m) openEvent(m[1]);
  else if (state.page) closeEvent();
}

/* ---------- WebSocket ---------- */

function setConn(s, text) {
  const el = $('conn');
  el.dataset.state = s;
  el.textContent = text;
  board.wsUp = s === 'live';
  tick();
}

function send(frame) {
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
}

function subscribe(room) {
  if (!state.seqs.has(room)) state.seqs.set(room, null);
  const since = state.seqs.get(room);
  const epoch = state.epoch === null ? {} : { epoch: state.epoch };
  send(
    since === null
      ? { action: 'subscribe', room, snapshot: true }
      : { action: 'subscribe', room, since, ...epoch },
  );
}

function unsubscribe(room) {
  for (const r of [...state.seqs.keys()]) if (r === room) state.seqs.delete(r);
  send({ action: 'unsubscribe', room });
}

function onPush(msg) {
  if (typeof msg.seq === 'number' && !msg.snapshot) state.seqs.set(msg.room, msg.seq);
  if (msg.room === 'arbs') {
    applyArbPush(msg.type, msg.data);
    return renderArbs();
  }
  const data = msg.data;
  if (!data || !data.market_id) return;
  if (data.status === 'CLOSED' && !msg.snapshot) resultsSoon();
  if (msg.room === 'odds') onBoardMarket(String(msg.matchId), data);
  else if (state.page && msg.room.startsWith('event:')) {
    onEventMarket(data);
    charts?.chartPush(data, msg.ts);
  }
}

function onMessage(ev) {
  const msg = JSON.parse(ev.data);
  switch (msg.type) {
    case 'connected':
      state.retry = 0;
      setConn('live', 'live');
      window.setTimeout(loadHealth, 200);
      if (msg.auth === 'required' && auth.key) send({ action: 'login', apiKey: auth.key });
      if (typeof msg.epoch === 'string') {
        // Another log (a restarted or reset server): positions of the old one mean nothing there.
        if (state.epoch !== null && msg.epoch !== state.epoch) {
          for (const room of state.seqs.keys()) state.seqs.set(room, null);
          loadArbs();
        }
        state.epoch = msg.epoch;
      }
      for (const room of state.seqs.keys()) subscribe(room);
      return;
    case 'subscribed':
      if (state.seqs.has(msg.room) && state.seqs.get(msg.room) === null) state.seqs.set(msg.room, msg.seq);
      return;
    case 'recovery':
      if (!msg.recovered) state.seqs.set(msg.room, msg.seq);
      if (!msg.recovered && msg.room === 'arbs') loadArbs(); // a gap: the list is re-read whole
      return;
    case 'error':
      if (msg.code === 'AUTH_REQUIRED') $('keybar').hidden = false;
      return;
    default:
      if (msg.room) onPush(msg);
  }
}

function connect() {
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${proto}://${location.host}/ws`);
  state.ws = ws;
  ws.onmessage = onMessage;
  ws.onclose = (ev) => {
    setConn('down', ev.code === 4001 ? 'bad API key' : 'reconnecting');
    if (ev.code === 4001) $('keybar').hidden = false;
    const delay = Math.min(10000, 500 * 2 ** state.retry++) * (0.5 + Math.random());
    window.setTimeout(connect, delay);
  };
}

/* ---------- start ---------- */

function refresh() {
  loadHealth();
  loadEvents().catch(() => undefined);
  loadArbs();
  loadResults();
}

$('sports').addEventListener('click', (ev) => {
  const b = ev.target.closest('button');
  if (!b) return;
  board.sport = b.dataset.sport || null;
  for (const x of $('sports').querySelectorAll('button')) x.setAttribute('aria-pressed', String(x === b));
  renderBoard();
});

$('search').addEventListener('input', (ev) => {
  window.clearTimeout(searchTimer);
  const q = ev.target.value.trim();
  searchTimer = window.setTimeout(() => runSearch(q), 250);
});
$('search').addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape') {
    ev.target.value = '';
    runSearch('');
  }
});
$('search-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  runSearch($('search').value.trim());
});
$('search-results').addEventListener('click', (ev) => {
  if (ev.target.closest('a')) $('search-results').hidden = true;
});
document.addEventListener('click', (ev) => {
  if (!ev.target.closest('#search-form')) $('search-results').hidden = true;
});

$('keybar').addEventListener('submit', (ev) => {
  ev.preventDefault();
  auth.key = $('key').value.trim();
  localStorage.setItem(KEY_STORE, auth.key);
  $('keybar').hidden = true;
  if (state.ws) state.ws.close();
  refresh();
});

window.addEventListener('hashchange', route);
state.seqs.set('odds', null);
state.seqs.set('arbs', null);
refresh();
connect();
route();
window.setInterval(tick, 1000);
window.setInterval(loadHealth, 5000);
window.setInterval(() => loadEvents().catch(() => undefined), 15000);
window.setInterval(loadArbs, 30000);
window.setInterval(loadResults, 30000);
