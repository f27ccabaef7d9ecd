import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { BACKENDS, type Backend } from '../../records/helpers.js';
import { abpApp, newKey, withKey } from './helpers.js';

const PINNACLE = {
  bookmaker: 'pinnacle',
  username: 'pinnacle_main',
  password: 'hunter2-very-secret',
  balance: 5000,
  priority: 10,
  maxStake: 1000,
  minStake: 5,
  currencyId: 'USD',
};

for (const make of BACKENDS) {
  describe(`ABP accounts and auth (${make.name})`, () => {
    let backend: Backend;
    let app: FastifyInstance;
    let alice: string;
    let bob: string;

    before(async () => {
      backend = await make();
      app = await abpApp(backend);
      alice = await newKey(app, 'alice');
      bob = await newKey(app, 'bob');
    });
    after(async () => {
      await app?.close();
      await backend?.cleanup();
    });

    test('a missing key is 401 with the document body', async () => {
      const res = await app.inject({ url: '/abp/accounts' });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { detail: { message: 'Missing X-API-Key header', code: 'UNAUTHORIZED' } });
    });

    test('a wrong key is 401 Invalid API key', async () => {
      const res = await app.inject({
        url: '/abp/accounts',
        headers: withKey('00000000-0000-4000-8000-000000000000'),
      });
      assert.equal(res.statusCode, 401);
      assert.deepEqual(res.json(), { detail: { message: 'Invalid API key', code: 'UNAUTHORIZED' } });
    });

    test('a disabled key is 403 inactive, an expired one 403 expired', async () => {
      const key = await newKey(app, 'carol');
      const rec = (await app.abp!.keys.list('carol'))[0]!;
      await app.abp!.keys.setEnabled(rec.id, false);
      const res = await app.inject({ url: '/abp/accounts', headers: withKey(key) });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), { detail: { message: 'API key is inactive', code: 'FORBIDDEN' } });
      const old = await newKey(app, 'dave', { expiresAt: new Date(Date.now() - 1000) });
      const res2 = await app.inject({ url: '/abp/accounts', headers: withKey(old) });
      assert.equal(res2.statusCode, 403);
      assert.deepEqual(res2.json(), { detail: { message: 'API key has expired', code: 'FORBIDDEN' } });
    });

    test('create, list, get, patch and delete an account; the password is always ***', async () => {
      const created = await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: withKey(alice),
        payload: PINNACLE,
      });
      assert.equal(created.statusCode, 201, created.body);
      const body = created.json();
      assert.equal(body.password, '***');
      assert.equal(body.client, 'alice');
      assert.equal(body.balance, 5000);
      assert.equal(body.verifyBetslip, false);
      assert.deepEqual(body.meta, {});
      assert.ok(!created.body.includes(PINNACLE.password));

      await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: withKey(alice),
        payload: { ...PINNACLE, username: 'pinnacle_low', priority: 1, password: 'x-other-secret' },
      });
      const list = await app.inject({ url: '/abp/accounts', headers: withKey(alice) });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(
        list.json().map((a: { username: string }) => a.username),
        ['pinnacle_main', 'pinnacle_low'],
        'highest priority first',
      );
      assert.ok(list.json().every((a: { password: string }) => a.password === '***'));

      const patched = await app.inject({
        method: 'PATCH',
        url: '/abp/accounts/pinnacle/pinnacle_main',
        headers: withKey(alice),
        payload: { balance: 4990, verifyBetslip: true, meta: { desk: 'a' } },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().balance, 4990);
      assert.equal(patched.json().verifyBetslip, true);
      assert.deepEqual(patched.json().meta, { desk: 'a' });
      assert.equal(patched.json().priority, 10, 'fields not given stay');

      const got = await app.inject({ url: '/abp/accounts/pinnacle/pinnacle_main', headers: withKey(alice) });
      assert.equal(got.json().balance, 4990);

      const del = await app.inject({
        method: 'DELETE',
        url: '/abp/accounts/pinnacle/pinnacle_low',
        headers: withKey(alice),
      });
      assert.equal(del.statusCode, 204);
      assert.equal(del.body, '');
      const gone = await app.inject({ url: '/abp/accounts/pinnacle/pinnacle_low', headers: withKey(alice) });
      assert.equal(gone.statusCode, 404);
      assert.deepEqual(gone.json(), { detail: 'Account not found' });
    });

    test("another client's account is 403 Access denied and is never changed", async () => {
      for (const [method, payload] of [
        ['GET', undefined],
        ['PATCH', { balance: 1 }],
        ['DELETE', undefined],
      ] as const) {
        const res = await app.inject({
          method,
          url: '/abp/accounts/pinnacle/pinnacle_main',
          headers: withKey(bob),
          ...(payload ? { payload } : {}),
        });
        assert.equal(res.statusCode, 403, `${method}: ${res.body}`);
        assert.deepEqual(res.json(), {
          detail: { message: 'Access denied to this account', code: 'FORBIDDEN' },
        });
      }
      const mine = await app.inject({ url: '/abp/accounts/pinnacle/pinnacle_main', headers: withKey(alice) });
      assert.equal(mine.json().balance, 4990);
      const bobs = await app.inject({ url: '/abp/accounts', headers: withKey(bob) });
      assert.deepEqual(bobs.json(), []);
      const dup = await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: withKey(bob),
        payload: PINNACLE,
      });
      assert.equal(dup.statusCode, 409);
      assert.deepEqual(dup.json(), { detail: 'Account already exists' });
    });

    test('bad input is 422 in the document shape and stores nothing', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: withKey(alice),
        payload: { bookmaker: 'sharpbet', password: 'p', maxStake: 0 },
      });
      assert.equal(res.statusCode, 422);
      const detail = res.json().detail as { loc: unknown[]; msg: string; type: string }[];
      assert.deepEqual(
        detail.find((d) => d.loc[1] === 'username'),
        { loc: ['body', 'username'], msg: 'Field required', type: 'missing' },
      );
      assert.deepEqual(
        detail.find((d) => d.loc[1] === 'maxStake'),
        { loc: ['body', 'maxStake'], msg: 'Input should be greater than 0', type: 'greater_than' },
      );
      const bad = await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: { ...withKey(alice), 'content-type': 'application/json' },
        payload: '{"bookmaker":',
      });
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(bad.json(), {
        detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
      });
      const order = await app.inject({
        method: 'PATCH',
        url: '/abp/accounts/pinnacle/pinnacle_main',
        headers: withKey(alice),
        payload: { minStake: 2000 },
      });
      assert.equal(order.statusCode, 422, 'min above the stored max');
      const list = await app.inject({ url: '/abp/accounts', headers: withKey(alice) });
      assert.deepEqual(
        list.json().map((a: { bookmaker: string }) => a.bookmaker),
        ['pinnacle'],
      );
      assert.equal(list.json()[0].minStake, 5);
    });

    test('credentials are encrypted at rest: the raw row holds no plaintext', async () => {
      const { rows } = await sql<{ password_sealed: string }>`
        select password_sealed from abp_accounts where username = 'pinnacle_main'`.execute(
        app.records!.database.db,
      );
      const sealed = rows[0]!.password_sealed;
      assert.ok(!sealed.includes(PINNACLE.password));
      assert.match(sealed, /^v1\./);
      const creds = await app.abp!.accounts.credentials('pinnacle', 'pinnacle_main');
      assert.equal(creds?.password, PINNACLE.password);
      const keys = await sql<Record<string, unknown>>`select * from abp_api_keys`.execute(
        app.records!.database.db,
      );
      const dump = JSON.stringify(keys.rows);
      assert.ok(!dump.includes(alice) && !dump.includes(bob), 'API keys are stored hashed');
    });

    test('a key restricted to bookmakers cannot use others', async () => {
      const key = await newKey(app, 'erin', { bookmakers: ['sharpbet'] });
      const res = await app.inject({
        method: 'POST',
        url: '/abp/accounts',
        headers: withKey(key),
        payload: { ...PINNACLE, username: 'erin_p' },
      });
      assert.equal(res.statusCode, 403);
      assert.deepEqual(res.json(), {
        detail: { message: 'Access denied to this bookmaker', code: 'FORBIDDEN' },
      });
    });

    test('past the key rate limit: 429 {"detail":"Rate limit exceeded"} with Retry-After', async () => {
      const key = await newKey(app, 'frank', { rateLimit: 3 });
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await app.inject({ url: '/abp/accounts', headers: withKey(key) });
        codes.push(last.statusCode);
      }
      assert.deepEqual(codes, [200, 200, 200, 429]);
      assert.deepEqual(last!.json(), { detail: 'Rate limit exceeded' });
      assert.ok(Number(last!.headers['retry-after']) >= 1);
      assert.equal(last!.headers['x-ratelimit-limit'], '3');
    });
  });
}
