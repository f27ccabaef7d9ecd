import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Market making: every exchange fill of a quote, and the hedge it gets. `fill_key` (the exchange's own id
 * of the fill, e.g. the Betfair bet id and its matched-size step) is unique, so a fill reported twice, by
 * two streams or two instances, is one row and gets one hedge; the hedge's execution order is keyed by the
 * fill (its requestUuid is derived from `fill_key`), so a hedge interrupted between the two is resumed,
 * never placed twice.
 */
export const mm_fills: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table mm_fills (
        fill_id bigserial primary key,
        fill_key text not null,
        client_name text not null,
        market_key text not null,
        fixture_id text not null,
        outcome_id integer not null,
        exchange text not null,
        quote_back boolean not null,
        fill_price double precision not null check (fill_price > 1),
        fill_size double precision not null check (fill_size > 0),
        hedge_bookmaker text not null,
        hedge_back boolean not null,
        hedge_stake double precision not null check (hedge_stake > 0),
        hedge_price double precision not null check (hedge_price > 1),
        hedge_order_id bigint,
        hedge_status text not null default 'PENDING',
        hedge_reason text,
        created_at timestamptz not null default now(),
        hedged_at timestamptz,
        constraint mm_fills_fill_key unique (fill_key)
      )`.execute(db);
    await sql`create index mm_fills_unhedged on mm_fills (fill_id) where hedge_order_id is null`.execute(db);
    await sql`create index mm_fills_market on mm_fills (client_name, market_key)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table mm_fills`.execute(db);
  },
};
