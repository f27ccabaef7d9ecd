/**
 * The market maker's selectors: the config's, plus what the admin route added (rows of `mm_selectors`),
 * less the config's an admin removed (tombstones). Kept in the database so they survive a restart and
 * every instance sharing it quotes (when it holds the lease) the same markets.
 */
import { sql, type Kysely } from 'kysely';
import { MmStrategySchema, type MmStrategy } from '../config/mm.js';
import type { MmSelection } from './markets.js';

interface SelectorRow {
  selector: string;
  strategy: unknown;
  removed_at: Date | string | null;
}

export class MmSelectorStore {
  constructor(
    private readonly db: Kysely<unknown>,
    /** Selectors of the config (MM_MARKETS). */
    private readonly configured: readonly string[],
    private readonly defaults: MmStrategy,
    private readonly onBadRow: (selector: string, err: string) => void = () => undefined,
  ) {}

  isConfigured(selector: string): boolean {
    return this.configured.includes(selector);
  }

  /** Config selectors first, then the rows: an added one is quoted with its overrides, a tombstone drops. */
  async load(): Promise<Map<string, MmSelection>> {
    const out = new Map<string, MmSelection>();
    for (const selector of this.configured) out.set(selector, { selector, strategy: { ...this.defaults } });
    const r = await sql<SelectorRow>`
      select selector, strategy, removed_at from mm_selectors order by added_at, selector`.execute(this.db);
    for (const row of r.rows) {
      if (row.removed_at !== null) {
        out.delete(row.selector);
        continue;
      }
      const raw = typeof row.strategy === 'string' ? (JSON.parse(row.strategy) as unknown) : row.strategy;
      const parsed = MmStrategySchema.safeParse({ ...this.defaults, ...(raw as object) });
      if (parsed.success) out.set(row.selector, { selector: row.selector, strategy: parsed.data });
      else this.onBadRow(row.selector, parsed.error.message);
    }
    return out;
  }

  /** Records `selector` as quoted with these overrides (a tombstone of it is lifted). */
  async add(selector: string, overrides: Partial<MmStrategy>): Promise<void> {
    await sql`insert into mm_selectors (selector, strategy) values (${selector}, ${JSON.stringify(overrides)}::jsonb)
      on conflict (selector) do update set strategy = excluded.strategy, added_at = now(), removed_at = null`.execute(
      this.db,
    );
  }

  /** Records `selector` as not quoted: a config selector gets a tombstone, an added one's row goes. */
  async remove(selector: string): Promise<void> {
    if (this.isConfigured(selector)) {
      await sql`insert into mm_selectors (selector, removed_at) values (${selector}, now())
        on conflict (selector) do update set strategy = '{}'::jsonb, removed_at = now()`.execute(this.db);
      return;
    }
    await sql`delete from mm_selectors where selector = ${selector}`.execute(this.db);
  }
}
