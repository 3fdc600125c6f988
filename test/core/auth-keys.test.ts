import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { AuthKey, computeAuthKeyId } from '../../src/core/keys/auth-key.ts';
import { KeyRing } from '../../src/core/keys/key-ring.ts';
import { parseAuthKeys } from '../../src/core/keys/parse-keys.ts';
import { refAuthKeyId } from '../mtproto/mtproto2-reference.ts';

const keys = Array.from({ length: 5 }, () => randomBytes(256));
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ids = (input: string) => parseAuthKeys(input).keys.map((k) => [k.keyId, k.dc, k.source]);

/** TL bytes: length prefix, data, zero padding to 4. */
function tlBytes(b: Uint8Array): Buffer {
  const head = b.length <= 253 ? Buffer.from([b.length]) : Buffer.from([254, b.length & 255, (b.length >> 8) & 255, (b.length >> 16) & 255]);
  const pad = (4 - ((head.length + b.length) % 4)) % 4;
  return Buffer.concat([head, Buffer.from(b), Buffer.alloc(pad)]);
}
const int32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v | 0);
  return b;
};

describe('auth_key_id', () => {
  it('is the low 64 bits of SHA-1 (digest bytes 12..20), as node:crypto computes it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (k) => {
        expect(computeAuthKeyId(k)).toBe(refAuthKeyId(k));
      }),
      { numRuns: 50 },
    );
  });
});

describe('parseAuthKeys', () => {
  const id0 = refAuthKeyId(keys[0]);

  it('reads a key as hex (bare, quoted, upper case) and as base64 (standard, URL-safe, unpadded)', () => {
    expect(ids(hexOf(keys[0]))).toEqual([[id0, null, 'hex']]);
    expect(ids(JSON.stringify(hexOf(keys[0])))).toEqual([[id0, null, 'hex']]);
    expect(ids(`  ${hexOf(keys[0]).toUpperCase()}\n`)).toEqual([[id0, null, 'hex']]);
    expect(ids(keys[0].toString('base64'))).toEqual([[id0, null, 'base64']]);
    expect(ids(keys[0].toString('base64url'))).toEqual([[id0, null, 'base64']]);
  });

  it('reads a Web K accountN value: every dcN_auth_key with its DC', () => {
    const account: Record<string, unknown> = { userId: 777, dcId: 2, date: 1700000000, auth_key_fingerprint: hexOf(keys[1]).slice(0, 8) };
    for (let dc = 1; dc <= 5; dc++) {
      account[`dc${dc}_auth_key`] = hexOf(keys[dc - 1]);
      account[`dc${dc}_server_salt`] = '0102030405060708';
    }
    const got = parseAuthKeys(JSON.stringify(account));
    expect(got.keys.map((k) => [k.dc, k.source])).toEqual([1, 2, 3, 4, 5].map((dc) => [dc, 'webk-account']));
    expect(got.keys[1].keyId).toBe(refAuthKeyId(keys[1]));
  });

  it('reads a localStorage dump (values are JSON text): Web K account, legacy and Web A keys, test-DC prefix', () => {
    const dump = {
      account1: JSON.stringify({ userId: 1, dcId: 2, dc2_auth_key: hexOf(keys[0]) }),
      dc4_auth_key: JSON.stringify(hexOf(keys[1])),
      t_dc1_auth_key: JSON.stringify(hexOf(keys[2])),
      user_auth: JSON.stringify({ dcID: 2, id: '1' }),
      dc: '2',
      dc2_server_salt: '"0102030405060708"',
    };
    expect(ids(JSON.stringify(dump))).toEqual([
      [id0, 2, 'webk-account'],
      [refAuthKeyId(keys[1]), 4, 'dc-auth-key'],
      [refAuthKeyId(keys[2]), 1, 'dc-auth-key'],
    ]);
  });

  it("reads Web A's session object {mainDcId, keys, hashes}", () => {
    const session = { mainDcId: 2, keys: { 2: hexOf(keys[0]), 4: hexOf(keys[3]) }, hashes: { 2: 'abcd' } };
    expect(ids(JSON.stringify(session)).map((x) => x[1])).toEqual([2, 4]);
  });

  it('reads a GramJS StringSession, and the Telethon layout gramjs also accepts', () => {
    const addr = Buffer.from('149.154.167.51');
    const gramjs = Buffer.concat([Buffer.from([4]), Buffer.from([0, addr.length]), addr, Buffer.from([0x01, 0xbb]), keys[0]]);
    expect(ids('1' + gramjs.toString('base64'))).toEqual([[id0, 4, 'gramjs-string-session']]);
    const telethon = Buffer.concat([Buffer.from([2, 149, 154, 167, 51]), Buffer.from([0x01, 0xbb]), keys[1]]);
    expect(ids('1' + telethon.toString('base64url'))).toEqual([[refAuthKeyId(keys[1]), 2, 'gramjs-string-session']]);
  });

  it('reads a GramJS StoreSession dump (Buffer JSON) with its DC', () => {
    const dump = { 'my:authKey': JSON.stringify({ type: 'Buffer', data: [...keys[0]] }), 'my:dcId': '5', 'my:port': '443' };
    expect(ids(JSON.stringify(dump))).toEqual([[id0, 5, 'gramjs-store-session']]);
  });

  it('reads mtcute string sessions (v3 with basic DC options and self, v1 with a TL dcOption)', () => {
    const basicDc = Buffer.concat([Buffer.from([2, 3, 0]), tlBytes(Buffer.from('149.154.175.100')), int32(443)]);
    const v3 = Buffer.concat([Buffer.from([3]), int32(1 | 4), tlBytes(basicDc), tlBytes(basicDc), Buffer.alloc(8, 7), int32(0xbc799737), tlBytes(keys[0])]);
    expect(ids(v3.toString('base64url'))).toEqual([[id0, 3, 'mtcute-string-session']]);
    const dcOption = Buffer.concat([int32(0x18b7a10d), int32(0), int32(2), tlBytes(Buffer.from('149.154.167.50')), int32(443)]);
    const v1 = Buffer.concat([Buffer.from([1]), int32(0), dcOption, tlBytes(keys[1])]);
    expect(ids(v1.toString('base64url'))).toEqual([[refAuthKeyId(keys[1]), 2, 'mtcute-string-session']]);
  });

  it("reads mtcute's stored key rows (IndexedDB authKeys / tempAuthKeys) with their DC, as the content script dumps them", () => {
    const dump = {
      'IndexedDB client.session/authKeys': [
        { dc: 2, key: hexOf(keys[0]) },
        { dc: 4, key: hexOf(keys[1]) },
      ],
      'IndexedDB client.session/tempAuthKeys': [{ dc: 2, idx: 0, key: hexOf(keys[2]), expiresAt: 1_900_000_000_000 }],
    };
    expect(ids(JSON.stringify(dump))).toEqual([
      [id0, 2, 'mtcute-storage'],
      [refAuthKeyId(keys[1]), 4, 'mtcute-storage'],
      [refAuthKeyId(keys[2]), 2, 'mtcute-storage'],
    ]);
  });

  it('reads an mtcute row as JSON.stringify writes it (Uint8Array as an indexed object), or with the key as bytes or base64', () => {
    const indexed = JSON.stringify({ dc: 5, key: Object.fromEntries([...keys[0]].map((b, i) => [String(i), b])) });
    expect(ids(indexed)).toEqual([[id0, 5, 'mtcute-storage']]);
    expect(ids(JSON.stringify({ dc: 1, key: [...keys[1]] }))).toEqual([[refAuthKeyId(keys[1]), 1, 'mtcute-storage']]);
    expect(ids(JSON.stringify([{ dc: 3, idx: 1, key: keys[2].toString('base64'), expiresAt: 0 }]))).toEqual([[refAuthKeyId(keys[2]), 3, 'mtcute-storage']]);
  });

  it('takes only {dc, key, idx, expiresAt} as an mtcute row, and only a sane DC', () => {
    // Other fields: not an mtcute row, the key is still found by its shape.
    expect(ids(JSON.stringify({ dc: 2, key: hexOf(keys[0]), user: 'x' }))).toEqual([[id0, null, 'hex']]);
    expect(ids(JSON.stringify({ dc: -1, key: hexOf(keys[0]) }))).toEqual([[id0, null, 'mtcute-storage']]);
    expect(ids(JSON.stringify({ dc: 2.5, key: hexOf(keys[0]) }))).toEqual([[id0, null, 'mtcute-storage']]);
    // An indexed object that is not 256 bytes 0..255 is no key.
    const bad = Object.fromEntries([...keys[0]].map((b, i) => [i === 7 ? '07' : String(i), b]));
    expect(parseAuthKeys(JSON.stringify({ dc: 2, key: bad })).keys).toEqual([]);
    const big = Object.fromEntries([...keys[0]].map((b, i) => [String(i), i === 9 ? 256 : b]));
    expect(parseAuthKeys(JSON.stringify({ dc: 2, key: big })).keys).toEqual([]);
  });

  it('reads several keys separated by lines or commas, each once', () => {
    const text = `${hexOf(keys[0])}\n${hexOf(keys[1])}, ${hexOf(keys[0])}`;
    expect(parseAuthKeys(text).keys).toHaveLength(2);
  });

  it('explains what it could not use, without quoting the input', () => {
    const short = hexOf(keys[0]).slice(0, 510);
    const r = parseAuthKeys(short);
    expect(r.keys).toEqual([]);
    expect(r.problems.join(' ')).toContain('510 digits');
    expect(r.problems.join(' ')).not.toContain(short.slice(0, 20));
    expect(parseAuthKeys('{"dc2_auth_key": ').problems[0]).toContain('not valid JSON');
    expect(parseAuthKeys('hello').problems).toEqual(['no auth key found']);
    expect(parseAuthKeys('0'.repeat(512)).problems[0]).toContain('all-zero');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.base64String()), (s) => {
        const r = parseAuthKeys(s);
        expect(Array.isArray(r.keys)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('AuthKey and KeyRing', () => {
  it('never serialize key bytes: JSON, structured clone, spread, string', () => {
    const key = new AuthKey(keys[0], 'hex', 2);
    const hex = hexOf(keys[0]);
    const ring = new KeyRing();
    ring.add(key);
    for (const text of [
      JSON.stringify(key),
      JSON.stringify(ring),
      JSON.stringify({ ...key }),
      String(key),
      String(ring),
      JSON.stringify(structuredClone(key)),
    ]) {
      expect(text).not.toContain(hex.slice(0, 16));
      expect(text).not.toContain(keys[0].toString('base64').slice(0, 16));
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ keys: [{ keyId: key.keyId, dc: 2, source: 'hex', place: null }] });
    expect(Object.keys(structuredClone(key))).not.toContain('bytes');
  });

  it('keeps its own copy of the key', () => {
    const buf = new Uint8Array(keys[0]);
    const key = new AuthKey(buf, 'hex');
    buf.fill(0);
    expect(computeAuthKeyId(key.bytes)).toBe(key.keyId);
  });

  it('adds, looks up (by id or by frame bytes), forgets', () => {
    const ring = new KeyRing();
    const a = new AuthKey(keys[0], 'hex', 1);
    const b = new AuthKey(keys[1], 'hex', 2);
    expect(ring.add([a, b, a])).toBe(2);
    expect(ring.size).toBe(2);
    expect(ring.lookup(a.keyId)).toBe(a);
    expect(ring.lookup(a.keyId.toUpperCase())).toBe(a);
    const frame = Buffer.concat([Buffer.from(b.keyId, 'hex'), randomBytes(40)]);
    expect(ring.lookupAt(frame)).toBe(b);
    expect(ring.forget(a.keyId)).toBe(true);
    expect(ring.lookup(a.keyId)).toBeNull();
    ring.clear();
    expect(ring.size).toBe(0);
  });
});
