/**
 * What a front end does to keep a games list current without downloading it again and again: poll
 * `GET /api/v2/diamond/games` with `If-None-Match` set to the last `ETag`; an unchanged list answers
 * `304 Not Modified` with no body.
 *
 *   npx tsx examples/frontend-poll.ts --url http://127.0.0.1:3001 --password <DIAMOND_PASSWORD>
 *   options: --interval <ms> (default 2000), --count <n> (polls, default: forever), --sport <id>
 *
 * In a browser the same code works with `fetch` (Diamond answers CORS with the x-password header allowed).
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3001' },
    password: { type: 'string', default: process.env.DIAMOND_PASSWORD ?? '' },
    interval: { type: 'string', default: '2000' },
    count: { type: 'string', default: '0' },
    sport: { type: 'string' },
  },
});

interface Game {
  gmid: string;
  title: string;
  status: string;
}

const endpoint = new URL('/api/v2/diamond/games', values.url);
if (values.sport) endpoint.searchParams.set('sport_id', values.sport);
const intervalMs = Number(values.interval);
const count = Number(values.count);
let etag: string | null = null;
let games: Game[] = [];

async function poll(): Promise<void> {
  const res = await fetch(endpoint, {
    headers: { 'x-password': values.password, ...(etag ? { 'if-none-match': etag } : {}) },
  });
  if (res.status === 304) {
    console.log(`304 not modified (${games.length} games kept)`);
    return;
  }
  if (!res.ok) {
    console.log(`${res.status} ${await res.text()}`);
    return;
  }
  etag = res.headers.get('etag');
  const body = (await res.json()) as { data: { count: number; games: Game[] } };
  games = body.data.games;
  console.log(`200 ${body.data.count} games (etag ${etag ?? 'none'})`);
  for (const g of games.slice(0, 5)) console.log(`  ${g.gmid} ${g.title} [${g.status}]`);
}

for (let i = 0; count === 0 || i < count; i++) {
  if (i > 0) await new Promise((r) => setTimeout(r, intervalMs));
  try {
    await poll();
  } catch (err) {
    console.log(`request failed: ${(err as Error).message}`);
  }
}
