import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, SecretOpenError, resolveSecretsKey } from '../../src/execution/secrets.js';

const KEY = 'a-secrets-key-of-at-least-32-characters';

test('seal/open round-trips, each seal is different, no plaintext in the sealed text', () => {
  const box = SecretBox.fromSecret(KEY);
  const a = box.seal('hunter2');
  const b = box.seal('hunter2');
  assert.notEqual(a, b, 'fresh IV per value');
  assert.ok(!a.includes('hunter2'));
  assert.equal(box.open(a), 'hunter2');
  assert.equal(box.open(box.seal('ünïcode ✓')), 'ünïcode ✓');
});

test('a wrong key or altered text never opens', () => {
  const sealed = SecretBox.fromSecret(KEY).seal('hunter2');
  assert.throws(() => SecretBox.fromSecret(`${KEY}-other`).open(sealed), SecretOpenError);
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[0] = body[0]! ^ 1;
  parts[3] = body.toString('base64url');
  assert.throws(() => SecretBox.fromSecret(KEY).open(parts.join('.')), SecretOpenError);
  assert.throws(() => SecretBox.fromSecret(KEY).open('plain'), SecretOpenError);
});

test('without SECRETS_KEY a key file is made once (0600) and reused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oddsgate-secrets-'));
  try {
    const warnings: unknown[] = [];
    const first = await resolveSecretsKey(undefined, dir, {
      warn: (o: unknown) => warnings.push(o),
    } as never);
    const second = await resolveSecretsKey(undefined, dir);
    assert.equal(first, second);
    assert.ok(first.length >= 32);
    assert.equal(warnings.length, 1);
    assert.equal((await stat(join(dir, 'secrets.key'))).mode & 0o777, 0o600);
    assert.equal((await readFile(join(dir, 'secrets.key'), 'utf8')).trim(), first);
    assert.equal(await resolveSecretsKey(KEY, dir), KEY, 'SECRETS_KEY wins');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
