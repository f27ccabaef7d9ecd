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
    'At 1,000 clients the machine, not the pipeline, is the limit: 1,000 clients × ~300–360 pushes/s ×',
    '~2.7 KB (racing markets have 8–14 runners × 3 levels) is 0.8–1 GB/s of WebSocket payload over',
    'loopback. The server (~75% of a core, ~40% of it in `writeBuffer`, i.e. socket writes) and the client',
    'processes (~125%) share the 2 cores, so the clients read slower than the server writes, queues grow and',
    'delay reaches seconds. No push is lost or reordered (gaps 0) and none is cut (the 8 MiB queue bound is',
    'not reached); "every push delivered" is no only because the last pushes were still queued when the',
    'window closed. The offered 500 updates/s becomes ~300 pushes/s because ingest coalesces a market’s',
    'changes within one commit, more so when the process is busy. The same run at 100 clients (below the',
    'table, ~500 pushes/s) has p50 ≈ 12 ms and p99 ≈ 35 ms: the simulator sends a frame of ~25 market',
    'changes every 50 ms, and the last client gets the last market of a frame after the whole burst is',
    'committed, rendered and written (memory-store codec `encodeChange`/`decodeBase` ~22% of the server CPU,',
    '`marketData` rendering ~9%). bench:ws (941-byte messages, no ingest) delivers ~1.4 M messages/s here',
    'with p99 ≈ 70 ms at 1,000 clients × 500/s.',
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
    'entries by default): between the two points the log gained ~33,000 entries and the heap ~176 MB, about',
    '5 KB of heap per entry (a market change: the encoded market and its change object). In real time at the',
    'default simulator rate the log is full after ~11 minutes and then stays full; in the compressed hour it',
    'is still filling. The soak test (test/reliability/soak.rel.test.ts) measures steady state with a smaller',
    'log bound and finds no growth. At 200,000 entries × ~5 KB the full log alone would be ~1 GB in memory',
    'mode: a lower default for the memory store (or a bound in bytes) is the fix to consider. The soak also',
    'found a real leak, now fixed: the broker’s room history kept up to 1,024 dropped messages per quiet room',
    '(src/broker/room-history.ts).',
  ].join(' '),
};
