import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Sha1, sha1 } from '../../src/core/mtproto/crypto/sha1.ts';
import { Sha256, sha256, sha256Concat } from '../../src/core/mtproto/crypto/sha256.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ascii = (s: string) => new TextEncoder().encode(s);

describe('SHA-256', () => {
  it('matches the FIPS 180-4 / NIST examples', () => {
    expect(hex(sha256(ascii('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('matches node:crypto for any data, however it is split into updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 4 }), (data, cuts) => {
        const h = new Sha256();
        const points = [...cuts.map((c) => c % (data.length + 1)), data.length].sort((a, b) => a - b);
        let at = 0;
        for (const p of points) {
          h.update(data, at, p);
          at = p;
        }
        const expected = createHash('sha256').update(data).digest('hex');
        expect(hex(h.digest())).toBe(expected);
        // The hasher resets itself after a digest.
        expect(hex(h.update(data).digest())).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('sha256Concat hashes a + a range of b', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.nat(), (a, b, x, y) => {
        const s = x % (b.length + 1);
        const e = s + (y % (b.length - s + 1));
        const out = new Uint8Array(40);
        sha256Concat(a, b, out, 4, s, e);
        expect(hex(out.subarray(4, 36))).toBe(createHash('sha256').update(a).update(b.subarray(s, e)).digest('hex'));
      }),
    );
  });
});

describe('SHA-1', () => {
  it('matches the FIPS 180-4 / NIST examples', () => {
    expect(hex(sha1(ascii('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha1(ascii('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('84983e441c3bd26ebaae4aa1f95129e5e54670f1');
    expect(hex(sha1(new Uint8Array(1_000_000).fill(0x61)))).toBe('34aa973cd4c4daa4f61eeb2bdbad27316534016f');
  });

  it('matches node:crypto for any data and split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(600), (data, cut) => {
        const c = cut % (data.length + 1);
        const h = new Sha1().update(data, 0, c).update(data, c);
        expect(hex(h.digest())).toBe(createHash('sha1').update(data).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
