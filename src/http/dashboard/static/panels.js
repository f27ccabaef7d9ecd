/* Side panels: arbitrage across books (/api/v1/feed/arbs and the `arbs` room), recent results
   (/api/v1/feed/results) and search results (/api/v1/feed/search). */
import { ago, clock, esc } from './util.js';

/** Current arbitrages by id. */
export const arbs = new Map();

const num = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

/**
 * An arbitrage as the REST list spells it (snake_case). Pushes of the `arbs` room have used the
 * ArbOpportunity's own camelCase names; both are read, so the panel works with either server.
 */
export function normaliseArb(a) {
  const pick = (snake, camel) => (a[snake] !== undefined ? a[snake] : a[camel]);
  return {
    id: String(a.id),
    internal_id: String(pick('internal_id', 'eventId') ?? ''),
    event_name: pick('event_name', 'eventName') || '',
    market_name: pick('market_name', 'marketName') || a.market || '',
    in_play: Boolean(pick('in_play', 'inPlay')),
    edge_pct: num(pick('edge_pct', 'edgePct')) ?? 0,
    profit: num(a.profit),
    total: num(a.total),
    legs: (a.legs || []).map((l) => ({
      name: l.name,
      odds: num(l.odds) ?? num(l.price),
      rate: l.rate,
      book: l.book,
      stake: num(l.stake),
    })),
  };
}

/** Applies an `arb_opened` / `arb_updated` / `arb_closed` push. */
export function applyArbPush(type, data) {
  if (!data || data.id === undefined) return;
  if (type === 'arb_closed') arbs.delete(String(data.id));
  else arbs.set(String(data.id), normaliseArb(data));
}

/** Replaces the list with a REST answer. */
export function setArbs(list) {
  arbs.clear();
  for (const a of list || []) arbs.set(String(a.id), normaliseArb(a));
}

function legHtml(l) {
  const rate = l.rate === undefined ? '' : ` <small>(rate ${esc(l.rate)})</small>`;
  const stake = l.stake === null ? '' : ` <small>stake ${esc(l.stake.toFixed(2))}</small>`;
  return `<li>${esc(l.name)} <b>${esc(l.odds)}</b>${rate} <small>${esc(l.book)}</small>${stake}</li>`;
}

export function arbHtml(a) {
  const profit =
    a.profit === null || a.total === null
      ? ''
      : ` <small>profit ${esc(a.profit.toFixed(2))} on ${esc(a.total)}</small>`;
  const live = a.in_play ? ' <span class="tag live">live</span>' : '';
  return `<li class="arb" data-arb="${esc(a.id)}"><div><a href="#/event/${esc(a.internal_id)}">${esc(a.event_name)}</a>${live}</div><div><span class="edge">+${esc(a.edge_pct.toFixed(2))}%</span> ${esc(a.market_name)}${profit}</div><ul class="legs">${a.legs.map(legHtml).join('')}</ul></li>`;
}

/** The panel's list, best edge first. */
export function arbsHtml() {
  const list = [...arbs.values()].sort((a, b) => b.edge_pct - a.edge_pct || a.id.localeCompare(b.id));
  return list.length ? list.map(arbHtml).join('') : '<li class="empty">No arbitrage across books now.</li>';
}

/** A final score as the results list gives it (text, or an object of team scores). */
function scoreText(s) {
  if (s === null || s === undefined) return '';
  if (typeof s !== 'object') return String(s);
  const parts = Object.entries(s)
    .filter(([, v]) => typeof v !== 'object')
    .map(([k, v]) => `${k} ${v}`);
  return parts.join(' · ');
}

export function resultHtml(r, now = Date.now()) {
  const score = scoreText(r.final_scores);
  const winner = r.winner ? `won by <b>${esc(r.winner)}</b>` : 'no winner known';
  return `<li class="result" data-id="${esc(r.internal_id)}"><div>${esc(r.name)} <span class="tag">${esc(r.sport)}</span></div><div><small>${winner}${score ? ` · ${esc(score)}` : ''} · <time>${esc(ago(Date.parse(r.completed_at), now))}</time></small></div></li>`;
}

export function resultsHtml(list) {
  return list && list.length
    ? list.map((r) => resultHtml(r)).join('')
    : '<li class="empty">No result yet.</li>';
}

export function searchHtml(body) {
  if (!body || !body.success) return `<li class="empty">${esc((body && body.error) || 'search failed')}</li>`;
  if (!body.data.length) return `<li class="empty">Nothing matches “${esc(body.query)}”.</li>`;
  return body.data
    .map((e) => {
      const when = e.in_play
        ? '<span class="tag live">live</span>'
        : `<span class="tag">${esc(clock(e.start_time))}</span>`;
      const comp = e.competition && e.competition.name ? ` <small>${esc(e.competition.name)}</small>` : '';
      return `<li><a href="#/event/${esc(e.id)}">${esc(e.name)}</a> <span class="tag">${esc(e.sport)}</span> ${when}${comp}</li>`;
    })
    .join('');
}
