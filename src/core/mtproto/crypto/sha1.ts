// SHA-1 (FIPS 180-4), synchronous, on Uint8Array. MTProto uses it only for
// auth_key_id (the low 64 bits of SHA-1 of the 256-byte key), so one shared
// state suffices; whole blocks are read in place.

export class Sha1 {
  private readonly h = new Int32Array(5);
  private readonly w = new Int32Array(80);
  private readonly pending = new Uint8Array(64);
  private pendingLength = 0;
  private total = 0;

  constructor() {
    this.reset();
  }

  reset(): this {
    const h = this.h;
    h[0] = 0x67452301; h[1] = 0xefcdab89; h[2] = 0x98badcfe; h[3] = 0x10325476; h[4] = 0xc3d2e1f0;
    this.pendingLength = 0;
    this.total = 0;
    return this;
  }

  update(data: Uint8Array, start = 0, end = data.length): this {
    let i = start;
    this.total += end - start;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, end - i);
      this.pending.set(data.subarray(i, i + take), this.pendingLength);
      this.pendingLength += take;
      i += take;
      if (this.pendingLength < 64) return this;
      this.compress(this.pending, 0);
      this.pendingLength = 0;
    }
    for (; i + 64 <= end; i += 64) this.compress(data, i);
    if (i < end) {
      this.pending.set(data.subarray(i, end), 0);
      this.pendingLength = end - i;
    }
    return this;
  }

  /** Writes the 20-byte digest to out[at..] and resets the hasher. */
  digestInto(out: Uint8Array, at = 0): void {
    const bits = this.total * 8;
    const p = this.pending;
    let n = this.pendingLength;
    p[n++] = 0x80;
    if (n > 56) {
      p.fill(0, n, 64);
      this.compress(p, 0);
      n = 0;
    }
    p.fill(0, n, 56);
    const hi = Math.floor(bits / 0x100000000);
    p[56] = hi >>> 24; p[57] = hi >>> 16; p[58] = hi >>> 8; p[59] = hi;
    p[60] = bits >>> 24; p[61] = bits >>> 16; p[62] = bits >>> 8; p[63] = bits;
    this.compress(p, 0);
    for (let k = 0; k < 5; k++) {
      const v = this.h[k];
      out[at + 4 * k] = v >>> 24;
      out[at + 4 * k + 1] = v >>> 16;
      out[at + 4 * k + 2] = v >>> 8;
      out[at + 4 * k + 3] = v;
    }
    this.reset();
  }

  digest(): Uint8Array {
    const out = new Uint8Array(20);
    this.digestInto(out, 0);
    return out;
  }

  private compress(b: Uint8Array, at: number): void {
    const w = this.w;
    for (let t = 0; t < 16; t++) {
      const j = at + 4 * t;
      w[t] = (b[j] << 24) | (b[j + 1] << 16) | (b[j + 2] << 8) | b[j + 3];
    }
    for (let t = 16; t < 80; t++) {
      const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16];
      w[t] = (x << 1) | (x >>> 31);
    }
    const h = this.h;
    let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) { f = (bb & c) | (~bb & d); k = 0x5a827999; }
      else if (t < 40) { f = bb ^ c ^ d; k = 0x6ed9eba1; }
      else if (t < 60) { f = (bb & c) | (bb & d) | (c & d); k = 0x8f1bbcdc | 0; }
      else { f = bb ^ c ^ d; k = 0xca62c1d6 | 0; }
      const tmp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]) | 0;
      e = d; d = c; c = (bb << 30) | (bb >>> 2); bb = a; a = tmp;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + bb) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0; h[4] = (h[4] + e) | 0;
  }
}

const shared = new Sha1();

export function sha1(data: Uint8Array): Uint8Array {
  return shared.update(data).digest();
}
