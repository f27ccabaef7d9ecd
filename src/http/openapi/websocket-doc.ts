import { CLOSE_CODES, ERROR_CODES } from '../../contracts/ws/codes.js';
import {
  ACTIONS,
  PUSH_TYPES,
  PUSHES,
  REPLIES,
  ROOM_KINDS,
  ROOMS,
  type PushSpec,
} from '../../contracts/ws/registry.js';
import { WS_EXAMPLES } from '../../contracts/ws/examples.js';

/**
 * The WebSocket protocol page served at /docs/websocket, rendered from the message registry
 * (src/contracts/ws), the same declarations `/asyncapi.json`, the broker and the client SDK derive from.
 */

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const tr = rows.map(
    (r) =>
      `<tr>${r.map((c, i) => (i === 0 ? `<td><code>${esc(c)}</code></td>` : `<td>${esc(c)}</td>`)).join('')}</tr>`,
  );
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

function pushRows(): string[][] {
  return PUSH_TYPES.map((t) => {
    const spec: PushSpec = PUSHES[t];
    const when = Object.entries(spec.when ?? {}).map(([room, w]) => ` (${room}: ${w})`);
    const fields = Object.keys(spec.body).join(', ');
    return [t, `${spec.rooms.join(', ')}${when.join('')}`, fields, spec.doc];
  });
}

function examples(): string {
  return Object.entries(WS_EXAMPLES)
    .map(([name, ex]) => `<h3>${esc(name)}</h3><pre>${esc(JSON.stringify(ex, null, 2))}</pre>`)
    .join('\n');
}

/** The WebSocket protocol page served at /docs/websocket (self-contained HTML, no external assets). */
export function websocketDocHtml(): string {
  const actions = Object.values(ACTIONS).map((a) => [a.example, a.doc]);
  const rooms = ROOM_KINDS.map((k) => [ROOMS[k].name, ROOMS[k].doc, ROOMS[k].snapshotDoc]);
  const replies = Object.entries(REPLIES).map(([type, r]) => [type, r.doc]);
  const closes = Object.values(CLOSE_CODES).map((c) => [String(c.code), c.reason, c.meaning, c.advice]);
  const errors = Object.entries(ERROR_CODES).map(([code, e]) => [code, e.meaning]);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>oddsgate WebSocket protocol</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:64rem;margin:1rem auto;padding:0 1rem;color:#1d2330}
code,pre{font:13px ui-monospace,monospace;background:#f1f3f7;border-radius:4px}pre{padding:.6rem;overflow:auto;white-space:pre-wrap}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #d5dae3;padding:.3rem .5rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>WebSocket protocol — <code>/ws</code></h1>
<p>The Porqpine v1 room protocol with positions, recovery and a log epoch. Connect to <code>ws(s)://host/ws</code>; with API keys configured add <code>?apiKey=…</code> (or the <code>X-API-Key</code> header) or send a <code>login</code> frame within 10 s. The first frame is <code>{"type":"connected","clientId","stats","auth","epoch"}</code>. Machine-readable: <a href="/asyncapi.json">asyncapi.json</a> (AsyncAPI 3.0). REST: <a href="/docs">/docs</a> (<a href="/openapi.json">openapi.json</a>). Field names follow REST: the same object (a market, an event, an arbitrage) has the same fields on both.</p>
<h2>Client → server</h2>${table(['frame', 'what it does'], actions)}
<h2>Rooms</h2>
<p>Subscribe with <code>"snapshot":true</code> to receive the room's current state first (messages with <code>snapshot:true</code>, stamped with the room's seq); a <code>since</code> older than the window or of another epoch gets the same snapshot.</p>
${table(['room', 'what it carries', 'snapshot on subscribe'], rooms)}
<h2>Server → client: pushes</h2>
<p>Every push carries <code>type</code>, <code>room</code>, <code>seq</code> (per room, +1 per message, the same on every instance), <code>ts</code> (epoch ms of the change) and, in a snapshot, <code>snapshot:true</code>; then the fields below.</p>
${table(['type', 'rooms', 'fields', 'meaning'], pushRows())}
<h2>Server → client: replies</h2>${table(['type', 'meaning'], replies)}
<h2>Positions, recovery and the epoch</h2>
<p>Keep the last <code>seq</code> of each room and the <code>epoch</code> of <code>connected</code>/<code>subscribed</code>. After a reconnect, subscribe with <code>since</code> and <code>epoch</code>: the server answers <code>{"type":"recovery","recovered":true,"count"}</code> and replays exactly the missed messages, or, past the recovery window (WS_RECOVERY_WINDOW_SEC) or when the epoch is not the server's (its update log was reset or its store replaced, so seqs started again), <code>recovered:false</code> and a snapshot. A client that sees a new epoch in <code>connected</code> should subscribe with <code>snapshot:true</code> instead of <code>since</code>. Any instance can serve the recovery. The client SDK (<code>oddsgate/client</code>) does all of this, and on close 1001 reconnects to the next URL it was given.</p>
<h2>Close codes</h2>${table(['code', 'reason', 'meaning', 'what to do'], closes)}
<h2>Error codes</h2>
<p>Replies <code>{"type":"error","code","error","id","action"}</code>; the connection stays open except after AUTH_CONFLICT.</p>
${table(['code', 'meaning'], errors)}
<h2>Examples</h2>
${examples()}
</body></html>`;
}
