import type { AppLogger as Logger } from '../logger.js';
import type { GuardedConnector } from './connectors/guard.js';
import { isMakerBet, type BetLedger } from './ledger.js';
import { venueStateOf } from './order-service.js';
import type { ExecutionRepository } from './repository.js';
import type { BetRow } from './rows.js';

/** What one reconciliation pass did. */
export interface ReconcileReport {
  confirmed: number;
  failed: number;
  orders: number;
}

/**
 * Resolves placements whose outcome is unknown — a bet written (PENDING) or sent (PLACED) whose answer never
 * got recorded (a timeout, a crash between send and record) — by asking the bookmaker for the bet's
 * idempotency key in its current orders: found → CONFIRMED as the bookmaker has it (a maker bet: its
 * venue state applied — resting, matched so far, or ended); not found → FAILED
 * (the key is also cancelled at the bookmaker, so a late arrival cannot land). Never re-sent. Then orders
 * left PROCESSING or PENDING by a dead placer are finalized. Runs at start and every `intervalMs`; only rows
 * untouched for `staleMs` are taken, so placements in progress on any instance are left alone.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<ReconcileReport> | null = null;

  constructor(
    private readonly repo: ExecutionRepository,
    private readonly ledger: BetLedger,
    private readonly connectors: ReadonlyMap<string, GuardedConnector>,
    private readonly opts: { staleMs: number; intervalMs: number; logger?: Logger },
  ) {}

  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One pass (a pass already running is joined, not doubled); `staleMs` overrides the age taken. */
  runOnce(staleMs = this.opts.staleMs): Promise<ReconcileReport> {
    this.running ??= this.pass(staleMs)
      .catch((err: unknown) => {
        this.opts.logger?.error({ err: String(err) }, 'execution: reconciliation failed');
        return { confirmed: 0, failed: 0, orders: 0 };
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async pass(staleMs: number): Promise<ReconcileReport> {
    const report: ReconcileReport = { confirmed: 0, failed: 0, orders: 0 };
    const bets = await this.repo.unresolvedBets(staleMs);
    const byBookmaker = new Map<string, BetRow[]>();
    for (const b of bets) byBookmaker.set(b.bookmaker, [...(byBookmaker.get(b.bookmaker) ?? []), b]);
    for (const [slug, list] of byBookmaker) {
      const guarded = this.connectors.get(slug);
      if (!guarded) continue; // no connector configured now: left for when it is
      const found = new Map(
        (await guarded.connector.currentOrders(list.map((b) => b.betRequestId))).map((p) => [p.key, p]),
      );
      for (const b of list) {
        // a maker bet whose answer was lost: the venue's state of it (resting, matched, ended) applies as is
        const state = isMakerBet(b) ? await venueStateOf(guarded.connector, b.betRequestId) : null;
        if (state && (await this.ledger.applyState(b.betId, state))) {
          report.confirmed++;
          continue;
        }
        const answer = found.get(b.betRequestId);
        if (answer && answer.status === 'accepted') {
          if (await this.ledger.confirm(b, answer, 'reconciled: found at the bookmaker by key'))
            report.confirmed++;
          continue;
        }
        await guarded.connector.cancel(b.betRequestId);
        if (await this.ledger.close(b, 'FAILED', 'Placement outcome unknown and not found at the bookmaker'))
          report.failed++;
      }
    }
    for (const o of await this.repo.staleOrders(staleMs)) {
      if (o.orderStatus === 'PENDING') {
        const done = await this.repo.orderTo(this.repo.db, o.orderId, ['PENDING'], 'FAILED', {
          statusReason: 'Interrupted before routing (instance stopped)',
        });
        if (done) report.orders++;
      } else if (await this.ledger.finalize(o.orderId)) report.orders++;
    }
    if (report.confirmed + report.failed + report.orders > 0)
      this.opts.logger?.info(report, 'execution: reconciled placements');
    return report;
  }
}
