// Bounds-checked TL reader. A failed read does not throw: it records the first
// error, moves to the end and returns zero values, so callers check `error`
// once after a group of reads instead of wrapping every read.

import { readInt32LE, toHex } from '../bytes.ts';

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class TlReader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  error: string | null = null;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = Math.max(0, Math.min(start, bytes.length));
    this.end = Math.max(this.pos, Math.min(end, bytes.length));
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** A reader over the next `length` bytes; this reader skips past them. */
  sub(length: number, what: string): TlReader {
    if (!this.need(length, what)) return new TlReader(EMPTY);
    const child = new TlReader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return child;
  }

  fail(message: string): void {
    if (this.error === null) this.error = `${message} at byte ${this.pos}`;
    this.pos = this.end;
  }

  private need(n: number, what: string): boolean {
    if (this.error !== null) return false;
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`${what}: need ${n} bytes, ${this.end - this.pos} left`);
      return false;
    }
    return true;
  }

  int32(what = 'int'): number {
    if (!this.need(4, what)) return 0;
    const v = readInt32LE(this.bytes, this.pos);
    this.pos += 4;
    return v;
  }

  uint32(what = 'int'): number {
    return this.int32(what) >>> 0;
  }

  /** Little-endian 64-bit signed integer. */
  long(what = 'long'): bigint {
    if (!this.need(8, what)) return 0n;
    const lo = readInt32LE(this.bytes, this.pos) >>> 0;
    const hi = readInt32LE(this.bytes, this.pos + 4);
    this.pos += 8;
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** msg_ids and similar as decimal strings: JSON-able and how clients log them. */
  longDecimal(what = 'long'): string {
    if (!this.need(8, what)) return '0';
    const lo = readInt32LE(this.bytes, this.pos) >>> 0;
    const hi = readInt32LE(this.bytes, this.pos + 4);
    this.pos += 8;
    return int64ToDecimal(lo, hi);
  }

  /** Raw wire bytes as hex (auth_key_id, salts): matches a hex dump of the frame. */
  rawHex(n: number, what: string): string {
    if (!this.need(n, what)) return '';
    const s = toHex(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  raw(n: number, what = 'raw'): Uint8Array {
    if (!this.need(n, what)) return EMPTY;
    const s = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  int128(what = 'int128'): Uint8Array {
    return this.raw(16, what);
  }

  int256(what = 'int256'): Uint8Array {
    return this.raw(32, what);
  }

  double(what = 'double'): number {
    if (!this.need(8, what)) return 0;
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getFloat64(0, true);
    this.pos += 8;
    return v;
  }

  /** TL bytes: 1-byte length (<= 253) or 0xfe + 3-byte LE length, then padding to 4. */
  bytesValue(what = 'bytes'): Uint8Array {
    if (!this.need(1, what)) return EMPTY;
    const first = this.bytes[this.pos];
    let length: number;
    let header: number;
    if (first === 0xff) {
      this.fail(`${what}: invalid length prefix 0xff`);
      return EMPTY;
    }
    if (first === 0xfe) {
      if (!this.need(4, what)) return EMPTY;
      length = this.bytes[this.pos + 1] | (this.bytes[this.pos + 2] << 8) | (this.bytes[this.pos + 3] << 16);
      header = 4;
    } else {
      length = first;
      header = 1;
    }
    const padded = (header + length + 3) & ~3;
    if (!this.need(padded, what)) return EMPTY;
    const value = this.bytes.subarray(this.pos + header, this.pos + header + length);
    this.pos += padded;
    return value;
  }

  string(what = 'string'): string {
    const b = this.bytesValue(what);
    if (b.length === 0) return '';
    // Error messages are short ASCII; TextDecoder's call overhead dominates for them.
    if (b.length <= 64) {
      let s = '';
      for (let i = 0; i < b.length; i++) {
        const c = b[i];
        if (c >= 0x80) return utf8.decode(b);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8.decode(b);
  }

  /** Vector<long> (boxed) with a count bounded by the bytes left. */
  longVector(what = 'Vector<long>'): string[] {
    const ctor = this.uint32(what);
    if (this.error !== null) return [];
    if (ctor !== VECTOR_ID) {
      this.fail(`${what}: expected vector 0x1cb5c415, got 0x${ctor.toString(16)}`);
      return [];
    }
    const count = this.int32(what);
    if (count < 0 || count * 8 > this.remaining) {
      this.fail(`${what}: count ${count} does not fit in ${this.remaining} bytes`);
      return [];
    }
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.longDecimal(what));
    return out;
  }
}

export const VECTOR_ID = 0x1cb5c415;

const TWO_24 = 0x1000000;
const LIMB = 10_000_000;

/**
 * Signed 64-bit (two 32-bit halves) to decimal without BigInt, which is
 * several times slower for the handful of msg_ids each message carries.
 * The value is taken as three base-2^24 digits and re-expressed in base 10^7
 * limbs; every intermediate product stays below 2^53.
 */
export function int64ToDecimal(lo: number, hi: number): string {
  let negative = false;
  if (hi < 0) {
    negative = true;
    // Two's complement negation of the 64-bit value.
    lo = (~lo + 1) >>> 0;
    hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
  } else {
    hi >>>= 0;
  }
  const d2 = hi >>> 16;
  const d1 = ((hi & 0xffff) << 8) | (lo >>> 24);
  const d0 = lo & 0xffffff;
  // Horner's rule over the digits d2, d1, d0; limbs l0 (low) .. l2 (high) in base 10^7.
  let l0 = d2 % LIMB;
  let l1 = Math.floor(d2 / LIMB);
  let l2 = 0;
  for (let step = 0; step < 2; step++) {
    const d = step === 0 ? d1 : d0;
    let v = l0 * TWO_24 + d;
    l0 = v % LIMB;
    let carry = Math.floor(v / LIMB);
    v = l1 * TWO_24 + carry;
    l1 = v % LIMB;
    carry = Math.floor(v / LIMB);
    l2 = l2 * TWO_24 + carry;
  }
  let text: string;
  if (l2 > 0) text = String(l2) + digits14(l1, l0);
  else if (l1 > 0) text = String(l1) + pad7(l0);
  else text = String(l0);
  return negative ? '-' + text : text;
}

/** Char codes of every n < 10^4 as 4 zero-padded digits: DIGIT_CODES[4n..4n+3]. */
const DIGIT_CODES = new Uint16Array(40_000);
for (let n = 0; n < 10_000; n++) {
  DIGIT_CODES[4 * n] = 48 + Math.floor(n / 1000);
  DIGIT_CODES[4 * n + 1] = 48 + (Math.floor(n / 100) % 10);
  DIGIT_CODES[4 * n + 2] = 48 + (Math.floor(n / 10) % 10);
  DIGIT_CODES[4 * n + 3] = 48 + (n % 10);
}

/** Two limbs in [0, 10^7) as exactly 14 digits, in one string allocation. */
function digits14(high: number, low: number): string {
  const t = DIGIT_CODES;
  const a = Math.floor(high / 10_000);
  const c = Math.floor(low / 10_000);
  const A = 4 * a,
    B = 4 * (high - a * 10_000),
    C = 4 * c,
    D = 4 * (low - c * 10_000);
  // a and c are below 1000: their first digit is always '0' and is left out.
  return String.fromCharCode(
    t[A + 1],
    t[A + 2],
    t[A + 3],
    t[B],
    t[B + 1],
    t[B + 2],
    t[B + 3],
    t[C + 1],
    t[C + 2],
    t[C + 3],
    t[D],
    t[D + 1],
    t[D + 2],
    t[D + 3],
  );
}

/** n in [0, 10^7) as exactly 7 digits. */
function pad7(n: number): string {
  const t = DIGIT_CODES;
  const a = Math.floor(n / 10_000);
  const A = 4 * a,
    B = 4 * (n - a * 10_000);
  return String.fromCharCode(t[A + 1], t[A + 2], t[A + 3], t[B], t[B + 1], t[B + 2], t[B + 3]);
}
