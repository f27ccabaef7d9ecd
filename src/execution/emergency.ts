import { sql, type Kysely } from 'kysely';
import type { ExecutionPublisher } from './types.js';

/** Emergency mode as every instance sees it. */
export interface EmergencyState {
  active: boolean;
  reason: string | null;
  /** When it last changed (epoch ms). */
  ts: number;
}

/** How often an instance re-reads the switch another instance may have flipped (ms). */
const REFRESH_MS = 1000;

/**
 * The emergency switch (an admin action): while active, every order is declined with the reason. It is a
 * row in `execution_state`, so flipping it on one instance stops orders on all within a second; the flip is
 * broadcast on the `emergency` channel.
 */
export class EmergencySwitch {
  private cached: EmergencyState = { active: false, reason: null, ts: 0 };
  private readAt = -Infinity;

  constructor(
    private readonly db: Kysely<unknown>,
    private readonly publisher: ExecutionPublisher,
    private readonly now: () => number = Date.now,
    /** Told of every flip made here (the service status follows it). */
    private readonly onFlip: (s: EmergencyState) => void = () => undefined,
  ) {}

  async state(): Promise<EmergencyState> {
    if (this.now() - this.readAt < REFRESH_MS) return this.cached;
    const r = await sql<{ value: EmergencyState | string }>`
      select value from execution_state where key = 'emergency'`.execute(this.db);
    const v = r.rows[0]?.value;
    this.cached = v ? (typeof v === 'string' ? (JSON.parse(v) as EmergencyState) : v) : this.cached;
    this.readAt = this.now();
    return this.cached;
  }

  async set(active: boolean, reason: string | null): Promise<EmergencyState> {
    const value: EmergencyState = { active, reason: active ? reason : null, ts: this.now() };
    await sql`insert into execution_state (key, value) values ('emergency', ${JSON.stringify(value)}::jsonb)
      on conflict (key) do update set value = excluded.value, updated_at = now()`.execute(this.db);
    this.cached = value;
    this.readAt = this.now();
    this.publisher.publish('emergency', 'STATUS', value);
    this.onFlip(value);
    return value;
  }
}
