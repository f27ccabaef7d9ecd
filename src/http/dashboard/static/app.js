/* oddsgate live dashboard: plain ES module, no build step. Reads /api/v1/feed/* and /api/v1/admin/health,
   and follows prices over /ws (rooms `odds` and `event:<id>`, resumed with `since` after a reconnect). */
/* global document, window, location, localStorage, fetch, WebSocket, requestAnimationFrame, CSS */

const MAX_CARDS = 60;
const KEY_STORE = 'oddsgate.apiKey';
const $ = (id) => document.getElementById(id);

const state = {
  key: localStorage.getItem(KEY_STORE) || '',
  events: new Map(), // id → event summary
  main: new Map(), // event id → main market frame
  sport: null,
  page: null, // event id of the open event page
  ws: null,
  seqs: new Map(), // room → last seq
  retry: 0,
  pending: new Map(), // market id → frame waiting for the next paint
};

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function api(path) {
  const headers = state.key ? { 'x-api-key': state.key } : {};
  const res = await fetch(path, { headers });
  if (res.status === 401) {
    $('keybar').hidden = false;
    throw new Error('API key required');
  }
  return res.json();
}

/* ---------- ladders ---------- */

function cell(side, level, price) {
  const odds = price ? price.odds : '';
  const size = price ? Math.round(price.size) : '';
  return `<td class="p ${side} l${level}" data-side="${side}" data-level="${level}"><b>${esc(odds)}</b><small>${esc(size)}</small></td>`;
}

/** Single-line (fancy) markets: the back column is "Yes", the lay column "No". */
const LINE_TYPES = new Set(['FANCY']);

function sideLabels(market) {
  return LINE_TYPES.has(market.type) ? ['Yes', 'No'] : ['Back', 'Lay'];
}

/** The market's and its runners' states, kept on the table: a change rebuilds it. */
function statusKey(market) {
  return [market.status || '', ...(market.selections || []).map((s) => s.status || '')].join(',');
}

function ladderHtml(market) {
  const [backLabel, layLabel] = sideLabels(market);
  const suspended = market.status && market.status !== 'OPEN';
  const head = `<thead><tr><th class="runner"></th>${[3, 2, 1].map((l) => `<th class="l${l}">${l === 1 ? backLabel : ''}</th>`).join('')}${[1, 2, 3].map((l) => `<th class="l${l}">${l === 1 ? layLabel : ''}</th>`).join('')}</tr></thead>`;
  const rows = (market.selections || []).map((s, i) => {
    const back = [3, 2, 1].map((l) => cell('back', l, (s.back || [])[l - 1])).join('');
    const lay = [1, 2, 3].map((l) => cell('lay', l, (s.lay || [])[l - 1])).join('');
    const off = s.status && s.status !== 'ACTIVE' ? ` class="suspended" title="${esc(s.status)}"` : '';
    return `<tr data-sel="${i}"${off}><td class="runner" title="${esc(s.name)}">${esc(s.name)}</td>${back}${lay}</tr>`;
  });
  const caption = suspended ? `<caption>${esc(market.status)}</caption>` : '';
  return `<table class="ladder${suspended ? ' suspended' : ''}" data-market="${esc(market.market_id)}" data-status="${esc(statusKey(market))}">${caption}${head}<tbody>${rows.join('')}</tbody></table>`;
}

function flash(td) {
  td.classList.remove('flash');
  void td.offsetWidth; // restart the transition
  td.classList.add('flash');
  window.setTimeout(() => td.classList.remove('flash'), 900);
}

/** Writes a market's prices into every table showing it; changed cells flash. */
function patchMarket(market) {
  const tables = document.querySelectorAll(`table.ladder[data-market="${CSS.escape(market.market_id)}"]`);
  for (const table of tables) {
    const rows = table.tBodies[0].rows;
    if (rows.length !== (market.selections || []).length || table.dataset.status !== statusKey(market)) {
      table.outerHTML = ladderHtml(market);
      continue;
    }
    market.selections.forEach((s, i) => {
      for (const td of rows[i].querySelectorAll('td.p')) {
        const level = Number(td.dataset.level);
        const p = (s[td.dataset.side] || [])[level - 1];
        const odds = p ? String(p.odds) : '';
        const size = p ? String(Math.round(p.size)) : '';
        const b = td.firstElementChild;
        const small = td.lastElementChild;
        if (b.textContent !== odds || small.textContent !== size) {
          const moved = b.textContent !== odds;
          b.textContent = odds;
          small.textContent = size;
          if (moved) flash(td);
        }
      }
    });
  }
}

function schedulePatch(market) {
  if (state.pending.size === 0) requestAnimationFrame(flushPatches);
  state.pending.set(market.market_id, market);
}

function flushPatches() {
  const list = [...state.pending.values()];
  state.pending.clear();
  for (const m of list) patchMarket(m);
}

/* ---------- board ---------- */

function isMain(market, current) {
  if (!current) return true;
  if (current.market_id === market.market_id) return true;
  return market.type === 'MATCH_ODDS' && current.type !== 'MATCH_ODDS';
}

function cardHtml(e) {
  const m = state.main.get(String(e.id));
  const live = e.in_play
    ? '<span class="tag live">live</span>'
    : `<span class="tag">${esc((e.start_time || '').slice(11, 16))}</span>`;
  const body = m ? ladderHtml(m) : '<div class="empty">waiting for prices…</div>';
  return `<article class="ev" data-id="${e.id}"><header><a href="#/event/${e.id}">${esc(e.name)}</a><span class="tag">${esc(e.sport)}</span>${live}</header>${body}</article>`;
}

function renderBoard() {
  const list = [...state.events.values()]
    .filter((e) => !state.sport || e.sport === state.sport)
    .sort(
      (a, b) =>
        Number(b.in_play) - Number(a.in_play) || String(a.start_time).localeCompare(String(b.start_time)),
    )
    .slice(0, MAX_CARDS);
  const live = list.some((e) => e.in_play);
  $('board-title').textContent = live ? 'Live events' : 'Upcoming events';
  $('events').innerHTML = list.length
    ? list.map(cardHtml).join('')
    : '<div class="empty">No events yet.</div>';
}

function onBoardMarket(matchId, market) {
  const current = state.main.get(matchId);
  if (!isMain(market, current)) return;
  state.main.set(matchId, market);
  const card = document.querySelector(`article.ev[data-id="${CSS.escape(matchId)}"]`);
  if (!card) return;
  if (!card.querySelector('table.ladder'))
    card.outerHTML = cardHtml(state.events.get(matchId) || { id: matchId, name: matchId });
  else schedulePatch(market);
}

async function loadEvents() {
  const live = await api('/api/v1/feed/events/live');
  let list = live.data || [];
  if (list.length === 0) list = ((await api('/api/v1/feed/events')).data || []).slice(0, MAX_CARDS);
  state.events = new Map(list.map((e) => [String(e.id), e]));
  const odds = await Promise.all(
    list
      .slice(0, MAX_CARDS)
      .filter((e) => !state.main.has(String(e.id)))
      .map((e) => api(`/api/v1/feed/event/${e.id}/odds`).catch(() => null)),
  );
  for (const o of odds) {
    const m = o && o.data && (o.data.match_odds || [])[0];
    if (m) state.main.set(String(o.data.internal_id), m);
  }
  if (!state.page) renderBoard();
}

async function loadSports() {
  const res = await api('/api/v1/feed/sports');
  const chips = [`<button data-sport="" aria-pressed="${!state.sport}">All</button>`];
  for (const s of res.data || []) {
    chips.push(
      `<button data-sport="${esc(s.name)}" aria-pressed="${state.sport === s.name}">${esc(s.name)}<small>${s.live ?? 0}/${s.count}</small></button>`,
    );
  }
  $('sports').innerHTML = chips.join('');
}

async function loadHealth() {
  const res = await api('/api/v1/admin/health').catch(() => null);
  const d = res && res.data;
  if (!d) return;
  const badge = $('health');
  badge.textContent = `${d.status} · ${d.ws_clients} ws`;
  badge.className = `badge ${d.status}`;
  $('sources').innerHTML =
    (d.sources || [])
      .map(
        (s) =>
          `<li><span class="dot ${esc(s.state)}"></span>${esc(s.source)} <small>${esc(s.state)}</small></li>`,
      )
      .concat((d.reasons || []).map((r) => `<li><small>${esc(r)}</small></li>`))
      .join('') || '<li><small>no source</small></li>';
}

/* ---------- event page ---------- */

async function openEvent(id) {
  state.page = id;
  $('board').hidden = true;
  $('sports').hidden = true;
  const el = $('event');
  el.hidden = false;
  el.innerHTML = '<div class="empty">loading…</div>';
  const res = await api(`/api/v1/feed/event/${encodeURIComponent(id)}/odds?view=best`).catch(() => null);
  if (!res || !res.success) {
    el.innerHTML = `<a class="back-link" href="#/">← all events</a><div class="empty">${esc(res ? res.error : 'unavailable')}</div>`;
    return;
  }
  const d = res.data;
  const ev = state.events.get(String(d.internal_id));
  const markets = [...(d.match_odds || []), ...(d.bookmaker || []), ...(d.fancy || [])];
  const best = (d.best || []).filter(
    (b) => new Set([...(b.books || []), ...(b.stale_books || []), ...(b.suspended_books || [])]).size > 1,
  );
  const info = ev
    ? `<p class="tag">${esc(ev.sport)} · ${ev.in_play ? 'in play' : esc(ev.start_time)} · id ${esc(d.internal_id)}${d.bfi ? ` · bfi ${esc(d.bfi)}` : ''}</p>`
    : '';
  el.innerHTML = `<a class="back-link" href="#/">← all events</a><h2>${esc(ev ? ev.name : `Event ${d.internal_id}`)}</h2>${info}
    <div class="markets">${markets.map(marketHtml).join('') || '<div class="empty">No markets.</div>'}</div>
    ${best.length ? `<h2>Best across books</h2>${best.map(bestHtml).join('')}` : ''}`;
  subscribe(`event:${d.internal_id}`);
}

function marketHtml(m) {
  return `<section class="market" data-market-id="${esc(m.market_id)}"><header><b>${esc(m.market_name)}</b><span class="tag">${esc(m.type)}</span><span class="tag">${esc(m.source)}</span><span class="tag">${esc(m.status)}</span></header>${ladderHtml(m)}</section>`;
}

/** A market's best prices across books: decimal odds (a bookmaker's quoted rate beside), or its suspension. */
function bestHtml(b) {
  const suspended = b.status === 'SUSPENDED';
  const price = (p, s) => {
    if (!p) return suspended || s.suspended ? '<small>suspended</small>' : '–';
    const rate = p.rate === undefined ? '' : ` <small>rate ${esc(p.rate)}</small>`;
    return `${esc(p.odds)}${rate} <small>${esc(p.book)}</small>`;
  };
  const rows = (b.selections || []).map(
    (s) =>
      `<tr><td>${esc(s.name)}</td><td>${price(s.best_back, s)}</td><td>${price(s.best_lay, s)}</td></tr>`,
  );
  const tag = suspended ? ' <span class="tag">SUSPENDED</span>' : '';
  return `<table class="best${suspended ? ' suspended' : ''}"><thead><tr><th>${esc(b.market_name)}${tag}</th><th>best back (decimal)</th><th>best lay (decimal)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function onEventMarket(market) {
  if (document.querySelector(`table.ladder[data-market="${CSS.escape(market.market_id)}"]`))
    return schedulePatch(market);
  const grid = document.querySelector('#event .markets');
  if (grid) grid.insertAdjacentHTML('beforeend', marketHtml(market));
}

function closeEvent() {
  if (state.page) unsubscribe(`event:${state.page}`);
  state.page = null;
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
}

function send(frame) {
  if (state.ws && state.ws.readyState === 1) state.ws.send(JSON.stringify(frame));
}

function subscribe(room) {
  if (!state.seqs.has(room)) state.seqs.set(room, null);
  const since = state.seqs.get(room);
  send(since === null ? { action: 'subscribe', room, snapshot: true } : { action: 'subscribe', room, since });
}

function unsubscribe(room) {
  for (const r of [...state.seqs.keys()]) if (r === room || r.startsWith('event:')) state.seqs.delete(r);
  send({ action: 'unsubscribe', room });
}

function onPush(msg) {
  if (typeof msg.seq === 'number' && !msg.snapshot) state.seqs.set(msg.room, msg.seq);
  const data = msg.data;
  if (!data || !data.market_id) {
    if (msg.type === 'event_update' || msg.type === 'remove_match_from_list') state.dirty = true;
    return;
  }
  if (msg.room === 'odds') onBoardMarket(String(msg.matchId), data);
  else if (state.page && msg.room.startsWith('event:')) onEventMarket(data);
}

function onMessage(ev) {
  const msg = JSON.parse(ev.data);
  switch (msg.type) {
    case 'connected':
      state.retry = 0;
      setConn('live', 'live');
      window.setTimeout(loadHealth, 200);
      if (msg.auth === 'required' && state.key) send({ action: 'login', apiKey: state.key });
      for (const room of state.seqs.keys()) subscribe(room);
      return;
    case 'subscribed':
      if (state.seqs.has(msg.room) && state.seqs.get(msg.room) === null) state.seqs.set(msg.room, msg.seq);
      return;
    case 'recovery':
      if (!msg.recovered) state.seqs.set(msg.room, msg.seq);
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
  loadSports().catch(() => undefined);
  loadEvents().catch(() => undefined);
}

$('sports').addEventListener('click', (ev) => {
  const b = ev.target.closest('button');
  if (!b) return;
  state.sport = b.dataset.sport || null;
  for (const x of $('sports').querySelectorAll('button')) x.setAttribute('aria-pressed', String(x === b));
  renderBoard();
});

$('keybar').addEventListener('submit', (ev) => {
  ev.preventDefault();
  state.key = $('key').value.trim();
  localStorage.setItem(KEY_STORE, state.key);
  $('keybar').hidden = true;
  if (state.ws) state.ws.close();
  refresh();
});

window.addEventListener('hashchange', route);
state.seqs.set('odds', null);
refresh();
connect();
route();
window.setInterval(loadHealth, 10000);
window.setInterval(() => {
  if (state.dirty || state.events.size === 0) {
    state.dirty = false;
    loadEvents().catch(() => undefined);
  }
}, 15000);
