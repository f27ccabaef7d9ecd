import { CLOSE_REASONS, CloseCode, ErrorCode } from '../../broker/close-codes.js';

/** What each close code asks of a client (the reasons sent on the wire are CLOSE_REASONS). */
const CLOSE_ADVICE: Readonly<Record<number, string>> = {
  [CloseCode.NORMAL]: 'Closed normally.',
  [CloseCode.GOING_AWAY]:
    'The server is draining (deploy, scale-in): reconnect, to any instance, and resume with since.',
  [CloseCode.MESSAGE_TOO_BIG]: 'A client frame was larger than WS_MAX_FRAME_BYTES.',
  [CloseCode.AUTH_FAILED]:
    'Wrong API key, or two different keys on one connection. Do not retry with the same key.',
  [CloseCode.LOGIN_TIMEOUT]: 'Keys are required and no login frame came in time.',
  [CloseCode.SLOW_CONSUMER]: 'The client read too slowly; reconnect and resume with since.',
  [CloseCode.TOO_MANY_CONNECTIONS]:
    'Too many connections for this key (WS_MAX_CONNECTIONS_PER_KEY), or for this IP before a key (WS_MAX_CONNECTIONS).',
  [CloseCode.FLOOD]: 'Too many frames per second, or too many refused frames.',
};

const ACTIONS: readonly [string, string][] = [
  [
    '{"action":"subscribe","room":"event:1000014","since":41}',
    'Join a room; with since, replay what was missed after seq 41 (or a snapshot).',
  ],
  [
    '{"action":"subscribe","room":"odds","snapshot":true}',
    'Join a room and receive its current state first.',
  ],
  ['{"action":"unsubscribe","room":"odds"}', 'Leave a room.'],
  ['{"action":"get_odds","matchId":"1000014","id":7}', 'All markets of an event; the reply echoes id.'],
  ['{"action":"get_matches"}', 'The current match list.'],
  ['{"action":"get_stats"}', 'Broker counters.'],
  ['{"action":"login","apiKey":"…"}', 'Authenticate when API keys are configured.'],
  ['{"action":"ping"}', 'Answered by {"type":"pong"}.'],
];

const ROOMS: readonly [string, string][] = [
  ['all', 'Every push.'],
  ['odds', 'match_odds for every odds market (bfi, matchId, marketId, data).'],
  ['matches', 'matches_updated: the full match list, every WS_MATCHES_INTERVAL_MS.'],
  ['sport:<id or name>', 'Pushes of one sport (sport:1 or sport:Football).'],
  ['event:<internal id or bfi>', 'Every market, score and status change of one event.'],
  ['market:<market id>', 'One market.'],
];

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

/** The WebSocket protocol page served at /docs/websocket (self-contained HTML, no external assets). */
export function websocketDocHtml(): string {
  const closes = Object.values(CloseCode).map((c) => [String(c), CLOSE_REASONS[c], CLOSE_ADVICE[c] ?? '']);
  const errors = Object.values(ErrorCode).map((c) => [
    c,
    c === ErrorCode.AUTH_CONFLICT
      ? 'Error reply code; the connection is then closed with 4001.'
      : 'Error reply code; the connection stays open.',
  ]);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>oddsgate WebSocket protocol</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1d2330}
code,pre{font:13px ui-monospace,monospace;background:#f1f3f7;border-radius:4px}pre{padding:.6rem;overflow:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #d5dae3;padding:.3rem .5rem;text-align:left;vertical-align:top}</style>
</head><body>
<h1>WebSocket protocol — <code>/ws</code></h1>
<p>The Porqpine v1 room protocol with positions and recovery. Connect to <code>ws(s)://host/ws</code>; with API keys configured add <code>?apiKey=…</code> (or the <code>X-API-Key</code> header) or send a <code>login</code> frame within 10 s. The first frame is <code>{"type":"connected","clientId","stats","auth"}</code>. REST is described in <a href="/docs">/docs</a> (<a href="/openapi.json">openapi.json</a>).</p>
<h2>Client → server</h2>${table(['frame', 'what it does'], ACTIONS)}
<h2>Rooms</h2>${table(['room', 'what it carries'], ROOMS)}
<h2>Server → client</h2>
<p>Every push carries <code>type</code>, <code>room</code>, <code>seq</code> (per room, +1 per message, the same on every instance) and <code>ts</code> (epoch ms of the change), then the Porqpine fields:</p>
<pre>{"type":"market_odds","room":"event:1000014","seq":42,"ts":1795310154825,"marketId":"1.234574991","matchId":"1000014","data":{"market_id":"1.234574991","selections":[{"name":"Inter","back":[{"level":1,"odds":38,"size":1016.49}],"lay":[{"level":1,"odds":44,"size":131.4}]}]}}</pre>
<p>Push types: <code>market_odds</code>, <code>match_odds</code>, <code>fancy_update</code>, <code>bookmaker_add</code>, <code>bookmaker_remove</code>, <code>event_update</code>, <code>remove_match_from_list</code>, <code>event_scores</code>, <code>matches_updated</code>. Replies: <code>subscribed</code> (room, seq), <code>recovery</code>, <code>unsubscribed</code>, <code>odds</code>, <code>matches</code>, <code>stats</code>, <code>login</code>, <code>pong</code>, <code>error</code>.</p>
<h2>Positions and recovery</h2>
<p>Keep the last <code>seq</code> of each room. After a reconnect, subscribe with <code>since</code>: the server answers <code>{"type":"recovery","recovered":true,"count"}</code> and replays exactly the missed messages, or, past the recovery window (WS_RECOVERY_WINDOW_SEC), <code>recovered:false</code> and a snapshot (messages with <code>snapshot:true</code>). Any instance can serve the recovery. The bundled client (<code>src/client</code>) does this for you, and on close 1001 reconnects to the next URL it was given.</p>
<h2>Close codes</h2>${table(['code', 'reason', 'what to do'], closes)}
<h2>Error codes</h2>${table(['code', 'meaning'], errors)}
</body></html>`;
}
