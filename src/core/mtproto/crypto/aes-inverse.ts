// The AES-256 inverse cipher, for IGE decryption. aes.ts (written for CTR)
// has only the forward direction; this adds the inverse S-box, the four
// inverse round tables and the "equivalent inverse cipher" key schedule
// (FIPS-197 5.3.5), derived from aes.ts's S-box and key expansion so the two
// cannot disagree.

import { SBOX, expandKey256Into } from './aes.ts';

const ROUNDS = 14;
const INV_SBOX = new Uint8Array(256);
/** Inverse round tables TD0..TD3 back to back, like aes.ts's TE. */
const TD = new Int32Array(1024);

function mul(a: number, b: number): number {
  let r = 0;
  while (b) {
    if (b & 1) r ^= a;
    a = ((a << 1) ^ (a & 0x80 ? 0x1b : 0)) & 0xff;
    b >>= 1;
  }
  return r;
}

for (let i = 0; i < 256; i++) INV_SBOX[SBOX[i]] = i;
for (let i = 0; i < 256; i++) {
  const s = INV_SBOX[i];
  // InvMixColumns column (14s, 9s, 13s, 11s) big-endian; the other tables are byte rotations.
  const t = (mul(s, 14) << 24) | (mul(s, 9) << 16) | (mul(s, 13) << 8) | mul(s, 11);
  TD[i] = t;
  TD[256 + i] = (t >>> 8) | (t << 24);
  TD[512 + i] = (t >>> 16) | (t << 16);
  TD[768 + i] = (t >>> 24) | (t << 8);
}

/** Decryption schedule: round keys in reverse order, the middle ones passed through InvMixColumns. */
export function expandDecryptKey256(key: Uint8Array): Int32Array {
  return expandDecryptKey256Into(key, new Int32Array(4 * (ROUNDS + 1)), new Int32Array(4 * (ROUNDS + 1)));
}

/** expandDecryptKey256 into schedules the caller reuses (`enc` is scratch): no allocation per key. */
export function expandDecryptKey256Into(key: Uint8Array, enc: Int32Array, dec: Int32Array): Int32Array {
  expandKey256Into(key, enc);
  for (let r = 0; r <= ROUNDS; r++) {
    for (let c = 0; c < 4; c++) {
      const v = enc[4 * (ROUNDS - r) + c];
      dec[4 * r + c] =
        r === 0 || r === ROUNDS
          ? v
          : // TD[SBOX[b]] is InvMixColumns of the byte b alone (the S-boxes cancel).
            TD[SBOX[v >>> 24]] ^ TD[256 | SBOX[(v >>> 16) & 255]] ^ TD[512 | SBOX[(v >>> 8) & 255]] ^ TD[768 | SBOX[v & 255]];
    }
  }
  return dec;
}

/** Decrypts one block given as four big-endian words with a schedule from expandDecryptKey256; writes out[0..3]. */
export function decryptWords(w: Int32Array, a0: number, a1: number, a2: number, a3: number, out: Int32Array): void {
  let s0 = a0 ^ w[0];
  let s1 = a1 ^ w[1];
  let s2 = a2 ^ w[2];
  let s3 = a3 ^ w[3];
  const t = TD;
  for (let k = 4; k < 4 * ROUNDS; k += 4) {
    const t0 = t[s0 >>> 24] ^ t[256 | ((s3 >>> 16) & 255)] ^ t[512 | ((s2 >>> 8) & 255)] ^ t[768 | (s1 & 255)] ^ w[k];
    const t1 = t[s1 >>> 24] ^ t[256 | ((s0 >>> 16) & 255)] ^ t[512 | ((s3 >>> 8) & 255)] ^ t[768 | (s2 & 255)] ^ w[k + 1];
    const t2 = t[s2 >>> 24] ^ t[256 | ((s1 >>> 16) & 255)] ^ t[512 | ((s0 >>> 8) & 255)] ^ t[768 | (s3 & 255)] ^ w[k + 2];
    const t3 = t[s3 >>> 24] ^ t[256 | ((s2 >>> 16) & 255)] ^ t[512 | ((s1 >>> 8) & 255)] ^ t[768 | (s0 & 255)] ^ w[k + 3];
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  const k = 4 * ROUNDS;
  const S = INV_SBOX;
  out[0] = ((S[s0 >>> 24] << 24) | (S[(s3 >>> 16) & 255] << 16) | (S[(s2 >>> 8) & 255] << 8) | S[s1 & 255]) ^ w[k];
  out[1] = ((S[s1 >>> 24] << 24) | (S[(s0 >>> 16) & 255] << 16) | (S[(s3 >>> 8) & 255] << 8) | S[s2 & 255]) ^ w[k + 1];
  out[2] = ((S[s2 >>> 24] << 24) | (S[(s1 >>> 16) & 255] << 16) | (S[(s0 >>> 8) & 255] << 8) | S[s3 & 255]) ^ w[k + 2];
  out[3] = ((S[s3 >>> 24] << 24) | (S[(s2 >>> 16) & 255] << 16) | (S[(s1 >>> 8) & 255] << 8) | S[s0 & 255]) ^ w[k + 3];
}
