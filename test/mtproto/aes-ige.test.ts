import { describe, expect, it } from 'vitest';
import { createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { AesIgeDecryptor, AesIgeEncryptor, aesIgeDecrypt, aesIgeEncrypt } from '../../src/core/mtproto/crypto/aes-ige.ts';
import { decryptWords, expandDecryptKey256 } from '../../src/core/mtproto/crypto/aes-inverse.ts';
import { deriveAesKeyIv } from '../../src/core/mtproto/crypto/message-key.ts';
import { refIgeDecrypt, refIgeEncrypt, refKeyIv } from './mtproto2-reference.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

describe('AES-256 inverse cipher', () => {
  it('decrypts the FIPS-197 AES-256 example', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const out = new Int32Array(4);
    const c = fromHex('8ea2b7ca516745bfeafc49904b496089');
    const w = (i: number) => (c[i] << 24) | (c[i + 1] << 16) | (c[i + 2] << 8) | c[i + 3];
    decryptWords(expandDecryptKey256(key), w(0), w(4), w(8), w(12), out);
    expect([...out].map((v) => (v >>> 0).toString(16).padStart(8, '0')).join('')).toBe('00112233445566778899aabbccddeeff');
  });

  it('matches node:crypto aes-256-ecb decryption', () => {
    for (let t = 0; t < 50; t++) {
      const key = randomBytes(32);
      const block = randomBytes(16);
      const d = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
      const expected = d.update(block);
      const out = new Int32Array(4);
      decryptWords(expandDecryptKey256(key), block.readInt32BE(0), block.readInt32BE(4), block.readInt32BE(8), block.readInt32BE(12), out);
      const got = Buffer.alloc(16);
      for (let i = 0; i < 4; i++) got.writeInt32BE(out[i], 4 * i);
      expect(got.equals(expected)).toBe(true);
    }
  });
});

describe('AES-256-IGE', () => {
  it('matches the AES-256-IGE vector ("This is an implementation of IGE mode for OpenSSL")', () => {
    const key = fromHex('5468697320697320616e20696d706c655468697320697320616e20696d706c65');
    const iv = fromHex('6d656e746174696f6e206f6620494745206d6f646520666f72204f70656e5353');
    const plain = fromHex('99706487a1cde613bc6de0b6f24b1c7aa448c8b9c3403e3467a8cad89340f53b');
    const cipher = '792ea8ae577b1a66cb3bd92679b8030ca54ee631976bd3a04547fdcb4639fa69';
    expect(hex(aesIgeEncrypt(plain, key, iv))).toBe(cipher);
    expect(hex(aesIgeDecrypt(fromHex(cipher), key, iv))).toBe(hex(plain));
  });

  it('matches an IGE built from node:crypto ECB, both ways, for any data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(40), (key, iv, blocks) => {
        const data = randomBytes(16 * blocks);
        expect(hex(aesIgeEncrypt(data, key, iv))).toBe(refIgeEncrypt(data, key, iv).toString('hex'));
        expect(hex(aesIgeDecrypt(data, key, iv))).toBe(refIgeDecrypt(data, key, iv).toString('hex'));
      }),
      { numRuns: 60 },
    );
  });

  it('decrypts in pieces, in place, and round-trips', () => {
    const key = randomBytes(32);
    const iv = randomBytes(32);
    const data = new Uint8Array(randomBytes(16 * 20));
    const cipher = aesIgeEncrypt(data, key, iv);
    const d = new AesIgeDecryptor(key, iv);
    const buf = cipher.slice();
    d.decrypt(buf, 0, 32, buf, 0);
    d.decrypt(buf, 32, 16 * 18, buf, 32);
    expect(hex(buf)).toBe(hex(data));
    const e = new AesIgeEncryptor(key, iv);
    const again = new Uint8Array(data.length);
    e.encrypt(data, 0, 48, again, 0);
    e.encrypt(data, 48, data.length - 48, again, 48);
    expect(hex(again)).toBe(hex(cipher));
    expect(() => d.decrypt(buf, 0, 15, buf, 0)).toThrow(RangeError);
  });
});

describe('MTProto 2.0 key derivation', () => {
  // Vectors from mtcute's tests (packages/core/src/utils/crypto/mtproto.test.ts): an auth key made of
  // one 32-byte chunk repeated 8 times; "client" is x = 0, "server" x = 8.
  const authKey = fromHex('98cb29c6ffa89e79da695a54f572e6cb101e81c688b63a4bf73c3622dec230e0'.repeat(8));
  const msgKey = fromHex('25d701f2a29205526757825a99eb2d32');

  it('derives the published key and iv for both directions', () => {
    const key = new Uint8Array(32);
    const iv = new Uint8Array(32);
    deriveAesKeyIv(authKey, msgKey, 0, key, iv);
    expect(hex(key)).toBe('af3f8e1ffa75f4c981eec33a3e5bbaa2ea48f9bb93e91597627eb1f67960a0c9');
    expect(hex(iv)).toBe('9874d77f95155b35221bff94b7df4594c6996e2a62e44fcb7d93c8c4e41b79ee');
    deriveAesKeyIv(authKey, msgKey, 8, key, iv);
    expect(hex(key)).toBe('d4b378e1e0525f10ff9d4c42807ccce5b30a033a8088c0b922b5259421751648');
    expect(hex(iv)).toBe('4d7194f42f0135d2fd83050b403265b4c40ee3e9e9fba56f0f4d8ea6bcb121f5');
  });

  it('agrees with a node:crypto derivation for random keys', () => {
    for (let t = 0; t < 30; t++) {
      const ak = randomBytes(256);
      const mk = randomBytes(16);
      const x = t % 2 === 0 ? 0 : 8;
      const key = new Uint8Array(32);
      const iv = new Uint8Array(32);
      deriveAesKeyIv(ak, mk, x, key, iv);
      const ref = refKeyIv(ak, mk, x);
      expect(hex(key)).toBe(ref.key.toString('hex'));
      expect(hex(iv)).toBe(ref.iv.toString('hex'));
    }
  });
});
