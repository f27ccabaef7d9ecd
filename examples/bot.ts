/**
 * A trading bot's skeleton on the oddsgate client SDK: follows one event room and prints the best back and
 * lay of every runner as prices move. It survives server restarts (the client resumes the room with
 * `since`: no message missed or repeated) and store resets (a new log epoch: the room is re-snapshotted).
 *
 *   npx tsx examples/bot.ts --url ws://127.0.0.1:3001/ws --event 1000001
 *   npx tsx examples/bot.ts --event auto          # the first in-play event (else the first event)
 *
 * Outside this repository, import from 'oddsgate/client' instead of '../src/client/index.js'.
 * Output: `#<seq> <type> …` per live message of the room, `snapshot@<seq> …` per snapshot message.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { OddsgateClient, type MarketData, type PushMessage } from '../src/client/index.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:3001/ws' },
    event: { type: 'string', default: 'auto' },
    'api-key': { type: 'string' },
  },
});

const apiKey = values['api-key'] ?? process.env.ODDSGATE_API_KEY;
const client = new OddsgateClient({
  url: values.url,
  WebSocket,
  backoff: { minMs: 100, maxMs: 2000 },
  ...(apiKey ? { apiKey } : {}),
});

/** The current book of each market of the event. */
const books = new Map<string, MarketData>();

function best(m: MarketData): string {
  return m.selections.map((s) => `${s.name} ${s.back[0]?.odds ?? '-'}/${s.lay[0]?.odds ?? '-'}`).join(' | ');
}

function describe(m: PushMessage): string {
  switch (m.type) {
    case 'market_odds':
    case 'fancy_update':
    case 'bookmaker_add':
      books.set(m.data.market_id, m.data);
      return `${m.data.market_name} [${m.data.status}] ${best(m.data)}`;
    case 'bookmaker_remove':
      books.delete(m.marketId);
      return `removed ${m.marketId}`;
    case 'event_update':
      return `${m.data.name} ${m.data.status}${m.data.in_play ? ' in play' : ''}`;
    case 'event_scores':
      return JSON.stringify(m.data);
    case 'remove_match_from_list':
      return 'match over';
    default:
      return '';
  }
}

client.on('connected', ({ epoch }) => console.log(`connected (log epoch ${epoch})`));
client.on('disconnected', ({ code }) => console.log(`disconnected (${code}); reconnecting`));
client.on('subscribed', (s) => console.log(`subscribed ${s.room} at seq ${s.seq}`));
client.on('recovery', (r) => {
  if (r.recovered) console.log(`recovered ${r.count ?? 0} missed message(s) after seq ${r.since}`);
  else {
    books.clear();
    console.log(`not recoverable after seq ${r.since}: snapshot at seq ${r.seq}`);
  }
});
client.on('epoch', ({ from, to }) => {
  books.clear();
  console.log(`log epoch changed ${from} -> ${to}: re-snapshot`);
});
client.on('gap', (g) => console.log(`gap in ${g.room}: expected ${g.expected}, got ${g.got}; healing`));
client.on('message', (m) => {
  const text = describe(m);
  console.log(`${m.snapshot ? `snapshot@${m.seq}` : `#${m.seq}`} ${m.type} ${text}`);
});

async function pickEvent(): Promise<string> {
  if (values.event !== 'auto') return values.event;
  const { data } = await client.request('get_matches');
  const pick = data.find((e) => e.in_play) ?? data[0];
  if (!pick) throw new Error('the server lists no events yet');
  console.log(`following ${pick.name} (${pick.id})`);
  return String(pick.id);
}

await client.connect();
client.subscribe(`event:${await pickEvent()}`, { snapshot: true });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    client.close();
    process.exit(0);
  });
}
