// AES-256-IGE as MTProto uses it (the OpenSSL convention): iv[0..16) is the
// "previous ciphertext" block and iv[16..32) the "previous plaintext" block.
//   encrypt: c_i = E(p_i ^ c_{i-1}) ^ p_{i-1}
//   decrypt: p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}
// Both directions are sequential and keep their chaining state between calls,
// so a caller can decrypt a message's first blocks, look, and continue with
// the rest without starting over.

import { encryptWords, expandKey256 } from './aes.ts';
import { decryptWords, expandDecryptKey256 } from './aes-inverse.ts';

function word(b: Uint8Array, at: number): number {
  return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
}

function put(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24;
  b[at + 1] = v >>> 16;
  b[at + 2] = v >>> 8;
  b[at + 3] = v;
}

abstract class IgeState {
  /** Previous ciphertext block (c0..c3) and previous plaintext block (p0..p3) as big-endian words. */
  protected c0: number;
  protected c1: number;
  protected c2: number;
  protected c3: number;
  protected p0: number;
  protected p1: number;
  protected p2: number;
  protected p3: number;
  protected readonly block = new Int32Array(4);

  constructor(iv: Uint8Array) {
    if (iv.length !== 32) throw new RangeError('AES-IGE iv must be 32 bytes');
    this.c0 = word(iv, 0);
    this.c1 = word(iv, 4);
    this.c2 = word(iv, 8);
    this.c3 = word(iv, 12);
    this.p0 = word(iv, 16);
    this.p1 = word(iv, 20);
    this.p2 = word(iv, 24);
    this.p3 = word(iv, 28);
  }
}

export class AesIgeDecryptor extends IgeState {
  private readonly schedule: Int32Array;

  constructor(key: Uint8Array, iv: Uint8Array) {
    super(iv);
    this.schedule = expandDecryptKey256(key);
  }

  /**
   * Decrypts `length` bytes (a multiple of 16) of input[from..] into out[outAt..]; out may be
   * input itself at the same offset. Continues from where the previous call stopped.
   */
  decrypt(input: Uint8Array, from: number, length: number, out: Uint8Array, outAt: number): void {
    if (length % 16 !== 0) throw new RangeError('AES-IGE works on whole 16-byte blocks');
    const w = this.schedule;
    const blk = this.block;
    let c0 = this.c0,
      c1 = this.c1,
      c2 = this.c2,
      c3 = this.c3;
    let p0 = this.p0,
      p1 = this.p1,
      p2 = this.p2,
      p3 = this.p3;
    for (let i = 0; i < length; i += 16) {
      const x0 = word(input, from + i),
        x1 = word(input, from + i + 4),
        x2 = word(input, from + i + 8),
        x3 = word(input, from + i + 12);
      decryptWords(w, x0 ^ p0, x1 ^ p1, x2 ^ p2, x3 ^ p3, blk);
      p0 = blk[0] ^ c0;
      p1 = blk[1] ^ c1;
      p2 = blk[2] ^ c2;
      p3 = blk[3] ^ c3;
      c0 = x0;
      c1 = x1;
      c2 = x2;
      c3 = x3;
      const o = outAt + i;
      put(out, o, p0);
      put(out, o + 4, p1);
      put(out, o + 8, p2);
      put(out, o + 12, p3);
    }
    this.c0 = c0;
    this.c1 = c1;
    this.c2 = c2;
    this.c3 = c3;
    this.p0 = p0;
    this.p1 = p1;
    this.p2 = p2;
    this.p3 = p3;
  }
}

export class AesIgeEncryptor extends IgeState {
  private readonly schedule: Int32Array;

  constructor(key: Uint8Array, iv: Uint8Array) {
    super(iv);
    this.schedule = expandKey256(key);
  }

  /** Encrypts `length` bytes (a multiple of 16) of input[from..] into out[outAt..]; continues the chain. */
  encrypt(input: Uint8Array, from: number, length: number, out: Uint8Array, outAt: number): void {
    if (length % 16 !== 0) throw new RangeError('AES-IGE works on whole 16-byte blocks');
    const w = this.schedule;
    const blk = this.block;
    let c0 = this.c0,
      c1 = this.c1,
      c2 = this.c2,
      c3 = this.c3;
    let p0 = this.p0,
      p1 = this.p1,
      p2 = this.p2,
      p3 = this.p3;
    for (let i = 0; i < length; i += 16) {
      const x0 = word(input, from + i),
        x1 = word(input, from + i + 4),
        x2 = word(input, from + i + 8),
        x3 = word(input, from + i + 12);
      encryptWords(w, x0 ^ c0, x1 ^ c1, x2 ^ c2, x3 ^ c3, blk);
      c0 = blk[0] ^ p0;
      c1 = blk[1] ^ p1;
      c2 = blk[2] ^ p2;
      c3 = blk[3] ^ p3;
      p0 = x0;
      p1 = x1;
      p2 = x2;
      p3 = x3;
      const o = outAt + i;
      put(out, o, c0);
      put(out, o + 4, c1);
      put(out, o + 8, c2);
      put(out, o + 12, c3);
    }
    this.c0 = c0;
    this.c1 = c1;
    this.c2 = c2;
    this.c3 = c3;
    this.p0 = p0;
    this.p1 = p1;
    this.p2 = p2;
    this.p3 = p3;
  }
}

export function aesIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  new AesIgeDecryptor(key, iv).decrypt(data, 0, data.length, out, 0);
  return out;
}

export function aesIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  new AesIgeEncryptor(key, iv).encrypt(data, 0, data.length, out, 0);
  return out;
}
