// Regenerates config/openapi/examples.json, the examples of /openapi.json: real responses of every GET route,
// captured from an app fed by the simulated exchange through the real Betfair pipeline (arrays cut to two
// items; error answers are left out). The server reads the file at start (src/http/plugins/swagger.ts).
// Run: npm run openapi:examples
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { app as rootPlugin, serverOptions } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { ExchangeSimulator } from '../src/sim/exchange.js';
import { ManualClock } from '../src/core/clock.js';
import { createBetfairPipeline } from '../src/sources/betfair/pipeline.js';
import type { SourceUpdate } from '../src/model/index.js';
import { EXAMPLES_FILE } from '../src/http/plugins/swagger.js';

const PASSWORD = 'examples-password';
const SKIP = /^\/(ws|metrics|proxy|docs|openapi\.json)|^\/$|\/\*$/;

function trim(v: unknown, depth = 0): unknown {
  if (Array.isArray(v)) return v.slice(0, 2).map((x) => trim(x, depth + 1));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).slice(0, 40);
    const keyedById = entries.length > 2 && entries.every(([k]) => /^[\d.]+$/.test(k));
    return Object.fromEntries(
      (keyedById ? entries.slice(0, 2) : entries).map(([k, x]) => [k, trim(x, depth + 1)]),
    );
  }
  return typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…` : v;
}

const config = loadConfig({
  env: {},
  configDir: null,
  overrides: { sources: [], diamondPassword: PASSWORD },
});
const fastify = Fastify(serverOptions(false));
const routes: { method: string; url: string }[] = [];
fastify.addHook('onRoute', (r) => {
  for (const m of [r.method].flat())
    if (m === 'GET' && !SKIP.test(r.url)) routes.push({ method: m, url: r.url });
});
await fastify.register(rootPlugin, {
  config,
  store: new MemoryStore({ logMaxLen: 50_000 }),
  sources: [],
  diamondPassword: PASSWORD,
});
await fastify.ready();

const clock = new ManualClock(Date.now() - 4 * 3600_000);
const sim = new ExchangeSimulator({ now: clock.now, events: 16, speed: 60, rate: 80, seed: 11 });
let batch: SourceUpdate[] = [];
const pipeline = createBetfairPipeline({
  source: 'sim',
  sink: (u) => batch.push(...u),
  maxLatencyMs: null,
  clock: clock.now,
});
const unsubscribe = sim.subscribe((msg) => pipeline.handleMessage(msg));
for (let i = 0; i < 240; i++) {
  clock.advance(1000);
  sim.tick();
  const b = batch;
  batch = [];
  if (b.length > 0) fastify.ingest.push(b);
  await fastify.settle();
}
unsubscribe();

const live =
  [...fastify.readModel.events.values()].find((e) => e.inPlay) ?? [...fastify.readModel.events.values()][0];
const result = (await fastify.store.listResults({ limit: 1 }))[0];
const out: Record<string, unknown> = {};
for (const r of routes) {
  const id = r.url.includes('/result/') ? String(result?.eventId ?? live?.id) : String(live?.id);
  const url = r.url.replace(':id', id).replace(':gmid', id);
  const query = r.url.endsWith('/search') ? '?q=a' : '';
  const res = await fastify.inject({ method: 'GET', url: url + query, headers: { 'x-password': PASSWORD } });
  if (!res.headers['content-type']?.toString().includes('json')) continue;
  const body = res.json() as { success?: unknown };
  if (res.statusCode < 400 || body.success === true) out[`GET ${r.url}`] = trim(body); // health is 503 here
}
await fastify.close();
const file = fileURLToPath(EXAMPLES_FILE);
const prettier = await import('prettier');
const options = (await prettier.resolveConfig(file)) ?? {};
writeFileSync(file, await prettier.format(JSON.stringify(out), { ...options, parser: 'json' }));
console.log(`${Object.keys(out).length} examples written`);
