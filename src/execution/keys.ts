import { hash, randomUUID, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/** One API key as stored (never the key itself). */
export interface ApiKeyRecord {
  id: string;
  clientName: string;
  bookmakers: string[];
  rateLimit: number;
  enabled: boolean;
  expiresAt: string | null;
  createdAt: string;
  disabledAt: string | null;
}

/** What to create a key with. */
export interface NewApiKey {
  clientName: string;
  rateLimit: number;
  bookmakers?: readonly string[];
  expiresAt?: Date | null;
}

/** Why a presented key is refused. */
export type KeyRefusal = 'invalid' | 'inactive' | 'expired';

/** The client a key acts for (the same shape as the /abp request context's AbpClient). */
export interface KeyClient {
  keyId: string;
  clientName: string;
  bookmakers: readonly string[];
  rateLimit: number;
}

/** The outcome of checking a presented key. */
export type KeyCheck = { ok: true; client: KeyClient } | { ok: false; reason: KeyRefusal };

interface KeyRow {
  id: string;
  key_hash: Uint8Array;
  client_name: string;
  bookmakers: string[];
  rate_limit: number;
  enabled: boolean;
  expires_at: Date | string | null;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

/** Longest key text looked up (a UUID is 36); longer text is refused without hashing. */
const MAX_KEY_LENGTH = 256;
/** How long a looked-up key is trusted before the database is asked again (disable takes effect within). */
const CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

function digest(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}

function iso(v: Date | string | null): string | null {
  return v === null ? null : new Date(v).toISOString();
}

function record(r: KeyRow): ApiKeyRecord {
  return {
    id: r.id,
    clientName: r.client_name,
    bookmakers: [...r.bookmakers],
    rateLimit: r.rate_limit,
    enabled: r.enabled,
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at) as string,
    disabledAt: iso(r.disabled_at),
  };
}

/**
 * ABP API keys in the records database: random UUID keys, stored as their SHA-256 (found by the hash's unique
 * index, then compared in constant time), with the client name, allowed bookmakers, rate limit, enabled flag
 * and expiry. `check` answers from a short cache (bounded) so a busy client does not cost a query per request.
 */
export class ApiKeyRepository {
  private readonly cache = new Map<string, { at: number; row: KeyRow | null }>();

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates a key; the key text is returned once here and never stored. */
  async create(input: NewApiKey): Promise<{ apiKey: string; record: ApiKeyRecord }> {
    const apiKey = randomUUID();
    const id = randomUUID();
    const bookmakers = [...new Set(input.bookmakers ?? [])];
    const { rows } = await sql<KeyRow>`
      insert into abp_api_keys (id, key_hash, client_name, bookmakers, rate_limit, expires_at)
      values (${id}, ${digest(apiKey)}, ${input.clientName}, ${bookmakers}::text[], ${input.rateLimit},
              ${input.expiresAt ?? null})
      returning *`.execute(this.db);
    return { apiKey, record: record(rows[0] as KeyRow) };
  }

  /** Every key, oldest first (optionally one client's). */
  async list(clientName?: string): Promise<ApiKeyRecord[]> {
    const { rows } = await sql<KeyRow>`
      select * from abp_api_keys
      where ${clientName === undefined ? sql`true` : sql`client_name = ${clientName}`}
      order by created_at, id`.execute(this.db);
    return rows.map(record);
  }

  /** One key by id, or null. */
  async get(id: string): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    const { rows } = await sql<KeyRow>`select * from abp_api_keys where id = ${id}`.execute(this.db);
    return rows[0] ? record(rows[0]) : null;
  }

  /** Enables or disables a key; null when there is no such key. */
  async setEnabled(id: string, enabled: boolean): Promise<ApiKeyRecord | null> {
    if (!isUuid(id)) return null;
    const { rows } = await sql<KeyRow>`
      update abp_api_keys
      set enabled = ${enabled}, disabled_at = ${enabled ? null : sql`now()`}
      where id = ${id}
      returning *`.execute(this.db);
    this.cache.clear();
    return rows[0] ? record(rows[0]) : null;
  }

  /** Checks a presented key: the client it acts for, or why it is refused. */
  async check(given: unknown): Promise<KeyCheck> {
    if (typeof given !== 'string' || given.length === 0 || given.length > MAX_KEY_LENGTH)
      return { ok: false, reason: 'invalid' };
    const d = digest(given);
    const row = await this.lookup(d);
    // The index found the row by its hash; compare the hash in constant time before trusting it.
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash), d)) return { ok: false, reason: 'invalid' };
    if (!row.enabled) return { ok: false, reason: 'inactive' };
    if (row.expires_at !== null && new Date(row.expires_at).getTime() <= this.now())
      return { ok: false, reason: 'expired' };
    return {
      ok: true,
      client: {
        keyId: row.id,
        clientName: row.client_name,
        bookmakers: [...row.bookmakers],
        rateLimit: row.rate_limit,
      },
    };
  }

  private async lookup(d: Buffer): Promise<KeyRow | null> {
    const cacheKey = d.toString('hex');
    const hit = this.cache.get(cacheKey);
    if (hit && this.now() - hit.at < CACHE_MS) return hit.row;
    const { rows } = await sql<KeyRow>`select * from abp_api_keys where key_hash = ${d}`.execute(this.db);
    const row = rows[0] ?? null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(cacheKey, { at: this.now(), row });
    return row;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for UUID text (any version). */
export function isUuid(v: string): boolean {
  return UUID.test(v);
}
