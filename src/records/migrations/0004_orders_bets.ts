import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Execution (ABP orders and bets). Idempotency lives in the database: `orders (client_name, request_uuid)`
 * is unique, so concurrent duplicates on any number of instances give one order; `bets.bet_request_id` is
 * the connector's idempotency key, written before the bet is sent, so a placement whose outcome is unknown
 * is looked up at the bookmaker by it and never sent twice. Every state change writes an `execution_audit`
 * row in the same transaction (the bet trace: what was sent, what came back, secrets masked).
 */
export const orders_bets: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table currencies (
        code text primary key,
        usd_rate double precision not null check (usd_rate > 0),
        updated_at timestamptz not null default now()
      )`.execute(db);
    // USD per unit of each currency; changed by operators (rows), read through a short cache.
    await sql`insert into currencies (code, usd_rate) values
      ('USD', 1), ('EUR', 1.08), ('GBP', 1.27), ('INR', 0.012), ('AUD', 0.66), ('CAD', 0.73),
      ('BRL', 0.2), ('USDT', 1), ('USDC', 1)`.execute(db);
    await sql`
      create table orders (
        order_id bigserial primary key,
        request_uuid uuid not null,
        client_name text not null,
        fixture_id text not null,
        outcome_id integer not null,
        player_id integer not null,
        order_price double precision not null,
        order_stake double precision not null,
        filled_stake double precision not null default 0,
        order_status text not null,
        status_reason text,
        user_ref text not null,
        test_order boolean not null,
        accept_better_odds boolean not null,
        accept_partial_stake boolean not null,
        order_currency text not null,
        back boolean not null,
        allowed_bookmakers text not null,
        odds_info jsonb,
        meta jsonb not null default '{}',
        expires_at timestamptz not null,
        filled_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint orders_request_uuid unique (client_name, request_uuid)
      )`.execute(db);
    await sql`create index orders_user_ref on orders (client_name, user_ref, order_id desc)`.execute(db);
    await sql`create index orders_open on orders (updated_at)
      where order_status in ('PENDING', 'PROCESSING')`.execute(db);
    await sql`
      create table bets (
        bet_id bigserial primary key,
        order_id bigint not null references orders (order_id),
        client_name text not null,
        bookmaker text not null,
        account text not null,
        bookmaker_bet_id text,
        bet_status text not null,
        settlement_status text not null default 'UNSETTLED',
        placed_stake double precision not null,
        placed_price double precision,
        placed_currency text not null,
        request_uuid uuid not null,
        user_ref text not null,
        test_bet boolean not null,
        bet_request_id text not null unique,
        fixture_id text not null,
        outcome_id integer not null,
        player_id integer not null,
        back boolean not null,
        sent_data jsonb,
        received_data jsonb,
        settlement_amount double precision,
        settlement_reason text,
        settled_at timestamptz,
        decline_reason text,
        odds_info jsonb,
        meta jsonb not null default '{}',
        placed_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index bets_order on bets (order_id)`.execute(db);
    await sql`create index bets_user_ref on bets (client_name, user_ref, bet_id desc)`.execute(db);
    await sql`create index bets_unsettled on bets (fixture_id)
      where settlement_status = 'UNSETTLED' and bet_status = 'CONFIRMED'`.execute(db);
    await sql`create index bets_unresolved on bets (updated_at)
      where bet_status in ('PENDING', 'PLACED')`.execute(db);
    await sql`
      create table execution_audit (
        audit_id bigserial primary key,
        order_id bigint not null,
        bet_id bigint,
        entity text not null,
        from_status text,
        to_status text not null,
        reason text,
        sent jsonb,
        received jsonb,
        at timestamptz not null default now()
      )`.execute(db);
    await sql`create index execution_audit_order on execution_audit (order_id, audit_id)`.execute(db);
    // Switches every instance reads (emergency mode).
    await sql`
      create table execution_state (
        key text primary key,
        value jsonb not null,
        updated_at timestamptz not null default now()
      )`.execute(db);
    // The paper bookmaker's own ledger: its idempotency key is the bet's bet_request_id.
    await sql`
      create table paper_bets (
        idempotency_key text primary key,
        paper_bet_id bigserial unique,
        account text not null,
        stake double precision not null,
        price double precision not null,
        back boolean not null,
        selection jsonb not null,
        status text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['paper_bets', 'execution_state', 'execution_audit', 'bets', 'orders', 'currencies'])
      await sql`drop table ${sql.table(t)}`.execute(db);
  },
};
