import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Market-making selectors changed through the admin route, so they survive a restart and every instance
 * sees them: a row per selector added (`strategy`: the overrides of the MM_* defaults it was added with), or
 * a tombstone (`removed_at` set) for a selector of the config that an admin removed — it stays removed
 * until it is added again. The engine reads the table at every cycle (src/mm/selectors.ts).
 */
export const mm_selectors: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table mm_selectors (
        selector text primary key,
        strategy jsonb not null default '{}'::jsonb,
        added_at timestamptz not null default now(),
        removed_at timestamptz
      )`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table mm_selectors`.execute(db);
  },
};
