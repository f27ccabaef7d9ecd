import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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
    assert.deepEqual(Object.keys(services).sort(), ['api', 'ingest', 'lb', 'redis']);
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
      assert.ok(s.healthcheck?.test?.join(' ').includes('/readyz'), `${name} health check is readiness`);
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

  test('API replicas use the image target without Chromium; a load balancer fronts them on readiness', () => {
    const api = services.api as Service;
    assert.deepEqual(api.build, { context: '.', target: 'api' });
    assert.notEqual(api.image, (services.ingest as Service).image, 'not the ingest image (with Chromium)');
    const lb = services.lb as Service;
    assert.match(lb.image ?? '', /^caddy:2/);
    assert.equal(lb.depends_on?.api?.condition, 'service_healthy');
    const mount = lb.volumes?.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro')) ?? '';
    const file = mount.split(':')[0] ?? '';
    assert.ok(existsSync(file), `${file} exists`);
    const caddy = readFileSync(file, 'utf8');
    assert.match(caddy, /dynamic a api 3001/, 'every API replica (docker DNS) is an upstream');
    assert.match(caddy, /health_uri \/readyz/, 'traffic only to ready replicas');
    assert.ok(lb.ports?.some((p) => p.endsWith(':8080')));
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync('.dockerignore', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  test('keeps node_modules, .git and build output out of the build context', () => {
    for (const p of ['node_modules', '.git', 'dist', '.env']) assert.ok(ignored.includes(p), p);
  });

  test('does not exclude anything the Dockerfile copies from the context', () => {
    for (const p of ['src', 'bin', 'config', 'package.json', 'package-lock.json', 'tsconfig.json']) {
      assert.ok(!ignored.some((i) => i === p || p.startsWith(`${i}/`)), `${p} is sent`);
    }
  });
});
