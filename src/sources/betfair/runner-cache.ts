import type { PriceLevel, Runner } from '../../model/index.js';
import { EMPTY_LADDER, LevelLadder, PriceLadder } from './ladder.js';
import type { RunnerChange, RunnerDefinition } from './protocol.js';

/** A runner as it stands: definition fields, prices and ladders (all ladders best first). */
export interface RunnerSnapshot {
  readonly selectionId: number;
  readonly handicap: number;
  /** Definition status (ACTIVE, WINNER, LOSER, PLACED, REMOVED, ...), null before any definition. */
  readonly status: string | null;
  readonly name: string | null;
  readonly sortPriority: number | null;
  /** Betfair starting price from the definition (actual SP once reconciled). */
  readonly bsp: number | null;
  readonly adjustmentFactor: number | null;
  readonly removalDate: string | null;
  readonly ltp: number | null;
  /** Traded volume as given by the upstream (`tv`), 0 until given. */
  readonly tv: number;
  /** Projected SP near/far; the stream's "NaN"/"Infinity" strings become the numbers NaN/Infinity. */
  readonly spn: number | null;
  readonly spf: number | null;
  readonly atb: readonly PriceLevel[];
  readonly atl: readonly PriceLevel[];
  /** Traded volume by price, ascending price. */
  readonly trd: readonly PriceLevel[];
  readonly spb: readonly PriceLevel[];
  readonly spl: readonly PriceLevel[];
  readonly batb: readonly PriceLevel[];
  readonly batl: readonly PriceLevel[];
  readonly bdatb: readonly PriceLevel[];
  readonly bdatl: readonly PriceLevel[];
  /** Back prices as betfairlightweight shows them: `atb`, else `bdatb`, else `batb`. */
  readonly back: readonly PriceLevel[];
  /** Lay prices as betfairlightweight shows them: `atl`, else `bdatl`, else `batl`. */
  readonly lay: readonly PriceLevel[];
}

/** Parses `spn`/`spf`/numeric fields that may arrive as strings ("NaN", "Infinity", "1.5"). */
export function streamNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isNaN(n) && v !== 'NaN' ? null : n;
  }
  return null;
}

function ladder(l: PriceLadder | LevelLadder | null): readonly PriceLevel[] {
  return l ? l.snapshot() : EMPTY_LADDER;
}

/** One runner of a market, keyed by (selection id, handicap). Ladders are created when first used. */
export class RunnerCache {
  definition: RunnerDefinition | null = null;
  ltp: number | null = null;
  tv = 0;
  spn: number | null = null;
  spf: number | null = null;
  private atb: PriceLadder | null = null;
  private atl: PriceLadder | null = null;
  private trd: PriceLadder | null = null;
  private spb: PriceLadder | null = null;
  private spl: PriceLadder | null = null;
  private batb: LevelLadder | null = null;
  private batl: LevelLadder | null = null;
  private bdatb: LevelLadder | null = null;
  private bdatl: LevelLadder | null = null;
  private snap: RunnerSnapshot | null = null;
  /**
   * The runner in model form, kept by the normalizer until the next change (the cache only clears it):
   * an unchanged runner is handed out again as the same object instead of being rebuilt.
   */
  model: Runner | null = null;
  /** What the normalizer derives from `definition` (see MarketNormalizer); never read here. */
  normalizedDefinition: unknown = null;

  constructor(
    readonly selectionId: number,
    readonly handicap: number,
  ) {}

  /** True while the memoized snapshot is current (no change since it was taken). */
  get clean(): boolean {
    return this.snap !== null;
  }

  /** Replaces the runner's definition. */
  setDefinition(def: RunnerDefinition): void {
    this.definition = def;
    this.snap = null;
    this.model = null;
  }

  /** Applies a runner change. `trd: []` clears traded volume (as bflw does); other empty ladders change nothing. */
  apply(rc: RunnerChange): void {
    this.snap = null;
    this.model = null;
    // One pass over the keys present: runner changes carry 2-4 of the 14 possible keys.
    for (const key in rc) {
      switch (key) {
        case 'ltp':
          if (typeof rc.ltp === 'number') this.ltp = rc.ltp;
          break;
        case 'tv':
          if (typeof rc.tv === 'number') this.tv = rc.tv;
          break;
        case 'spn':
          this.spn = streamNumber(rc.spn);
          break;
        case 'spf':
          this.spf = streamNumber(rc.spf);
          break;
        default:
          this.applyLadder(key, rc);
      }
    }
  }

  private applyLadder(key: string, rc: RunnerChange): void {
    switch (key) {
      case 'atb':
        return (this.atb ??= new PriceLadder(true)).update(rc.atb ?? []);
      case 'atl':
        return (this.atl ??= new PriceLadder(false)).update(rc.atl ?? []);
      case 'trd':
        if (rc.trd?.length) (this.trd ??= new PriceLadder(false)).update(rc.trd);
        else this.trd?.clear();
        return;
      case 'batb':
        return (this.batb ??= new LevelLadder()).update(rc.batb ?? []);
      case 'batl':
        return (this.batl ??= new LevelLadder()).update(rc.batl ?? []);
      case 'bdatb':
        return (this.bdatb ??= new LevelLadder()).update(rc.bdatb ?? []);
      case 'bdatl':
        return (this.bdatl ??= new LevelLadder()).update(rc.bdatl ?? []);
      case 'spb':
        return (this.spb ??= new PriceLadder(true)).update(rc.spb ?? []);
      case 'spl':
        return (this.spl ??= new PriceLadder(false)).update(rc.spl ?? []);
      default:
        return; // id, hc and fields oddsgate does not use
    }
  }

  /**
   * Back prices as betfairlightweight shows them (`atb`, else `bdatb`, else `batb`; the same array as
   * {@link RunnerSnapshot.back}), without building a snapshot: only the ladder handed out becomes shared.
   */
  back(): readonly PriceLevel[] {
    if (this.atb !== null && this.atb.size > 0) return this.atb.snapshot();
    const bdatb = ladder(this.bdatb);
    return bdatb.length > 0 ? bdatb : ladder(this.batb);
  }

  /** Lay prices as betfairlightweight shows them (`atl`, else `bdatl`, else `batl`); see {@link back}. */
  lay(): readonly PriceLevel[] {
    if (this.atl !== null && this.atl.size > 0) return this.atl.snapshot();
    const bdatl = ladder(this.bdatl);
    return bdatl.length > 0 ? bdatl : ladder(this.batl);
  }

  /** The runner as it stands (memoized until the next change). */
  snapshot(): RunnerSnapshot {
    if (this.snap) return this.snap;
    const d = this.definition;
    const atb = ladder(this.atb);
    const atl = ladder(this.atl);
    const batb = ladder(this.batb);
    const batl = ladder(this.batl);
    const bdatb = ladder(this.bdatb);
    const bdatl = ladder(this.bdatl);
    this.snap = {
      selectionId: this.selectionId,
      handicap: this.handicap,
      status: d?.status ?? null,
      name: d?.name ?? null,
      sortPriority: d?.sortPriority ?? null,
      bsp: d?.bsp ?? null,
      adjustmentFactor: d?.adjustmentFactor ?? null,
      removalDate: d?.removalDate ?? null,
      ltp: this.ltp,
      tv: this.tv,
      spn: this.spn,
      spf: this.spf,
      atb,
      atl,
      trd: ladder(this.trd),
      spb: ladder(this.spb),
      spl: ladder(this.spl),
      batb,
      batl,
      bdatb,
      bdatl,
      back: atb.length > 0 ? atb : bdatb.length > 0 ? bdatb : batb,
      lay: atl.length > 0 ? atl : bdatl.length > 0 ? bdatl : batl,
    };
    return this.snap;
  }
}
