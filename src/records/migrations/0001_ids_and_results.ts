import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The id registry and the results archive. `results` grows with time, so it is partitioned by day on its
 * completion time (partitions are made on demand, see partitions.ts); `result_index` finds an event's one
 * current row (a result re-issued with another completion time moves).
 */
export const ids_and_results: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table event_ids (
        source text not null,
        upstream_id text not null,
        event_id bigint not null,
        primary key (source, upstream_id)
      )`.execute(db);
    await sql`create index event_ids_event on event_ids (event_id)`.execute(db);
    await sql`
      create table id_counter (
        name text primary key,
        high_water bigint not null
      )`.execute(db);
    await sql`
      create table results (
        completed_at timestamptz not null,
        event_id bigint not null,
        sport_id integer not null,
        winner_source text not null,
        result jsonb not null,
        primary key (completed_at, event_id)
      ) partition by range (completed_at)`.execute(db);
    await sql`create index results_sport on results (sport_id, completed_at, event_id)`.execute(db);
    await sql`
      create table result_index (
        event_id bigint primary key,
        completed_at timestamptz not null
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table result_index`.execute(db);
    await sql`drop table results`.execute(db);
    await sql`drop table id_counter`.execute(db);
    await sql`drop table event_ids`.execute(db);
  },
};
