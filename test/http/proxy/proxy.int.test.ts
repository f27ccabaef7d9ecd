import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { Resolver } from '../../../src/http/proxy/guarded-lookup.js';
import { SANDBOX_CSP } from '../../../src/http/proxy/framing.js';
import { feed } from '../../helpers/app.js';
import { sampleUpdates, SAMPLE_EVENTS } from '../../helpers/fixtures.js';

const PAGE = '<!doctype html><html><body><div id="scorecard">IND 182/4 (18.2)</div></body></html>';
const MAX_BYTES = 64 * 1024;

/** The upstream: a real HTTP server on 127.0.0.1 with framing headers, redirects, a large and a slow page. */
function upstreamServer(): Server {
  return createServer((req, res) => {
    const port = (req.socket.localAddress && (req.socket.address() as AddressInfo).port) || 0;
    const path = req.url ?? '/';
    if (path.startsWith('/page') || path.startsWith('/sc/') || path.startsWith('/tracker/')) {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'self'; frame-ancestors 'none'; img-src *",
        'set-cookie': 'session=upstream-secret',
        'x-seen-path': path,
      });
      return res.end(PAGE);
    }
    if (path === '/hostile-csp') {
      // An upstream trying to lift our sandbox: its own sandbox first in a policy, in another header, in a
      // second policy of one value (comma), in upper case, and in a report-only policy.
      res.setHeader('content-security-policy', [
        "sandbox allow-same-origin allow-scripts; default-src 'self' 'unsafe-inline'",
        "img-src *, SANDBOX allow-same-origin allow-scripts allow-top-navigation; frame-ancestors 'none'",
        '\tSandBox\tallow-same-origin',
      ]);
      res.setHeader('content-security-policy-report-only', 'sandbox allow-same-origin; report-uri /r');
      res.setHeader('content-type', 'text/html');
      return res.end(PAGE);
    }
    const redirect = (to: string) => res.writeHead(302, { location: to }).end();
    if (path === '/redirect-in') return redirect('/page?from=redirect');
    if (path === '/redirect-out') return redirect('http://elsewhere.example.org/page');
    if (path === '/redirect-loopback') return redirect(`http://localhost:${port}/page`);
    if (path === '/redirect-named') return redirect(`http://scores.example.test:${port}/page`);
    if (path === '/big') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(MAX_BYTES * 2) });
      return res.end(Buffer.alloc(MAX_BYTES * 2, 'a'));
    }
    if (path === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'text/html' });
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(MAX_BYTES / 2, 'b'));
      return res.end();
    }
    if (path === '/slow') return void setTimeout(() => res.end('late'), 3000).unref();
    res.writeHead(404).end();
  });
}

/** DNS as the tests need it: names under example.test resolve to loopback (as a hostile record would). */
const resolver: Resolver = async (hostname) => {
  if (hostname.endsWith('.example.test')) return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

/** An app whose proxy allows `allowHosts` (loopback names resolved by `resolver`). */
async function proxyApp(
  allowHosts: string[],
  extra: { env?: Record<string, string>; proxy?: Record<string, unknown>; apiKeys?: string[] } = {},
): Promise<FastifyInstance> {
  const config = loadConfig({
    env: extra.env ?? {},
    configDir: null,
    overrides: {
      sources: [],
      diamondPassword: 'x'.repeat(12),
      ...(extra.apiKeys ? { apiKeys: extra.apiKeys } : {}),
      proxy: { allowHosts, maxBytes: MAX_BYTES, timeoutMs: 800, ...extra.proxy },
    },
  });
  return buildApp({
    config,
    store: new MemoryStore(),
    sources: [],
    diamondPassword: 'x'.repeat(12),
    proxyResolver: resolver,
  });
}

/** Every Content-Security-Policy header value of a response, as a list. */
function policies(headers: Record<string, unknown>): string[] {
  const v = headers['content-security-policy'];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
}

/** GET over a real socket; resolves with the status, body bytes received and whether the body completed. */
async function overSocket(app: FastifyInstance, path: string) {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return new Promise<{ status: number; bytes: number; complete: boolean }>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('error', () => undefined);
      res.on('close', () => resolve({ status: res.statusCode ?? 0, bytes, complete: res.complete }));
    }).on('error', reject);
  });
}

describe('iframe proxy', () => {
  let upstream: Server;
  let other: Server;
  let port = 0;
  let otherPort = 0;
  let app: FastifyInstance;
  const base = () => `http://127.0.0.1:${port}`;
  const proxied = (url: string) => app.inject({ url: `/proxy?u=${encodeURIComponent(url)}` });

  before(async () => {
    upstream = upstreamServer();
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    port = (upstream.address() as AddressInfo).port;
    other = upstreamServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    otherPort = (other.address() as AddressInfo).port;
    // Loopback upstreams are opted in explicitly (`+private`), each on its own port.
    app = await proxyApp([
      `127.0.0.1:${port}+private`,
      `*.example.test:${port}`,
      `upstream.example.test:${port}+private`,
      `upstream.example.test:${otherPort}`,
      `plain.example.test:${port}`,
      'localhost.invalid',
    ]);
  });

  after(async () => {
    await app.close();
    await new Promise<void>((r) => upstream.close(() => r()));
    await new Promise<void>((r) => other.close(() => r()));
  });

  test('an allow-listed host is proxied with X-Frame-Options and CSP frame-ancestors removed', async () => {
    const res = await proxied(`${base()}/page`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, PAGE);
    assert.equal(res.headers['x-frame-options'], undefined);
    const csp = policies(res.headers);
    assert.deepEqual(
      csp,
      ["default-src 'self'; img-src *", SANDBOX_CSP],
      'the other directives stay; our sandbox is a policy of its own',
    );
    assert.equal(res.headers['set-cookie'], undefined, 'upstream cookies are not passed');
    assert.match(String(res.headers['content-type']), /text\/html/);
  });

  test('a redirect within the allow-list is followed; off the list, or to loopback by name, is 403', async () => {
    const inside = await proxied(`${base()}/redirect-in`);
    assert.equal(inside.statusCode, 200);
    assert.equal(inside.body, PAGE);
    for (const path of ['/redirect-out', '/redirect-loopback']) {
      const res = await proxied(`${base()}${path}`);
      assert.equal(res.statusCode, 403, path);
      assert.deepEqual(Object.keys(res.json()).sort(), ['error', 'success']);
      assert.match(res.json().error, /not allow-listed/);
    }
    const named = await proxied(`${base()}/redirect-named`);
    assert.equal(named.statusCode, 403, 'a wildcard-listed name that resolves to 127.0.0.1');
    assert.match(named.json().error, /private or loopback/);
  });

  test('any other host, a name resolving to loopback, and non-http schemes are 403', async () => {
    for (const url of [
      'https://evil.example.org/',
      `http://localhost:${port}/page`,
      `http://[::1]:${port}/page`,
      'file:///etc/passwd',
      `http://user:pw@127.0.0.1:${port}/page`,
    ]) {
      const res = await proxied(url);
      assert.equal(res.statusCode, 403, url);
      assert.equal(res.json().success, false);
    }
    const loop = await proxied(`http://scores.example.test:${port}/page`);
    assert.equal(loop.statusCode, 403);
    assert.match(loop.json().error, /private or loopback/);
    const exact = await proxied(`http://upstream.example.test:${port}/page`);
    assert.equal(exact.statusCode, 200, 'an exactly listed name marked +private may resolve to loopback');
    assert.equal(exact.body, PAGE);
  });

  test('an upstream sandbox (any case, header or policy) is dropped; ours stands alone', async () => {
    const res = await proxied(`${base()}/hostile-csp`);
    assert.equal(res.statusCode, 200);
    const csp = policies(res.headers);
    assert.deepEqual(csp, ["default-src 'self' 'unsafe-inline'", 'img-src *', SANDBOX_CSP]);
    for (const p of csp) assert.ok(!/allow-same-origin|allow-top-navigation|frame-ancestors/i.test(p), p);
    assert.equal(csp.filter((p) => /(^|;)\s*sandbox/i.test(p)).length, 1, 'one sandbox: ours');
    assert.equal(res.headers['content-security-policy-report-only'], undefined);
  });

  test('an exact name without +private, or on a port not marked so, may not resolve to loopback', async () => {
    const plain = await proxied(`http://plain.example.test:${port}/page`);
    assert.equal(plain.statusCode, 403);
    assert.match(plain.json().error, /private or loopback/);
    // upstream.example.test is +private on one port only; the other port's entry does not inherit it
    const otherPortRes = await proxied(`http://upstream.example.test:${otherPort}/page`);
    assert.equal(otherPortRes.statusCode, 403);
    assert.match(otherPortRes.json().error, /private or loopback/);
    // 127.0.0.1 is listed on one port: another port is not allow-listed, by URL or by redirect
    const direct = await proxied(`http://127.0.0.1:${otherPort}/page`);
    assert.equal(direct.statusCode, 403);
    assert.match(direct.json().error, /not allow-listed/);
  });

  test('a loopback IP or name listed without +private is refused; PROXY_ALLOW_PRIVATE opts exact ones in', async () => {
    const entries = [`127.0.0.1:${port}`, `upstream.example.test:${port}`, `*.example.test:${port}`];
    const strict = await proxyApp(entries);
    const open = await proxyApp(entries, { env: { PROXY_ALLOW_PRIVATE: '1' } });
    try {
      for (const url of [`${base()}/page`, `http://upstream.example.test:${port}/page`]) {
        const refused = await strict.inject({ url: `/proxy?u=${encodeURIComponent(url)}` });
        assert.equal(refused.statusCode, 403, url);
        assert.match(refused.json().error, /[Pp]rivate/);
        const allowed = await open.inject({ url: `/proxy?u=${encodeURIComponent(url)}` });
        assert.equal(allowed.statusCode, 200, url);
        assert.equal(allowed.body, PAGE);
      }
      const wild = await open.inject({
        url: `/proxy?u=${encodeURIComponent(`http://scores.example.test:${port}/page`)}`,
      });
      assert.equal(wild.statusCode, 403, 'a wildcard entry never reaches loopback');
    } finally {
      await strict.close();
      await open.close();
    }
  });

  test('an entry without a port allows only 80 and 443', async () => {
    const noPort = await proxyApp(['127.0.0.1', 'upstream.example.test'], {
      env: { PROXY_ALLOW_PRIVATE: '1' },
    });
    try {
      for (const url of [`${base()}/page`, `http://upstream.example.test:${port}/page`]) {
        const res = await noPort.inject({ url: `/proxy?u=${encodeURIComponent(url)}` });
        assert.equal(res.statusCode, 403, url);
        assert.match(res.json().error, /not allow-listed/);
      }
    } finally {
      await noPort.close();
    }
  });

  test('a malformed or wildcard +private entry is a configuration error', () => {
    for (const bad of ['*.example.test+private', 'host:99999', 'a b', 'http://x.test/']) {
      assert.throws(
        () => loadConfig({ env: { PROXY_ALLOW_HOSTS: bad }, configDir: null }),
        /proxy\.allowHosts|allowHosts/,
        bad,
      );
    }
  });

  test('each client IP gets PROXY_RATE_LIMIT proxy requests a minute, with API keys configured or not', async () => {
    // With keys configured, /proxy needs one (here as ?apiKey=, as an iframe sends it); the key's own
    // budget is high, so what answers 429 below is the per-IP proxy limit.
    for (const apiKeys of [undefined, ['a-long-enough-api-key:1000']]) {
      const keyParam = apiKeys ? '&apiKey=a-long-enough-api-key' : '';
      const limited = await proxyApp([`127.0.0.1:${port}+private`], {
        env: { PROXY_RATE_LIMIT: '3' },
        ...(apiKeys ? { apiKeys } : {}),
      });
      try {
        const url = `/proxy?u=${encodeURIComponent(`${base()}/page`)}${keyParam}`;
        for (let i = 0; i < 3; i++) {
          const ok = await limited.inject({ url });
          assert.equal(ok.statusCode, 200, `request ${i + 1}`);
        }
        const over = await limited.inject({ url });
        assert.equal(over.statusCode, 429);
        assert.deepEqual(Object.keys(over.json()).sort(), ['error', 'success']);
        assert.equal(over.json().success, false);
        assert.ok(Number(over.headers['retry-after']) > 0);
        const denied = await limited.inject({
          url: `/proxy?u=${encodeURIComponent('http://x.test/')}${keyParam}`,
        });
        assert.equal(denied.statusCode, 429, 'refused requests count too');
        const otherIp = await limited.inject({ url, remoteAddress: '127.0.0.9' });
        assert.equal(otherIp.statusCode, 200, 'another client has its own budget');
        for (let i = 0; i < 3; i++) await limited.inject({ url, remoteAddress: `2001:db8:0:1::${i + 1}` });
        const rotated = await limited.inject({ url, remoteAddress: '2001:db8:0:1::99' });
        assert.equal(rotated.statusCode, 429, 'an IPv6 client cannot rotate addresses within its prefix');
        const elsewhere = await limited.inject({ url: '/healthz' });
        assert.notEqual(elsewhere.statusCode, 429, 'the limit is the proxy route only');
      } finally {
        await limited.close();
      }
    }
  });

  test('bodies are capped in size and the exchange in time', async () => {
    const big = await proxied(`${base()}/big`);
    assert.equal(big.statusCode, 413);
    assert.equal(big.json().success, false);
    const cut = await overSocket(app, `/proxy?u=${encodeURIComponent(`${base()}/big-chunked`)}`);
    assert.equal(cut.status, 200, 'headers went out before the cap was reached');
    assert.ok(cut.bytes <= MAX_BYTES, `cut at the cap: ${cut.bytes} bytes`);
    assert.equal(cut.complete, false, 'the client sees a cut response, not a complete one');
    const started = Date.now();
    const slow = await proxied(`${base()}/slow`);
    assert.equal(slow.statusCode, 504);
    assert.ok(Date.now() - started < 2500);
    const bad = await app.inject({ url: '/proxy?u=not-a-url' });
    assert.equal(bad.statusCode, 400);
  });

  test('/event/:id/scorecard and /stream point at proxy paths that serve the upstream pages', async () => {
    const cricket = SAMPLE_EVENTS[2]!;
    const updates = sampleUpdates();
    const ev = updates.find((u) => u.kind === 'event' && u.upstreamEventId === cricket.bfi);
    assert.ok(ev?.kind === 'event');
    ev.event = {
      ...ev.event,
      scoreUrl: `${base()}/sc/1234?channel=77`,
      streamUrl: `${base()}/tracker/12562643`,
    };
    await feed(app, updates);
    const sc = (await app.inject({ url: `/api/v1/feed/event/${cricket.bfi}/scorecard` })).json();
    const path = sc.data._proxy.scorecard_url as string;
    assert.match(path, /^\/proxy\/scorecard\/[0-9a-f]{40}\/77$/);
    const page = await app.inject({ url: path });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['x-frame-options'], undefined);
    assert.equal(page.body, PAGE);
    const stream = (await app.inject({ url: `/api/v1/feed/event/${cricket.bfi}/stream` })).json();
    const tracker = (stream.data.streams as { type: string; url: string }[]).find(
      (s) => s.type === 'tracker',
    );
    assert.ok(tracker);
    const t = await app.inject({ url: new URL(tracker.url).pathname + new URL(tracker.url).search });
    assert.equal(t.statusCode, 200);
    assert.equal(t.body, PAGE);
    const unknown = await app.inject({ url: `/proxy/scorecard/${'0'.repeat(40)}/77` });
    assert.equal(unknown.statusCode, 404);
  });
});
