import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { SimSource } from '../../../src/sim/sim-source.js';
import { listeningApp, sleep, TestClient } from '../../broker/helpers.js';

/** One sample value from the text exposition format (exact name and label set, in the order given). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  const want = Object.entries(labels);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (want.every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return null;
}

async function scrape(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return res.body;
}

test('/metrics exposes the HTTP, WebSocket, source, ingest, store and process families, and they move under load', async () => {
  const source = new SimSource({ sim: { speed: 60, seed: 7, rate: 400, events: 12 } });
  const { app, url } = await listeningApp({ sources: [source] });
  const client = await TestClient.connect(url);
  try {
    await client.subscribe('all');
    for (let i = 0; i < 100 && app.readModel.markets.size === 0; i++) await sleep(20);
    const before = await scrape(app);
    for (let i = 0; i < 20; i++) await app.inject({ url: '/api/v1/feed/sports' });
    await app.inject({ url: '/api/v1/feed/event/999999999' });
    await sleep(600);
    const after = await scrape(app);

    const http = { method: 'GET', route: '/api/v1/feed/sports', status_code: '200' };
    assert.equal(sample(after, 'oddsgate_http_request_duration_seconds_count', http), 20);
    const notFound = { route: '/api/v1/feed/event/:id', status_code: '404' };
    assert.equal(
      sample(after, 'oddsgate_http_request_duration_seconds_count', notFound),
      1,
      'labelled by pattern',
    );
    assert.ok(
      (sample(after, 'oddsgate_http_request_duration_seconds_bucket', { ...http, le: '+Inf' }) ?? 0) >= 20,
    );

    assert.equal(sample(after, 'oddsgate_ws_clients'), 1);
    assert.ok((sample(after, 'oddsgate_ws_rooms') ?? 0) >= 1);
    assert.equal(sample(after, 'oddsgate_ws_slow_consumer_closes_total'), 0);
    const moved = (name: string, labels: Record<string, string> = {}) => {
      const a = sample(before, name, labels);
      const b = sample(after, name, labels);
      assert.ok(a !== null && b !== null, `${name} present`);
      assert.ok(b > a, `${name} moved: ${a} → ${b}`);
    };
    moved('oddsgate_ws_messages_sent_total');
    moved('oddsgate_source_frames_total', { source: 'sim' });
    moved('oddsgate_source_updates_total', { source: 'sim' });
    moved('oddsgate_ingest_updates_total');
    moved('oddsgate_ingest_commits_total');
    moved('oddsgate_store_operation_duration_seconds_count', { store: 'memory', op: 'commit' });
    assert.equal(sample(after, 'oddsgate_store_errors_total', { op: 'commit' }), 0);
    assert.equal(sample(after, 'oddsgate_source_up', { source: 'sim' }), 1);
    assert.equal(sample(after, 'oddsgate_source_state', { source: 'sim', state: 'connected' }), 1);
    assert.equal(sample(after, 'oddsgate_source_errors_total', { source: 'sim' }), 0);
    assert.equal(sample(after, 'oddsgate_source_reconnects_total', { source: 'sim' }), 0);
    assert.ok((sample(after, 'oddsgate_source_last_update_age_seconds', { source: 'sim' }) ?? 99) < 5);
    assert.ok((sample(after, 'oddsgate_read_model_markets') ?? 0) > 0);
    assert.ok((sample(after, 'oddsgate_update_log_age_seconds') ?? 99) < 5);
    assert.ok((sample(after, 'process_cpu_user_seconds_total') ?? 0) > 0, 'process defaults');
    assert.ok(sample(after, 'nodejs_eventloop_lag_seconds') !== null);
    for (const line of after.split('\n').filter((l) => l.startsWith('# TYPE oddsgate_'))) {
      const [, , name, type] = line.split(' ');
      if (type === 'counter') assert.match(String(name), /_total$/, `${name} is a counter named _total`);
    }
  } finally {
    await client.close();
    await app.close();
  }
});

test('METRICS_ENABLED=false leaves /metrics unregistered', async () => {
  const { app } = await listeningApp({ env: { METRICS_ENABLED: 'false' } });
  try {
    assert.equal((await app.inject({ url: '/metrics' })).statusCode, 404);
  } finally {
    await app.close();
  }
});
