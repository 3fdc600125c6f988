import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { AesCtr, aes256EncryptBlock } from '../../src/core/mtproto/crypto/aes.ts';
import { crc32 } from '../../src/core/mtproto/transport/crc32.ts';
import { crc32 as zlibCrc32 } from 'node:zlib';

describe('AES-256', () => {
  it('matches the FIPS-197 AES-256 test vector', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const plain = Uint8Array.from({ length: 16 }, (_, i) => (i << 4) | i);
    expect(Buffer.from(aes256EncryptBlock(key, plain)).toString('hex')).toBe('8ea2b7ca516745bfeafc49904b496089');
  });

  it('CTR matches node:crypto aes-256-ctr for random keys, ivs, lengths and offsets', () => {
    for (let t = 0; t < 50; t++) {
      const key = randomBytes(32);
      // Counters near the wrap-around check the 128-bit carry.
      const iv = t % 5 === 0 ? Buffer.from('00000000fffffffffffffffffffffff0', 'hex') : randomBytes(16);
      const data = randomBytes(1 + ((t * 97) % 700));
      const expected = createCipheriv('aes-256-ctr', key, iv).update(data);
      const ctr = new AesCtr(key, iv);
      expect(Buffer.from(ctr.decryptAt(0, data)).equals(expected)).toBe(true);
      const off = (t * 13) % data.length;
      expect(Buffer.from(ctr.decryptAt(off, data.subarray(off))).equals(expected.subarray(off))).toBe(true);
    }
  });

  it('xorRange on sub-ranges, in any order of offsets (keystream block reuse), matches node:crypto', () => {
    const key = randomBytes(32);
    const iv = Buffer.from('00000000ffffffffffffffffffffffe0', 'hex');
    const data = randomBytes(4096);
    const expected = createCipheriv('aes-256-ctr', key, iv).update(data);
    const ctr = new AesCtr(key, iv);
    let seed = 1;
    const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    for (let t = 0; t < 3000; t++) {
      // Mostly short reads near the previous one (as the inspector does), some anywhere.
      const offset = next(data.length);
      const count = Math.min(data.length - offset, t % 7 === 0 ? next(200) : next(20));
      const out = new Uint8Array(count + 5);
      ctr.xorRange(offset, data, offset, count, out, 3);
      expect(Buffer.from(out.subarray(3, 3 + count)).equals(expected.subarray(offset, offset + count))).toBe(true);
      expect(out[0] | out[1] | out[2] | out[3 + count] | out[4 + count]).toBe(0);
      const again = new Uint8Array(count);
      ctr.xorRange(offset, data, offset, count, again, 0);
      expect(Buffer.from(again).equals(expected.subarray(offset, offset + count))).toBe(true);
    }
  });

  it('CTR at a large stream offset equals node:crypto after discarding that many bytes', () => {
    const key = randomBytes(32);
    const iv = randomBytes(16);
    const offset = 1_000_003;
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    cipher.update(Buffer.alloc(offset));
    const data = randomBytes(100);
    expect(Buffer.from(new AesCtr(key, iv).decryptAt(offset, data)).equals(cipher.update(data))).toBe(true);
  });
});

describe('crc32', () => {
  it('matches zlib', () => {
    for (let t = 0; t < 20; t++) {
      const data = randomBytes(t * 37);
      expect(crc32(data)).toBe(zlibCrc32(data) >>> 0);
    }
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
