/**
 * The simulated API-NG betting and account operations over the matching engine: placeOrders,
 * cancelOrders, replaceOrders, updateOrders, listCurrentOrders, listClearedOrders, listRunnerBook (and the
 * account's orders on listMarketBook), getAccountFunds, getAccountDetails. Parameters are checked with the
 * schemas of instructions.ts; bad input is the APINGException INVALID_INPUT_DATA.
 */
import { z } from 'zod';
import { ApiError, type CatalogueData, MarketBookParamsSchema, parseParams } from '../esa/catalogue-data.js';
import { BetError, type MatchingEngine } from './engine.js';
import {
  CancelOrdersParamsSchema,
  ClearedOrdersParamsSchema,
  CurrentOrdersParamsSchema,
  PlaceOrdersParamsSchema,
  ReplaceOrdersParamsSchema,
  UpdateOrdersParamsSchema,
  type PlaceInstruction,
} from './instructions.js';
import {
  clearedOrder,
  clearedStatus,
  currentOrder,
  runnerBookOrder,
  runnerMatches,
  type InstructionReport,
} from './reports.js';
import { orderStatus, round2, sizeRemaining, type SimBet } from './types.js';

/** The operations answered here, by API-NG method name (without its `SportsAPING/v1.0/` prefix). */
export const BETTING_OPERATIONS = [
  'placeOrders',
  'cancelOrders',
  'replaceOrders',
  'updateOrders',
  'listCurrentOrders',
  'listClearedOrders',
  'listRunnerBook',
] as const;
/** AccountAPING operations. */
export const ACCOUNT_OPERATIONS = ['getAccountFunds', 'getAccountDetails'] as const;

const MAX_RECORDS = 1000;

const RunnerBookParamsSchema = MarketBookParamsSchema.omit({ marketIds: true }).extend({
  marketId: z.string().min(1),
  selectionId: z.number().int(),
  handicap: z.number().nullish(),
});

const iso = (ms: number): string => new Date(ms).toISOString();
const inRange = (t: number | null, r: { from?: string | undefined; to?: string | undefined } | undefined) =>
  !r || t === null || ((!r.from || t >= Date.parse(r.from)) && (!r.to || t <= Date.parse(r.to)));

/** Answers the simulated betting and account operations. */
export class BettingOperations {
  constructor(
    private readonly engine: MatchingEngine,
    private readonly catalogue: CatalogueData,
  ) {}

  /** True when `op` is answered here. */
  has(op: string): boolean {
    return (
      (BETTING_OPERATIONS as readonly string[]).includes(op) ||
      (ACCOUNT_OPERATIONS as readonly string[]).includes(op)
    );
  }

  /** Answers one operation (throws ApiError for bad input). */
  async call(op: string, params: unknown): Promise<unknown> {
    switch (op) {
      case 'placeOrders':
        return this.placeOrders(params);
      case 'cancelOrders':
        return this.cancelOrders(params);
      case 'replaceOrders':
        return this.replaceOrders(params);
      case 'updateOrders':
        return this.updateOrders(params);
      case 'listCurrentOrders':
        return this.listCurrentOrders(params);
      case 'listClearedOrders':
        return this.listClearedOrders(params);
      case 'listRunnerBook':
        return this.listRunnerBook(params);
      case 'getAccountFunds':
        return this.engine.account.funds(this.engine.openBets());
      case 'getAccountDetails':
        return {
          currencyCode: 'GBP',
          firstName: 'Sim',
          lastName: 'Account',
          localeCode: 'en',
          region: 'GBR',
          timezone: 'GMT',
          discountRate: 0,
          pointsBalance: 0,
          countryCode: 'GB',
        };
      default:
        throw new ApiError('INVALID_INPUT_DATA', `unknown operation ${op}`);
    }
  }

  private placeOrders(params: unknown) {
    const p = parseParams(PlaceOrdersParamsSchema, params);
    return this.engine.place(p.marketId, p.instructions, {
      customerRef: p.customerRef,
      customerStrategyRef: p.customerStrategyRef,
    });
  }

  private cancelOrders(params: unknown) {
    const p = parseParams(CancelOrdersParamsSchema, params);
    const targets =
      p.instructions ??
      this.engine
        .openBets()
        .filter((b) => (p.marketId === undefined || b.marketId === p.marketId) && sizeRemaining(b) > 0)
        .filter((b) => b.dueAt === null)
        .map((b) => ({ betId: b.betId, sizeReduction: undefined }));
    const reports = targets.map((ins) => {
      const instruction = {
        betId: ins.betId,
        ...(ins.sizeReduction !== undefined ? { sizeReduction: ins.sizeReduction } : {}),
      };
      try {
        const bet = this.engine.bet(ins.betId);
        if (p.marketId !== undefined && bet && bet.marketId !== p.marketId)
          throw new BetError('INVALID_BET_ID');
        const done = this.engine.cancelBet(ins.betId, ins.sizeReduction);
        const at = done.bet.cancelledAt ?? done.bet.placedAt;
        return { status: 'SUCCESS', instruction, sizeCancelled: done.cancelled, cancelledDate: iso(at) };
      } catch (err) {
        return { status: 'FAILURE', errorCode: codeOf(err), instruction, sizeCancelled: 0 };
      }
    });
    const out: Record<string, unknown> = {
      status: 'SUCCESS',
      instructionReports: p.instructions ? reports : [],
    };
    if (p.marketId !== undefined) out.marketId = p.marketId;
    if (p.customerRef !== undefined) out.customerRef = p.customerRef;
    const failed = reports.filter((r) => r.status === 'FAILURE').length;
    if (failed > 0) {
      out.status = failed === reports.length ? 'FAILURE' : 'PROCESSED_WITH_ERRORS';
      out.errorCode = failed === reports.length ? 'BET_ACTION_ERROR' : 'PROCESSED_WITH_ERRORS';
    }
    return out;
  }

  /** replaceOrders: each bet's unmatched part is cancelled and placed again at the new price. */
  private async replaceOrders(params: unknown) {
    const p = parseParams(ReplaceOrdersParamsSchema, params);
    const reports: Record<string, unknown>[] = [];
    for (const ins of p.instructions) {
      const bet = this.engine.bet(ins.betId);
      let cancelled: number;
      try {
        if (!bet || bet.marketId !== p.marketId) throw new BetError('INVALID_BET_ID');
        if (bet.orderType !== 'LIMIT') throw new BetError('INVALID_ORDER_TYPE');
        if (ins.newPrice === bet.price) throw new BetError('INVALID_PRICE_EDIT');
        cancelled = this.engine.cancelBet(ins.betId).cancelled;
      } catch (err) {
        const code = codeOf(err);
        reports.push({
          status: 'FAILURE',
          errorCode: code,
          cancelInstructionReport: { status: 'FAILURE', errorCode: code, instruction: { betId: ins.betId } },
          placeInstructionReport: { status: 'FAILURE', errorCode: 'RELATED_ACTION_FAILED', instruction: {} },
        });
        continue;
      }
      const placed = await this.engine.place(p.marketId, [reinstruct(bet, ins.newPrice, cancelled)], {
        customerStrategyRef: bet.customerStrategyRef ?? undefined,
      });
      const placeReport = placed.instructionReports[0] as InstructionReport;
      reports.push({
        status: placeReport.status,
        ...(placeReport.errorCode ? { errorCode: placeReport.errorCode } : {}),
        cancelInstructionReport: {
          status: 'SUCCESS',
          instruction: { betId: ins.betId },
          sizeCancelled: cancelled,
          cancelledDate: iso(bet.cancelledAt ?? bet.placedAt),
        },
        placeInstructionReport: placeReport,
      });
    }
    const failed = reports.filter((r) => r.status === 'FAILURE').length;
    const out: Record<string, unknown> = {
      status: 'SUCCESS',
      marketId: p.marketId,
      instructionReports: reports,
    };
    if (p.customerRef !== undefined) out.customerRef = p.customerRef;
    if (failed > 0) {
      out.status = failed === reports.length ? 'FAILURE' : 'PROCESSED_WITH_ERRORS';
      out.errorCode = failed === reports.length ? 'BET_ACTION_ERROR' : 'PROCESSED_WITH_ERRORS';
    }
    return out;
  }

  private updateOrders(params: unknown) {
    const p = parseParams(UpdateOrdersParamsSchema, params);
    const reports = p.instructions.map((ins) => {
      try {
        const bet = this.engine.bet(ins.betId);
        if (!bet || bet.marketId !== p.marketId) throw new BetError('INVALID_BET_ID');
        this.engine.updatePersistence(ins.betId, ins.newPersistenceType);
        return { status: 'SUCCESS', instruction: ins };
      } catch (err) {
        return { status: 'FAILURE', errorCode: codeOf(err), instruction: ins };
      }
    });
    const failed = reports.filter((r) => r.status === 'FAILURE').length;
    const out: Record<string, unknown> = {
      status: 'SUCCESS',
      marketId: p.marketId,
      instructionReports: reports,
    };
    if (p.customerRef !== undefined) out.customerRef = p.customerRef;
    if (failed > 0) {
      out.status = failed === reports.length ? 'FAILURE' : 'PROCESSED_WITH_ERRORS';
      out.errorCode = failed === reports.length ? 'BET_ACTION_ERROR' : 'PROCESSED_WITH_ERRORS';
    }
    return out;
  }

  private listCurrentOrders(params: unknown) {
    const p = parseParams(CurrentOrdersParamsSchema, params);
    const has = <T>(list: readonly T[] | undefined, v: T | null) =>
      !list || list.length === 0 || (v !== null && list.includes(v));
    let bets = [...this.engine.all()].filter(
      (b) =>
        !b.settled &&
        clearedStatus(b) === null &&
        has(p.betIds, b.betId) &&
        has(p.marketIds, b.marketId) &&
        has(p.customerOrderRefs, b.customerOrderRef) &&
        has(p.customerStrategyRefs, b.customerStrategyRef) &&
        inRange(b.placedAt, p.dateRange) &&
        (p.orderProjection === undefined ||
          p.orderProjection === 'ALL' ||
          orderStatus(b) === p.orderProjection),
    );
    if (p.orderBy === 'BY_MATCH_TIME')
      bets.sort((a, b) => (a.fills.at(-1)?.at ?? 0) - (b.fills.at(-1)?.at ?? 0));
    if (p.sortDir === 'LATEST_TO_EARLIEST') bets = bets.reverse();
    return page(bets, p.fromRecord, p.recordCount, 'currentOrders', (b) =>
      currentOrder(b, p.includeItemDescription === true),
    );
  }

  private listClearedOrders(params: unknown) {
    const p = parseParams(ClearedOrdersParamsSchema, params);
    if (p.groupBy !== undefined && p.groupBy !== 'BET')
      throw new ApiError('INVALID_INPUT_DATA', `groupBy ${p.groupBy} is not supported by the simulator`);
    const has = <T>(list: readonly T[] | undefined, v: T | null) =>
      !list || list.length === 0 || (v !== null && list.includes(v));
    const runnerIds = p.runnerIds?.map(String);
    const bets = [...this.engine.all()].filter(
      (b) =>
        clearedStatus(b) === p.betStatus &&
        has(p.eventTypeIds, b.market.event.eventTypeId) &&
        has(p.eventIds, b.market.event.eventId) &&
        has(p.marketIds, b.marketId) &&
        has(runnerIds, String(b.selectionId)) &&
        has(p.betIds, b.betId) &&
        has(p.customerOrderRefs, b.customerOrderRef) &&
        has(p.customerStrategyRefs, b.customerStrategyRef) &&
        (p.side === undefined || b.side === p.side) &&
        inRange(b.settled?.at ?? b.lapsedAt ?? b.cancelledAt, p.settledDateRange),
    );
    return page(bets, p.fromRecord, p.recordCount, 'clearedOrders', (b) =>
      clearedOrder(b, p.includeItemDescription === true),
    );
  }

  /** listRunnerBook: the market book of one runner, with the account's orders and matches on it. */
  private listRunnerBook(params: unknown) {
    const p = parseParams(RunnerBookParamsSchema, params);
    const pp = p.priceProjection;
    const books = this.catalogue.listMarketBook(
      [p.marketId],
      pp?.priceData ?? [],
      pp?.exBestOffersOverrides?.bestPricesDepth ?? 3,
    ) as Record<string, unknown>[];
    return books.map((book) => {
      const runners = (book.runners as Record<string, unknown>[]).filter(
        (r) => r.selectionId === p.selectionId,
      );
      return {
        ...book,
        runners: this.withOrders(p.marketId, runners, p.orderProjection, p.matchProjection, p.betIds),
      };
    });
  }

  /**
   * Adds the account's `orders` (per orderProjection) and `matches` (per matchProjection) to a market
   * book's runners, as listMarketBook and listRunnerBook do when those projections are asked for.
   */
  withOrders(
    marketId: string,
    runners: Record<string, unknown>[],
    orderProjection: string | undefined,
    matchProjection: string | undefined,
    betIds?: readonly string[],
  ): Record<string, unknown>[] {
    if (orderProjection === undefined && matchProjection === undefined) return runners;
    const mine = [...this.engine.all()].filter(
      (b) => b.marketId === marketId && (!betIds || betIds.length === 0 || betIds.includes(b.betId)),
    );
    return runners.map((r) => {
      const bets = mine.filter((b) => b.selectionId === r.selectionId);
      const out = { ...r };
      if (orderProjection !== undefined) {
        const shown = bets.filter((b) => orderProjection === 'ALL' || orderStatus(b) === orderProjection);
        if (shown.length > 0) out.orders = shown.map(runnerBookOrder);
      }
      if (matchProjection !== undefined) {
        const matches = runnerMatches(bets, matchProjection);
        if (matches.length > 0) out.matches = matches;
      }
      return out;
    });
  }
}

function codeOf(err: unknown): string {
  return err instanceof BetError ? err.code : 'ERROR_IN_ORDER';
}

/** The placement of a replaced bet's cancelled part at its new price. */
function reinstruct(bet: SimBet, price: number, size: number): PlaceInstruction {
  const ins: PlaceInstruction = {
    orderType: 'LIMIT',
    selectionId: bet.selectionId,
    handicap: bet.handicap,
    side: bet.side,
    limitOrder: {
      size: round2(size),
      price,
      persistenceType: bet.persistence,
      timeInForce: undefined,
      minFillSize: undefined,
      betTargetType: undefined,
      betTargetSize: undefined,
    },
    limitOnCloseOrder: undefined,
    marketOnCloseOrder: undefined,
    customerOrderRef: bet.customerOrderRef ?? undefined,
  };
  return ins;
}

function page<T>(
  items: readonly T[],
  from: number | undefined,
  count: number | undefined,
  key: string,
  render: (t: T) => unknown,
): Record<string, unknown> {
  const start = from ?? 0;
  const n = Math.min(count && count > 0 ? count : MAX_RECORDS, MAX_RECORDS);
  return { [key]: items.slice(start, start + n).map(render), moreAvailable: items.length > start + n };
}
