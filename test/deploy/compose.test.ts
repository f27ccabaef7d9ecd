import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse, parseDocument } from 'yaml';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  deploy?: { replicas?: number };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

const text = readFileSync('docker-compose.yml', 'utf8');
const compose = parse(text, { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;

/** Host ports a `ports` entry publishes ('3001-3002:3001' → 3001, 3002). */
function hostPorts(entry: string): number[] {
  const host = entry.split(':').slice(-2, -1)[0] ?? '';
  const [from, to] = host.split('-').map(Number);
  if (from === undefined || Number.isNaN(from)) return [];
  return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
}

describe('docker-compose.yml', () => {
  test('is valid YAML with no duplicate keys and the merge keys resolved', () => {
    const doc = parseDocument(text, { merge: true, uniqueKeys: true });
    assert.deepEqual(
      doc.errors.map((e) => e.message),
      [],
    );
    assert.deepEqual(Object.keys(services).sort(), ['api', 'ingest', 'redis']);
  });

  test('Redis persists append-only and has a health check; the app waits for it', () => {
    const redis = services.redis as Service;
    assert.match(redis.image ?? '', /^redis:\d/);
    assert.ok(redis.command?.join(' ').includes('--appendonly yes'));
    assert.ok(
      redis.volumes?.some((v) => v.endsWith(':/data')),
      'data on a volume',
    );
    assert.ok(compose.volumes && 'redis-data' in compose.volumes);
    assert.deepEqual(redis.healthcheck?.test, ['CMD', 'redis-cli', 'ping']);
    for (const name of ['ingest', 'api']) {
      const s = services[name] as Service;
      assert.equal(s.depends_on?.redis?.condition, 'service_healthy', name);
      assert.equal(s.environment?.REDIS_URL, 'redis://redis:6379', name);
      assert.ok(s.healthcheck?.test?.join(' ').includes('/healthz'), `${name} health check`);
      assert.ok(s.build !== undefined, `${name} is built from the Dockerfile`);
      assert.ok(s.stop_grace_period, `${name} has time to drain`);
    }
  });

  test('two API replicas (ROLE=api) and one ingest (ROLE=ingest), published on distinct ports', () => {
    const api = services.api as Service;
    const ingest = services.ingest as Service;
    assert.equal(api.environment?.ROLE, 'api');
    assert.equal(api.deploy?.replicas, 2);
    assert.equal(ingest.environment?.ROLE, 'ingest');
    assert.equal(ingest.deploy?.replicas ?? 1, 1, 'one writer');
    assert.equal(ingest.environment?.SOURCES, '${SOURCES:-sim}');
    const published = Object.values(services).flatMap((s) => (s.ports ?? []).flatMap(hostPorts));
    assert.equal(new Set(published).size, published.length, 'no host port published twice');
    assert.ok(hostPorts(api.ports?.[0] ?? '').length >= 2, 'a host port per API replica');
    for (const s of Object.values(services))
      for (const [k, v] of Object.entries(s.environment ?? {}))
        if (/PASSWORD|KEY/.test(k))
          assert.match(String(v), /^\$\{[A-Z_]+[:?-]/, `${k} comes from the environment`);
  });
});
