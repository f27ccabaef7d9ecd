/* Back/lay ladders: markup for a market frame of the feed (REST or a WebSocket push), and in-place patches
   that mark each moved price up or down for a moment. */
/* global document, window, requestAnimationFrame, CSS */
import { esc } from './util.js';

/** How long a moved price stays marked, in ms (the CSS fades it out unless motion is reduced). */
export const MOVE_MS = 1500;

function cell(side, level, price) {
  const odds = price ? price.odds : '';
  const size = price ? Math.round(price.size) : '';
  return `<td class="p ${side} l${level}" data-side="${side}" data-level="${level}"><b>${esc(odds)}</b><small>${esc(size)}</small></td>`;
}

/** Single-line (fancy) markets: the back column is "Yes", the lay column "No". */
const LINE_TYPES = new Set(['FANCY']);

export function sideLabels(market) {
  return LINE_TYPES.has(market.type) ? ['Yes', 'No'] : ['Back', 'Lay'];
}

/** The market's and its runners' states, kept on the table: a change rebuilds it. */
export function statusKey(market) {
  return [market.status || '', ...(market.selections || []).map((s) => s.status || '')].join(',');
}

/** True when the market is not open for betting (suspended, closed). */
export function isSuspended(market) {
  return Boolean(market && market.status && market.status !== 'OPEN');
}

/**
 * A market's ladder: three back and three lay levels per runner. `maxRows` shows only the first runners
 * (race cards on the board); the table keeps the number so patches write the same rows.
 */
export function ladderHtml(market, maxRows = Infinity) {
  const [backLabel, layLabel] = sideLabels(market);
  const suspended = isSuspended(market);
  const shown = (market.selections || []).slice(0, maxRows);
  const head = `<thead><tr><th class="runner"></th>${[3, 2, 1].map((l) => `<th class="l${l}">${l === 1 ? backLabel : ''}</th>`).join('')}${[1, 2, 3].map((l) => `<th class="l${l}">${l === 1 ? layLabel : ''}</th>`).join('')}</tr></thead>`;
  const rows = shown.map((s, i) => {
    const back = [3, 2, 1].map((l) => cell('back', l, (s.back || [])[l - 1])).join('');
    const lay = [1, 2, 3].map((l) => cell('lay', l, (s.lay || [])[l - 1])).join('');
    const off = s.status && s.status !== 'ACTIVE' ? ` class="suspended" title="${esc(s.status)}"` : '';
    return `<tr data-sel="${i}"${off}><td class="runner" title="${esc(s.name)}">${esc(s.name)}</td>${back}${lay}</tr>`;
  });
  const caption = suspended ? `<caption>${esc(market.status)}</caption>` : '';
  const rowsAttr = Number.isFinite(maxRows) ? ` data-rows="${maxRows}"` : '';
  return `<table class="ladder${suspended ? ' suspended' : ''}" data-market="${esc(market.market_id)}" data-status="${esc(statusKey(market))}"${rowsAttr}>${caption}${head}<tbody>${rows.join('')}</tbody></table>`;
}

/** Marks a cell whose price moved: `up` or `down` (colour and an arrow, so not by colour alone). */
function markMove(td, dir) {
  td.classList.remove('up', 'down');
  void td.offsetWidth; // restart the fade
  td.classList.add(dir);
  const timer = Number(td.dataset.timer || 0);
  if (timer) window.clearTimeout(timer);
  td.dataset.timer = String(window.setTimeout(() => td.classList.remove('up', 'down'), MOVE_MS));
}

/** Direction of a price change: 'up', 'down', or '' when either side is not a number. */
export function moveOf(before, after) {
  const a = Number.parseFloat(before);
  const b = Number.parseFloat(after);
  if (!Number.isFinite(a) || !Number.isFinite(b) || a === b) return '';
  return b > a ? 'up' : 'down';
}

/** Writes a market's prices into every table showing it; moved prices are marked. */
export function patchMarket(market) {
  const tables = document.querySelectorAll(`table.ladder[data-market="${CSS.escape(market.market_id)}"]`);
  for (const table of tables) {
    const max = table.dataset.rows ? Number(table.dataset.rows) : Infinity;
    const shown = (market.selections || []).slice(0, max);
    const rows = table.tBodies[0].rows;
    if (rows.length !== shown.length || table.dataset.status !== statusKey(market)) {
      table.outerHTML = ladderHtml(market, max);
      continue;
    }
    shown.forEach((s, i) => {
      for (const td of rows[i].querySelectorAll('td.p')) {
        const level = Number(td.dataset.level);
        const p = (s[td.dataset.side] || [])[level - 1];
        const odds = p ? String(p.odds) : '';
        const size = p ? String(Math.round(p.size)) : '';
        const b = td.firstElementChild;
        const small = td.lastElementChild;
        if (b.textContent !== odds || small.textContent !== size) {
          const dir = moveOf(b.textContent, odds);
          b.textContent = odds;
          small.textContent = size;
          if (dir) markMove(td, dir);
        }
      }
    });
  }
}

const pending = new Map(); // market id → frame waiting for the next paint

/** Patches the market at the next animation frame (many pushes of one market: one write). */
export function schedulePatch(market) {
  if (pending.size === 0) requestAnimationFrame(flushPatches);
  pending.set(market.market_id, market);
}

function flushPatches() {
  const list = [...pending.values()];
  pending.clear();
  for (const m of list) patchMarket(m);
}

/** A market's best prices across books: decimal odds (a bookmaker's quoted rate beside), or its suspension. */
export function bestHtml(b) {
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
