/**
 * Why a target is not met on this machine, by target name (or its first word, e.g. "REST"), written after
 * reading the profiles of a real run (bench/results.json keeps them). RESULTS.md prints each note beside
 * the profile measured in that run.
 */
export const TARGET_NOTES: Record<string, string> = {
  'REST /api/v2/diamond/games': [
    'The body is ~180 KB (every game with its markets). The limit writes one pre-encoded Buffer; oddsgate',
    'keeps the serialized list as a JS string, wraps it in the envelope (a fresh `timestamp` per response,',
    '`envelopeJson`) and hands Node a string, which is UTF-8 encoded and copied on every response: `writev`',
    '(native) is ~55% of the server CPU in the profile. Caching the encoded Buffer of the data part and',
    'writing the small envelope parts around it would remove the per-request encode and concatenation.',
  ].join(' '),
  'REST /api/v2/diamond/highlights': 'Same cause as /games (the same ~180 KB list, encoded per response).',
  'REST /api/v1/feed/events': [
    'A 12 KB body: per response the cached string is encoded again (`writev` + `writevGeneric` ~36%), and the',
    'request pays what the limit does not run: the metrics histogram (prom-client), the API-key and CORS',
    'hooks, and the discovery handler. p99 is 3 ms against the limit’s 1 ms (autocannon’s resolution).',
  ].join(' '),
  'REST /api/v1/feed/event/:id/odds': [
    'Rendered per request rather than served pre-serialized: `sendJson` (JSON.stringify of the response)',
    'and `oddsData` are ~37% of the CPU, and the freshness context asks every source for its status()',
    '(SimSource.status → ExchangeSimulator.stats counts every market: ~5%). The limit answers in under',
    '1 ms (reported 0; compared at 1 ms). Caching the rendered odds per event version, as the lists are,',
    'and the source statuses per turn would close most of the gap.',
  ].join(' '),
  'ingest-to-client latency': [
    'The machine, not the pipeline, is the limit at this load: 1,000 clients × ~360 pushes/s × ~2.8 KB',
    '(racing markets have 8–14 runners × 3 levels) is ~1 GB/s of WebSocket payload over loopback. The',
    'server (74% of a core, ~40% of it in `writeBuffer`, i.e. socket writes) and the client processes',
    '(126%) share the 2 cores, so the clients read slower than the server writes, queues grow and delay',
    'reaches seconds (no push is lost: gaps 0; none is cut: the 8 MiB queue bound is not reached in 30 s).',
    'The same run at 100 clients (below the table) shows the pipeline’s own delay. The offered 500',
    'updates/s becomes ~360 pushes/s because ingest coalesces a market’s changes within one commit, more',
    'so when the process is busy. The WebSocket broker benchmark (bench:ws, 941-byte messages) delivers',
    '~1.4 M messages/s on this machine with p99 ≈ 70 ms at 1,000 clients × 500/s.',
  ].join(' '),
  'RSS with 10,000 markets': [
    'The process is ~145 MB before any data (V8, fastify, zod, and TypeScript compiled by tsx at start).',
    'The memory store — the embedded default — keeps the whole state a second time as encoded JSON, and',
    'every committed change in its update log (one entry per market, ~3 KB); the read model and ingest each',
    'hold the markets as objects; the broker keeps the recovery window’s messages (the load pushes all',
    '10,000 markets through it). With Redis the store’s copy and the log leave the process. Sharing one',
    'immutable Market object between ingest, store and read model in memory mode is the main saving.',
  ].join(' '),
  'RSS growth over an hour of churn': [
    'The growth is the memory store’s update log filling towards its bound (UPDATE_LOG_MAXLEN, 200,000',
    'entries by default): the table shows the log entries at both points. In real time at the default',
    'simulator rate the log is full after ~11 minutes and then stays full; in the compressed hour it is',
    'still filling. The soak test (test/reliability/soak.rel.test.ts) measures steady state with a smaller',
    'log bound and finds no growth; at 200,000 entries × ~3 KB the full log alone is ~600 MB in memory mode,',
    'so a lower default for the memory store (or a byte bound) is the fix to consider.',
  ].join(' '),
};
