import { describe, expect, it } from 'vitest';
import { createCipheriv, randomBytes } from 'node:crypto';
import { AesCtr, aes256EncryptBlock } from '../../src/core/mtproto/aes.ts';
import { crc32 } from '../../src/core/mtproto/crc32.ts';
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
