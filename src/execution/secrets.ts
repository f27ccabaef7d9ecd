import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { OddsgateError } from '../core/errors.js';

/** Prefix of sealed values: the format's version, so a later scheme can sit beside this one. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** HKDF info string: binds the derived key to this use. */
const INFO = 'oddsgate/abp/account-credentials';

/** Raised when a sealed value cannot be opened (wrong SECRETS_KEY, or the stored bytes were changed). */
export class SecretOpenError extends OddsgateError<'ERR_SECRET_OPEN'> {
  constructor() {
    super(
      'ERR_SECRET_OPEN',
      'a stored credential could not be decrypted: SECRETS_KEY differs from the one it was sealed with',
    );
    this.name = 'SecretOpenError';
  }
}

/**
 * AES-256-GCM for account credentials at rest. The 256-bit key is derived from SECRETS_KEY with
 * HKDF-SHA256; every value gets a fresh 96-bit IV, and the GCM tag makes any change to the stored text
 * fail to open. Sealed text: `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** A box keyed from a secret of at least 32 characters. */
  static fromSecret(secret: string): SecretBox {
    const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));
    return new SecretBox(key);
  }

  /** Encrypts `plaintext` (UTF-8) to the sealed text format. */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [VERSION, ...parts].join('.');
  }

  /** Decrypts sealed text; throws SecretOpenError when the key is wrong or the text was altered. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || body === undefined)
      throw new SecretOpenError();
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretOpenError();
    }
  }
}

/** Name of the key file made in DATA_DIR when SECRETS_KEY is not set. */
export const SECRETS_KEY_FILE = 'secrets.key';

/**
 * The credentials key: SECRETS_KEY when set; else `<dataDir>/secrets.key`, made once (random, mode 0600)
 * with a warning. Several instances on one PostgreSQL must share one SECRETS_KEY instead.
 */
export async function resolveSecretsKey(
  configured: string | undefined,
  dataDir: string,
  logger?: Pick<Logger, 'warn'>,
): Promise<string> {
  if (configured) return configured;
  const path = join(dataDir, SECRETS_KEY_FILE);
  try {
    const text = (await readFile(path, 'utf8')).trim();
    if (text.length >= 32) return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  try {
    await writeFile(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(path, 'utf8')).trim();
    throw err;
  }
  await chmod(path, 0o600);
  logger?.warn(
    { file: path },
    'SECRETS_KEY is not set: account credentials are encrypted with a key file made in DATA_DIR; set SECRETS_KEY when several instances share a database',
  );
  return key;
}
