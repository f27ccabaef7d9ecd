import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readyLine } from '../../src/ready-line.js';

test('the ready line names the URLs to open and the generated password', () => {
  const line = readyLine({ role: 'all', host: '0.0.0.0', port: 0 }, 3001, 'Gen3rated-pw');
  assert.match(line, /^ready \(role all\): dashboard http:\/\/localhost:3001\/ · /);
  assert.match(line, /Diamond http:\/\/localhost:3001\/api\/v2\/diamond/);
  assert.match(line, /ws ws:\/\/localhost:3001\/ws/);
  assert.match(line, /ready http:\/\/localhost:3001\/readyz/);
  assert.match(
    line,
    /Diamond password \(generated for this run; set DIAMOND_PASSWORD to choose\): Gen3rated-pw$/,
  );
});

test('a chosen password is never in it; ROLE=ingest lists only what it serves', () => {
  const api = readyLine({ role: 'api', host: '127.0.0.1', port: 3002 }, 3002, null);
  assert.ok(!/password/i.test(api), api);
  assert.match(api, /http:\/\/127\.0\.0\.1:3002\//);
  const ingest = readyLine({ role: 'ingest', host: '0.0.0.0', port: 3100 }, 3100, null);
  assert.equal(
    ingest,
    'ready (role ingest): health http://localhost:3100/api/v1/admin/health · ready http://localhost:3100/readyz · metrics http://localhost:3100/metrics',
  );
});
