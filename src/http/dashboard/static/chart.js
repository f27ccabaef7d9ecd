/*
 * Price charts on the event page (uPlot, served from its npm package at /dashboard/vendor/): one chart per
 * runner of the event's main market — best back, best lay and last traded price over the last 30 minutes
 * from /odds/history (1 s candles' closes), extended live by the market_odds pushes of the event room.
 * Kept apart from app.js, which only calls showCharts / chartPush / closeCharts.
 */
/* global document */
import uPlot from '/dashboard/vendor/uPlot.esm.js';

const WINDOW_MS = 30 * 60_000;
const MAX_POINTS = 3600;
let current = null; // { eventId, marketId, runners: Map<selectionId, { data, plot }> }

function addCss() {
  if (document.querySelector('link[data-uplot]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = '/dashboard/vendor/uPlot.min.css';
  link.dataset.uplot = '1';
  document.head.append(link);
}

const num = (v) => (typeof v === 'number' ? v : null);

/** Draws the charts of event `eventId` into `container` (an element of the event page). */
export async function showCharts(eventId, container, apiFetch) {
  closeCharts();
  addCss();
  const to = Date.now() + 1;
  const url = `/api/v1/feed/event/${encodeURIComponent(eventId)}/odds/history?interval=1s&from=${to - WINDOW_MS}&to=${to}`;
  const res = await apiFetch(url).catch(() => null);
  if (!res || !res.success || !res.data.markets.length) return;
  const market = res.data.markets.find((m) => /MATCH_ODDS|WIN/.test(m.market_type)) || res.data.markets[0];
  const box = document.createElement('section');
  box.className = 'charts';
  box.innerHTML = `<h2>Price history · ${market.market_name}</h2>`;
  container.append(box);
  const runners = new Map();
  for (const r of market.runners) {
    const data = [[], [], [], []];
    for (const p of r.points) {
      data[0].push(p.ts / 1000);
      data[1].push(p.back ? p.back.close : null);
      data[2].push(p.lay ? p.lay.close : null);
      data[3].push(p.ltp ? p.ltp.close : null);
    }
    const el = document.createElement('div');
    el.className = 'chart';
    box.append(el);
    const plot = new uPlot(
      {
        title: r.name,
        width: Math.min(560, container.clientWidth || 560),
        height: 180,
        series: [
          {},
          { label: 'back', stroke: '#2b7de9', spanGaps: true },
          { label: 'lay', stroke: '#e0457b', spanGaps: true },
          { label: 'ltp', stroke: '#888', dash: [4, 4], spanGaps: true },
        ],
      },
      data,
      el,
    );
    runners.set(r.selection_id, { data, plot });
  }
  current = { eventId: String(eventId), marketId: market.market_id, runners };
}

/** Extends the charts with a market_odds push (`ts` is the push's epoch ms). */
export function chartPush(market, ts) {
  if (!current || market.market_id !== current.marketId) return;
  for (const s of market.selections || []) {
    const r = current.runners.get(s.selection_id);
    if (!r) continue;
    const d = r.data;
    d[0].push((ts || Date.now()) / 1000);
    d[1].push(num(s.back && s.back[0] && s.back[0].odds));
    d[2].push(num(s.lay && s.lay[0] && s.lay[0].odds));
    d[3].push(num(s.ltp ?? s.last_traded_price));
    if (d[0].length > MAX_POINTS) for (const col of d) col.splice(0, d[0].length - MAX_POINTS);
    r.plot.setData(d);
  }
}

/** Removes the charts (leaving the event page). */
export function closeCharts() {
  if (!current) return;
  for (const r of current.runners.values()) r.plot.destroy();
  current = null;
}
