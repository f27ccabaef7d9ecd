import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The ABP surface's clients and bookmaker accounts.
 *
 * `abp_api_keys`: one row per API key (a random UUID shown once at creation); only its SHA-256 is kept
 * (`key_hash`, unique), with the client it acts for, allowed bookmakers (empty: all), requests per minute,
 * whether it is enabled and when it expires.
 *
 * `abp_accounts`: bookmaker accounts, keyed by (bookmaker, username) as the ABP document keys them, owned
 * by one client. `password_sealed` holds the credential encrypted with AES-256-GCM (src/execution/secrets.ts),
 * never the credential. Money columns are numeric (exact), stakes optional overrides of the bookmaker's.
 */
export const abp_keys_accounts: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table abp_api_keys (
        id uuid primary key,
        key_hash bytea not null unique,
        client_name text not null,
        bookmakers text[] not null default '{}',
        rate_limit integer not null check (rate_limit > 0),
        enabled boolean not null default true,
        expires_at timestamptz,
        created_at timestamptz not null default now(),
        disabled_at timestamptz
      )`.execute(db);
    await sql`create index abp_api_keys_client on abp_api_keys (client_name)`.execute(db);
    await sql`
      create table abp_accounts (
        bookmaker text not null,
        username text not null,
        client_name text not null,
        password_sealed text not null,
        balance numeric(20, 2) not null default 0,
        active boolean not null default true,
        priority integer not null default 0,
        min_stake numeric(20, 2),
        max_stake numeric(20, 2),
        currency_id text not null default 'USD',
        verify_betslip boolean not null default false,
        meta jsonb not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (bookmaker, username),
        check (min_stake is null or min_stake >= 0),
        check (max_stake is null or max_stake > 0),
        check (min_stake is null or max_stake is null or min_stake <= max_stake)
      )`.execute(db);
    await sql`create index abp_accounts_client on abp_accounts (client_name, bookmaker, priority desc)`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table abp_accounts`.execute(db);
    await sql`drop table abp_api_keys`.execute(db);
  },
};
