// What SHA-1 and SHA-256 share (FIPS 180-4): 64-byte blocks, a partial block buffered between
// updates, and the final padding (0x80, zeros, the bit length big-endian in the last 8
// bytes). A subclass supplies its state, its compression function and its digest length.

/** A plain loop: the partial blocks here are under 64 bytes, where a view plus set() costs more. */
function copyInto(target: Uint8Array, at: number, source: Uint8Array, from: number, count: number): void {
  for (let k = 0; k < count; k++) target[at + k] = source[from + k];
}

export abstract class BlockHasher {
  /** The chaining state, as big-endian words. */
  protected abstract readonly h: Int32Array;
  private readonly pending = new Uint8Array(64);
  private pendingLength = 0;
  /** Bytes hashed so far; a double is exact far beyond any message size. */
  private total = 0;

  /** Processes the 64-byte block b[at, at+64). */
  protected abstract compress(b: Uint8Array, at: number): void;
  /** Sets `h` to the algorithm's initial value. */
  protected abstract initialState(): void;

  reset(): this {
    this.initialState();
    this.pendingLength = 0;
    this.total = 0;
    return this;
  }

  /** Hashes data[start, end). */
  update(data: Uint8Array, start = 0, end = data.length): this {
    let i = start;
    this.total += end - start;
    if (this.pendingLength > 0) {
      const take = Math.min(64 - this.pendingLength, end - i);
      copyInto(this.pending, this.pendingLength, data, i, take);
      this.pendingLength += take;
      i += take;
      if (this.pendingLength < 64) return this;
      this.compress(this.pending, 0);
      this.pendingLength = 0;
    }
    for (; i + 64 <= end; i += 64) this.compress(data, i);
    if (i < end) {
      copyInto(this.pending, 0, data, i, end - i);
      this.pendingLength = end - i;
    }
    return this;
  }

  /** Writes the digest (4 bytes per state word) to out[at..] and resets the hasher for the next message. */
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
    p[56] = hi >>> 24;
    p[57] = hi >>> 16;
    p[58] = hi >>> 8;
    p[59] = hi;
    p[60] = bits >>> 24;
    p[61] = bits >>> 16;
    p[62] = bits >>> 8;
    p[63] = bits;
    this.compress(p, 0);
    const h = this.h;
    for (let k = 0; k < h.length; k++) {
      const v = h[k];
      out[at + 4 * k] = v >>> 24;
      out[at + 4 * k + 1] = v >>> 16;
      out[at + 4 * k + 2] = v >>> 8;
      out[at + 4 * k + 3] = v;
    }
    this.reset();
  }

  digest(): Uint8Array {
    const out = new Uint8Array(4 * this.h.length);
    this.digestInto(out, 0);
    return out;
  }
}
