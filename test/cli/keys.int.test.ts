import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Records } from '../../src/records/index.js';
import { makeTestApp } from '../helpers/app.js';
import { TEST_SECRETS_KEY } from '../http/abp/helpers.js';
import { killAll, runCli } from './cli-process.js';

const CLI_MS = 120_000;

async function appOn(dataDir: string): Promise<FastifyInstance> {
  const records = await Records.open({ dataDir });
  return makeTestApp({ records, config: { dataDir, abp: { secretsKey: TEST_SECRETS_KEY } } });
}

describe('oddsgate keys (PGlite in DATA_DIR)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'oddsgate-keys-'));
  });
  after(async () => {
    killAll();
    await rm(dir, { recursive: true, force: true });
  });

  test('keys create → the key works on /abp; list; disable → 403 inactive; a held DATA_DIR fails clearly', async () => {
    const env = { DATA_DIR: dir };
    const created = runCli(
      ['keys', 'create', '--client', 'acme', '--rate', '5', '--bookmakers', 'paper,pinnacle', '--json'],
      env,
    );
    assert.equal(await created.exit(CLI_MS), 0, created.stderr());
    const last = created.stdout().trim().split('\n').pop() as string;
    const key = JSON.parse(last) as {
      apiKey: string;
      clientName: string;
      rateLimit: number;
      bookmakers: string[];
      id: string;
      enabled: boolean;
    };
    assert.match(key.apiKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(key.clientName, 'acme');
    assert.equal(key.rateLimit, 5);
    assert.deepEqual(key.bookmakers, ['paper', 'pinnacle']);
    assert.equal(key.enabled, true);

    const listed = runCli(['keys', 'list', '--json'], env);
    assert.equal(await listed.exit(CLI_MS), 0, listed.stderr());
    const list = JSON.parse(listed.stdout().trim().split('\n').pop() as string) as Record<string, unknown>[];
    assert.deepEqual(
      list.map((k) => k.id),
      [key.id],
    );
    assert.ok(!listed.stdout().includes(key.apiKey), 'the key itself is never listed');

    let app = await appOn(dir);
    try {
      const res = await app.inject({ url: '/abp/accounts', headers: { 'x-api-key': key.apiKey } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), []);
      // The server holds DATA_DIR: the CLI refuses clearly (exit 3) instead of opening PGlite twice.
      const held = runCli(['keys', 'list'], env);
      assert.equal(await held.exit(CLI_MS), 3);
      assert.match(held.stderr(), /in use by another oddsgate process/);
      assert.match(held.stderr(), /\/api\/v1\/admin\/abp\/keys/);
    } finally {
      await app.close();
    }

    const disabled = runCli(['keys', 'disable', key.id], env);
    assert.equal(await disabled.exit(CLI_MS), 0, disabled.stderr());
    assert.match(disabled.stdout(), /disabled/);
    app = await appOn(dir);
    try {
      const res = await app.inject({ url: '/abp/accounts', headers: { 'x-api-key': key.apiKey } });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), { detail: { message: 'API key is inactive', code: 'FORBIDDEN' } });
    } finally {
      await app.close();
    }
  });

  test('usage errors exit 2 without touching the database', async () => {
    for (const args of [
      ['keys'],
      ['keys', 'create'],
      ['keys', 'create', '--client', 'a', '--rate', '0'],
      ['keys', 'disable', 'nope'],
    ]) {
      const r = runCli(args, { DATA_DIR: join(dir, 'never') });
      assert.equal(await r.exit(CLI_MS), 2, args.join(' '));
      assert.match(r.stderr(), /usage: oddsgate keys/);
    }
  });
});
