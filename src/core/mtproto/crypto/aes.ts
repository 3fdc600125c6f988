// AES-256 (encryption direction only) and AES-256-CTR, written for the
// obfuscated transport. Table-based: the S-box and the four round tables are
// computed once from GF(2^8) arithmetic at module load. CTR needs only the
// forward cipher; the inverse cipher (for IGE) lives in crypto/aes-inverse.ts
// and builds on the S-box and key schedule exported here.

/** The AES S-box (read-only for importers). */
export const SBOX = new Uint8Array(256);
/** The four round tables back to back (TE0 at 0, TE1 at 256, TE2 at 512, TE3 at 768): one array to index. */
const TE = new Int32Array(1024);

function buildTables(): void {
  // Log/antilog tables over generator 3 give multiplicative inverses cheaply.
  const exp = new Uint8Array(256);
  const log = new Uint8Array(256);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x1b : 0);
    x &= 0xff;
  }
  for (let i = 0; i < 256; i++) {
    const inv = i === 0 ? 0 : exp[(255 - log[i]) % 255];
    let s = inv;
    let r = inv;
    for (let k = 0; k < 4; k++) {
      r = ((r << 1) | (r >>> 7)) & 0xff;
      s ^= r;
    }
    SBOX[i] = s ^ 0x63;
  }
  for (let i = 0; i < 256; i++) {
    const s = SBOX[i];
    const s2 = ((s << 1) ^ (s & 0x80 ? 0x1b : 0)) & 0xff;
    const s3 = s2 ^ s;
    // Column (2s, s, s, 3s) packed big-endian; the other tables are byte rotations.
    const t = (s2 << 24) | (s << 16) | (s << 8) | s3;
    TE[i] = t;
    TE[256 + i] = (t >>> 8) | (t << 24);
    TE[512 + i] = (t >>> 16) | (t << 16);
    TE[768 + i] = (t >>> 24) | (t << 8);
  }
}
buildTables();

const ROUNDS = 14;

/** Expanded AES-256 encryption key: 60 big-endian words. */
export function expandKey256(key: Uint8Array): Int32Array {
  return expandKey256Into(key, new Int32Array(4 * (ROUNDS + 1)));
}

/** expandKey256 into a schedule the caller reuses (60 words): no allocation per key. */
export function expandKey256Into(key: Uint8Array, w: Int32Array): Int32Array {
  if (key.length !== 32) throw new RangeError('AES-256 key must be 32 bytes');
  for (let i = 0; i < 8; i++) {
    w[i] = (key[4 * i] << 24) | (key[4 * i + 1] << 16) | (key[4 * i + 2] << 8) | key[4 * i + 3];
  }
  let rcon = 1;
  for (let i = 8; i < w.length; i++) {
    let t = w[i - 1];
    if (i % 8 === 0) {
      t = (SBOX[(t >>> 16) & 255] << 24) | (SBOX[(t >>> 8) & 255] << 16) | (SBOX[t & 255] << 8) | SBOX[t >>> 24];
      t ^= rcon << 24;
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0)) & 0xff;
    } else if (i % 8 === 4) {
      t = (SBOX[t >>> 24] << 24) | (SBOX[(t >>> 16) & 255] << 16) | (SBOX[(t >>> 8) & 255] << 8) | SBOX[t & 255];
    }
    w[i] = w[i - 8] ^ t;
  }
  return w;
}

/** Encrypts one block given as four big-endian words; writes the four output words to out[0..3]. */
export function encryptWords(w: Int32Array, a0: number, a1: number, a2: number, a3: number, out: Int32Array): void {
  let s0 = a0 ^ w[0];
  let s1 = a1 ^ w[1];
  let s2 = a2 ^ w[2];
  let s3 = a3 ^ w[3];
  const t = TE;
  for (let k = 4; k < 4 * ROUNDS; k += 4) {
    const t0 = t[s0 >>> 24] ^ t[256 | ((s1 >>> 16) & 255)] ^ t[512 | ((s2 >>> 8) & 255)] ^ t[768 | (s3 & 255)] ^ w[k];
    const t1 = t[s1 >>> 24] ^ t[256 | ((s2 >>> 16) & 255)] ^ t[512 | ((s3 >>> 8) & 255)] ^ t[768 | (s0 & 255)] ^ w[k + 1];
    const t2 = t[s2 >>> 24] ^ t[256 | ((s3 >>> 16) & 255)] ^ t[512 | ((s0 >>> 8) & 255)] ^ t[768 | (s1 & 255)] ^ w[k + 2];
    const t3 = t[s3 >>> 24] ^ t[256 | ((s0 >>> 16) & 255)] ^ t[512 | ((s1 >>> 8) & 255)] ^ t[768 | (s2 & 255)] ^ w[k + 3];
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  const k = 4 * ROUNDS;
  const o0 = (SBOX[s0 >>> 24] << 24) | (SBOX[(s1 >>> 16) & 255] << 16) | (SBOX[(s2 >>> 8) & 255] << 8) | SBOX[s3 & 255];
  const o1 = (SBOX[s1 >>> 24] << 24) | (SBOX[(s2 >>> 16) & 255] << 16) | (SBOX[(s3 >>> 8) & 255] << 8) | SBOX[s0 & 255];
  const o2 = (SBOX[s2 >>> 24] << 24) | (SBOX[(s3 >>> 16) & 255] << 16) | (SBOX[(s0 >>> 8) & 255] << 8) | SBOX[s1 & 255];
  const o3 = (SBOX[s3 >>> 24] << 24) | (SBOX[(s0 >>> 16) & 255] << 16) | (SBOX[(s1 >>> 8) & 255] << 8) | SBOX[s2 & 255];
  out[0] = o0 ^ w[k];
  out[1] = o1 ^ w[k + 1];
  out[2] = o2 ^ w[k + 2];
  out[3] = o3 ^ w[k + 3];
}

function writeWord(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 255;
  out[at + 2] = (v >>> 8) & 255;
  out[at + 3] = v & 255;
}

function readWord(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

export function aes256EncryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const words = new Int32Array(4);
  encryptWords(expandKey256(key), readWord(block, 0), readWord(block, 4), readWord(block, 8), readWord(block, 12), words);
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) writeWord(out, 4 * i, words[i]);
  return out;
}

/**
 * AES-256-CTR with a 128-bit big-endian counter (the OpenSSL convention that
 * Telegram's obfuscation uses). Stateless per call: the keystream for any
 * byte offset is derived from iv + offset/16, so a caller can decrypt a
 * message at a known stream position without the bytes before it.
 */
export class AesCtr {
  private readonly schedule: Int32Array;
  private readonly iv: Int32Array;
  /** Keystream of block `cachedBlock` (-1: none yet) as four big-endian words: reused while reads stay within one block. */
  private readonly block = new Int32Array(4);
  private cachedBlock = -1;

  constructor(key: Uint8Array, iv: Uint8Array) {
    if (iv.length !== 16) throw new RangeError('AES-CTR iv must be 16 bytes');
    this.schedule = expandKey256(key);
    this.iv = new Int32Array([readWord(iv, 0), readWord(iv, 4), readWord(iv, 8), readWord(iv, 12)]);
  }

  /** XORs `input` with the keystream starting at stream byte `offset` into a new array. */
  decryptAt(offset: number, input: Uint8Array): Uint8Array {
    const out = new Uint8Array(input.length);
    this.xorRange(offset, input, 0, input.length, out, 0);
    return out;
  }

  /** Same as decryptAt but writes into `out` (may be `input` itself). */
  xorInto(offset: number, input: Uint8Array, out: Uint8Array): void {
    this.xorRange(offset, input, 0, input.length, out, 0);
  }

  /**
   * XORs input[from, from + count), which sits at stream byte `offset`, with the keystream
   * into out[outAt..] (may overlap input exactly). Allocates nothing; a block's keystream is
   * kept, so reading a frame's header and then its first payload bytes costs one AES block.
   */
  xorRange(offset: number, input: Uint8Array, from: number, count: number, out: Uint8Array, outAt: number): void {
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError('offset must be a non-negative safe integer');
    if (count <= 0) return;
    let blockIndex = Math.floor(offset / 16);
    let skip = offset - blockIndex * 16;
    const ks = this.block;
    let i = 0;
    if (blockIndex === this.cachedBlock) {
      const take = Math.min(16 - skip, count);
      const o = outAt - skip;
      const s = from - skip;
      for (let j = skip; j < skip + take; j++) out[o + j] = input[s + j] ^ (ks[j >> 2] >>> (24 - ((j & 3) << 3)));
      if (take === count) return;
      i = take;
      skip = 0;
      blockIndex++;
    }
    const w = this.schedule;
    // Counter = iv + blockIndex as a 128-bit big-endian integer; blockIndex < 2^49.
    let c0 = this.iv[0] >>> 0,
      c1 = this.iv[1] >>> 0,
      c2 = this.iv[2] >>> 0,
      c3 = this.iv[3] >>> 0;
    {
      const lo = blockIndex % 0x100000000;
      const hi = Math.floor(blockIndex / 0x100000000);
      let sum = c3 + lo;
      c3 = sum >>> 0;
      let carry = sum > 0xffffffff ? 1 : 0;
      sum = c2 + hi + carry;
      c2 = sum >>> 0;
      carry = sum > 0xffffffff ? 1 : 0;
      sum = c1 + carry;
      c1 = sum >>> 0;
      carry = sum > 0xffffffff ? 1 : 0;
      c0 = (c0 + carry) >>> 0;
    }
    while (i < count) {
      encryptWords(w, c0 | 0, c1 | 0, c2 | 0, c3 | 0, ks);
      const take = Math.min(16 - skip, count - i);
      const o = outAt + i - skip;
      const s = from + i - skip;
      if (take === 16) {
        // A whole block: one word of keystream per four bytes.
        for (let q = 0; q < 4; q++) {
          const v = ks[q];
          const b = 4 * q;
          out[o + b] = input[s + b] ^ (v >>> 24);
          out[o + b + 1] = input[s + b + 1] ^ (v >>> 16);
          out[o + b + 2] = input[s + b + 2] ^ (v >>> 8);
          out[o + b + 3] = input[s + b + 3] ^ v;
        }
      } else {
        for (let j = skip; j < skip + take; j++) out[o + j] = input[s + j] ^ (ks[j >> 2] >>> (24 - ((j & 3) << 3)));
      }
      i += take;
      skip = 0;
      blockIndex++;
      c3 = (c3 + 1) >>> 0;
      if (c3 === 0) {
        c2 = (c2 + 1) >>> 0;
        if (c2 === 0) {
          c1 = (c1 + 1) >>> 0;
          if (c1 === 0) c0 = (c0 + 1) >>> 0;
        }
      }
    }
    this.cachedBlock = blockIndex - 1;
  }
}
