import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Market making on one instance at a time: one row per lease `name` (the engine's is `mm`), held by
 * `holder` until `expires_at`. The engine takes or renews it with one conditional upsert at the start of
 * each cycle (src/mm/lease.ts) and quotes only while it holds it.
 */
export const mm_lease: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table mm_lease (
        name text primary key,
        holder text not null,
        expires_at timestamptz not null,
        acquired_at timestamptz not null
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table mm_lease`.execute(db);
  },
};
