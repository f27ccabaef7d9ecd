import type { Tick } from './tick.js';

/**
 * The packed form of a block of ticks (one market, one UTC minute) in `history_ticks.data`:
 *
 *   varint count, varint runners, runners × varint selectionId,
 *   count × ( zigzag dt ms from the previous tick, varint runner index, byte mask,
 *             [byte flags], [zigzag Δ for each of back, backSize, lay, laySize, ltp, tv whose mask bit is set] )
 *
 * Each value is a delta against the same runner's previous tick in the block (zero before its first),
 * and only the fields that changed are written: a typical tick is 6–12 bytes.
 */
const FIELDS = ['back', 'backSize', 'lay', 'laySize', 'ltp', 'tv'] as const;

/** Packs ticks (in time order) into bytes. */
export function encodeTicks(ticks: readonly Tick[]): Buffer {
  const out = new ByteWriter(16 + ticks.length * 12);
  const index = new Map<number, number>();
  for (const t of ticks) if (!index.has(t.selectionId)) index.set(t.selectionId, index.size);
  out.varint(ticks.length);
  out.varint(index.size);
  for (const sel of index.keys()) out.varint(sel);
  const prev = new Map<number, Tick>();
  let lastTs = ticks[0]?.ts ?? 0;
  out.zigzag(0);
  for (let i = 0; i < ticks.length; i++) {
    const t = ticks[i]!;
    if (i > 0) out.zigzag(t.ts - lastTs);
    lastTs = t.ts;
    out.varint(index.get(t.selectionId)!);
    const p = prev.get(t.selectionId);
    let mask = t.flags !== (p?.flags ?? 0) ? 1 : 0;
    FIELDS.forEach((f, bit) => {
      if (t[f] !== (p?.[f] ?? 0)) mask |= 2 << bit;
    });
    out.byte(mask);
    if (mask & 1) out.byte(t.flags);
    FIELDS.forEach((f, bit) => {
      if (mask & (2 << bit)) out.zigzag(t[f] - (p?.[f] ?? 0));
    });
    prev.set(t.selectionId, t);
  }
  return out.done();
}

/** Unpacks a block written by encodeTicks; `t0` is the block's first tick time (epoch ms). */
export function decodeTicks(data: Uint8Array, t0: number): Tick[] {
  const r = new ByteReader(data);
  const count = r.varint();
  const runners = r.varint();
  const sels: number[] = [];
  for (let i = 0; i < runners; i++) sels.push(r.varint());
  const prev = new Map<number, Tick>();
  const out: Tick[] = [];
  let ts = t0 + r.zigzag();
  for (let i = 0; i < count; i++) {
    if (i > 0) ts += r.zigzag();
    const sel = sels[r.varint()];
    if (sel === undefined) throw new Error('history block: runner index out of range');
    const p = prev.get(sel);
    const mask = r.byte();
    const t: Tick = {
      ts,
      selectionId: sel,
      flags: mask & 1 ? r.byte() : (p?.flags ?? 0),
      back: p?.back ?? 0,
      backSize: p?.backSize ?? 0,
      lay: p?.lay ?? 0,
      laySize: p?.laySize ?? 0,
      ltp: p?.ltp ?? 0,
      tv: p?.tv ?? 0,
    };
    FIELDS.forEach((f, bit) => {
      if (mask & (2 << bit)) t[f] += r.zigzag();
    });
    prev.set(sel, t);
    out.push(t);
  }
  return out;
}

class ByteWriter {
  private buf: Buffer;
  private pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  byte(v: number): void {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
  }
  /** Unsigned LEB128, exact for integers up to 2^53. */
  varint(v: number): void {
    this.room(8);
    let n = v;
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }
  zigzag(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

class ByteReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  byte(): number {
    const v = this.buf[this.pos++];
    if (v === undefined) throw new Error('history block: truncated');
    return v;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
    }
  }
  zigzag(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
}
