import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { makeTestApp, TEST_PASSWORD } from '../../helpers/app.js';
import { withoutPaths } from '../../../src/http/routes/admin/paths.js';
import type { Source } from '../../../src/sources/types.js';

const TOKEN = 'metrics-token-000001';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** The value of one CSP directive (the words after its name). */
function directive(csp: string, name: string): string[] {
  const d = csp
    .split(';')
    .map((s) => s.trim())
    .find((s) => s.startsWith(`${name} `));
  return d ? d.split(/\s+/).slice(1) : [];
}

describe('security headers', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await makeTestApp();
  });
  after(async () => {
    await app.close();
  });

  test('nosniff on every response: pages, JSON, 401, 404, malformed URLs, metrics, docs', async () => {
    for (const req of [
      { url: '/' },
      { url: '/healthz' },
      { url: '/api/v1/feed/sports' },
      { url: '/api/v1/admin/health' },
      { url: '/api/v2/diamond/sports' },
      { url: '/api/v2/diamond/sports', headers: { 'x-password': TEST_PASSWORD } },
      { url: '/nope' },
      { url: '/api/v1/feed/event/%E0%A4%A' },
      { url: '/metrics' },
      { url: '/docs/websocket' },
      { url: '/openapi.json' },
      { url: '/proxy/?u=https://a.example/' },
    ]) {
      const res = await app.inject(req);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', `${req.url} (${res.statusCode})`);
    }
  });

  test('/docs has a CSP that allows exactly its own inline script and style, framed by this origin only', async () => {
    const page = await app.inject({ url: '/docs' });
    assert.equal(page.statusCode, 200);
    const csp = String(page.headers['content-security-policy'] ?? '');
    assert.deepEqual(directive(csp, 'frame-ancestors'), ["'self'"]);
    assert.ok(!csp.includes('upgrade-insecure-requests'), 'plain-HTTP installs still load the assets');
    assert.ok(!directive(csp, 'script-src').includes("'unsafe-inline'"));
    const html = page.body;
    const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
      .map((m) => m[1] ?? '')
      .filter((s) => s.trim().length > 0);
    for (const s of inlineScripts)
      assert.ok(directive(csp, 'script-src').includes(sha256(s)), 'inline script allowed');
    // Every asset the page loads comes from this origin, which the policy allows.
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.ok(assets.length > 0);
    for (const a of assets) assert.ok(!/^(https?:)?\/\//.test(a), `asset ${a} is same-origin`);
    assert.ok(
      directive(csp, 'script-src').includes("'self'") && directive(csp, 'style-src').includes("'self'"),
    );
    for (const a of assets.filter((x) => x.endsWith('.js') || x.endsWith('.css'))) {
      const res = await app.inject({ url: new URL(a, 'http://h/docs/').pathname });
      assert.equal(res.statusCode, 200, a);
    }
    const slash = await app.inject({ url: '/docs/' });
    assert.equal(slash.statusCode, 200);
    assert.ok(String(slash.headers['content-security-policy']).includes("frame-ancestors 'self'"));
  });

  test('/docs/websocket has a CSP allowing only its own inline style, framed by this origin only', async () => {
    const res = await app.inject({ url: '/docs/websocket' });
    const csp = String(res.headers['content-security-policy'] ?? '');
    assert.deepEqual(directive(csp, 'frame-ancestors'), ["'self'"]);
    assert.deepEqual(directive(csp, 'default-src'), ["'none'"]);
    const styles = [...res.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => sha256(m[1] ?? ''));
    assert.ok(styles.length > 0);
    assert.deepEqual(directive(csp, 'style-src'), styles);
    assert.ok(!/<script/i.test(res.body), 'no script the policy would block');
  });
});

describe('METRICS_TOKEN', () => {
  test('unset: /metrics is open; set: it needs Authorization: Bearer <token>', async () => {
    const open = await makeTestApp();
    try {
      assert.equal((await open.inject({ url: '/metrics' })).statusCode, 200);
    } finally {
      await open.close();
    }
    const app = await makeTestApp({ env: { METRICS_TOKEN: TOKEN } });
    try {
      const none = await app.inject({ url: '/metrics' });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().success, false);
      assert.ok(!none.body.includes('oddsgate_'), 'no metric leaks');
      for (const authorization of [TOKEN, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ']) {
        const res = await app.inject({ url: '/metrics', headers: { authorization } });
        assert.equal(res.statusCode, 401, authorization);
      }
      for (const url of ['/%6Detrics', '/metrics/', '/metrics?x=1']) {
        assert.equal((await app.inject({ url })).statusCode, 401, url);
      }
      const ok = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /oddsgate_/);
    } finally {
      await app.close();
    }
  });
});

describe('admin responses carry no filesystem path', () => {
  test('withoutPaths: cwd paths become relative, other absolute paths keep their file name, URLs stay', () => {
    const cwd = '/srv/oddsgate';
    const text = JSON.stringify({
      file: '/srv/oddsgate/config/recordings/a.ndjson',
      other: '/home/alice/rec/b.ndjson',
      error: "ENOENT: no such file or directory, open '/tmp/x/c.ndjson'",
      url: 'https://site.example/home/page',
      route: '/api/v1/feed/events',
      relative: 'config/sites',
    });
    const out = JSON.parse(withoutPaths(text, cwd)) as Record<string, string>;
    assert.deepEqual(out, {
      file: 'config/recordings/a.ndjson',
      other: 'b.ndjson',
      error: "ENOENT: no such file or directory, open 'c.ndjson'",
      url: 'https://site.example/home/page',
      route: '/api/v1/feed/events',
      relative: 'config/sites',
    });
  });

  test('/admin/accounts shows a source configured with absolute paths by file name only', async () => {
    const secretDir = `${process.cwd()}/../private-recordings`;
    const source = {
      name: 'replay',
      start: async () => undefined,
      stop: async () => undefined,
      status: () => ({
        source: 'replay',
        kind: 'replay',
        state: 'error',
        connected: false,
        lastError: `cannot read recording /var/lib/oddsgate/rec.ndjson: ENOENT`,
        lastErrorAt: null,
        lastUpdateAt: null,
        frames: 0,
        markets: 0,
        details: {
          file: `${process.cwd()}/config/recordings/x.ndjson`,
          other: '/home/op/y.ndjson',
          secretDir,
        },
      }),
    } as unknown as Source;
    const app = await makeTestApp({ sources: [source] });
    try {
      for (const url of ['/api/v1/admin/accounts', '/api/v1/admin/health']) {
        const res = await app.inject({ url });
        assert.ok(res.statusCode === 200 || res.statusCode === 503, url);
        assert.ok(!res.body.includes(process.cwd()), `${url} shows the working directory`);
        assert.ok(!/"\/(var|home)\//.test(res.body) && !res.body.includes(' /var/'), `${url}: ${res.body}`);
      }
      const body = (await app.inject({ url: '/api/v1/admin/accounts' })).json() as {
        data: { last_error: string; details: Record<string, string> }[];
      };
      assert.equal(body.data[0]?.details.file, 'config/recordings/x.ndjson');
      assert.equal(body.data[0]?.details.other, 'y.ndjson');
      assert.equal(body.data[0]?.last_error, 'cannot read recording rec.ndjson: ENOENT');
    } finally {
      await app.close();
    }
  });
});
