import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { AuthKey } from '../../src/core/keys/auth-key.ts';
import { KeyRing } from '../../src/core/keys/key-ring.ts';
import { decryptMessage } from '../../src/core/mtproto/decrypt/decrypt.ts';
import { peekMessage, peekVerdict } from '../../src/core/mtproto/decrypt/decrypt-prefix.ts';
import { decryptAndDecode } from '../../src/core/mtproto/decrypt/decrypt-decode.ts';
import { decodeDecryptedMessage } from '../../src/core/mtproto/tl/decode.ts';
import { refEncryptMessage } from './mtproto2-reference.ts';
import { container, gzipPacked, rpcError, rpcResult, tl, u32, concat } from './tl-helpers.ts';

const keyBytes = new Uint8Array(randomBytes(256));
const key = new AuthKey(keyBytes, 'hex', 2);
const ring = new KeyRing();
ring.add(key);

const errorBody = rpcResult(0x6543210987654000n, rpcError(420, 'FLOOD_WAIT_17'));

describe('decryptMessage', () => {
  it('decrypts and verifies a server message, with the header fields in their usual forms', () => {
    const salt = Buffer.from('0102030405060708', 'hex');
    const frame = refEncryptMessage(keyBytes, errorBody, { direction: 'in', msgId: 0x6543210987654321n, seqNo: 7, salt });
    const r = decryptMessage(frame, ring, { direction: 'in' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.keyId).toBe(key.keyId);
    expect(r.dc).toBe(2);
    expect(r.salt).toBe('0102030405060708');
    expect(r.msgId).toBe(0x6543210987654321n.toString());
    expect(r.seqNo).toBe(7);
    expect(Buffer.from(r.body).equals(Buffer.from(errorBody))).toBe(true);
    expect(r.padding).toBeGreaterThanOrEqual(12);
    expect(r.msgKey).toBe(frame.subarray(8, 24).toString('hex'));
  });

  it('finds the direction itself when told "unknown", for any body and padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.boolean(), fc.nat(60), (raw, incoming, extra) => {
        const body = raw.subarray(0, raw.length & ~3);
        const min = 12 + ((16 - ((32 + body.length + 12) % 16)) % 16);
        const padding = Math.min(min + 16 * extra, 1024 - ((1024 - min) % 16));
        const direction = incoming ? 'in' : 'out';
        const frame = refEncryptMessage(keyBytes, body, { direction, padding });
        const r = decryptMessage(frame, ring);
        expect(r.ok && r.direction).toBe(direction);
        if (r.ok) expect(Buffer.from(r.body).equals(Buffer.from(body))).toBe(true);
        // The wrong direction, forced, fails the msg_key check.
        const wrong = decryptMessage(frame, ring, { direction: incoming ? 'out' : 'in' });
        expect(!wrong.ok && wrong.reason).toBe('bad-msg-key');
      }),
      { numRuns: 80 },
    );
  });

  it('gives a clear reason for each failure', () => {
    const frame = refEncryptMessage(keyBytes, errorBody, { direction: 'in' });
    const other = new KeyRing();
    expect(decryptMessage(frame, other)).toMatchObject({ ok: false, reason: 'unknown-key', keyId: key.keyId });
    expect(decryptMessage(frame.subarray(0, 60), ring)).toMatchObject({ ok: false, reason: 'too-short' });
    const unencrypted = Buffer.concat([Buffer.alloc(8), randomBytes(100)]);
    expect(decryptMessage(unencrypted, ring)).toMatchObject({ ok: false, reason: 'not-encrypted' });
    const damaged = Buffer.from(frame);
    damaged[damaged.length - 1] ^= 1;
    expect(decryptMessage(damaged, ring)).toMatchObject({ ok: false, reason: 'bad-msg-key' });
    const tooMuchPadding = refEncryptMessage(keyBytes, errorBody, { direction: 'in', padding: 1040 - ((32 + errorBody.length) % 16) });
    expect(decryptMessage(tooMuchPadding, ring, { direction: 'in' })).toMatchObject({ ok: false, reason: 'bad-padding' });
    const smallest = refEncryptMessage(keyBytes, u32(0x12345678), { direction: 'in', padding: 12 });
    expect(decryptMessage(smallest, ring, { direction: 'in' }).ok).toBe(true);
    const tooLittle = refEncryptMessage(keyBytes, concat(u32(0x12345678), u32(0)), { direction: 'in', padding: 8 });
    expect(decryptMessage(tooLittle, ring, { direction: 'in' })).toMatchObject({ ok: false, reason: 'bad-padding' });
    const lying = refEncryptMessage(keyBytes, errorBody, { direction: 'in', declaredLength: 4000 });
    expect(decryptMessage(lying, ring)).toMatchObject({ ok: false, reason: 'bad-declared-length', direction: 'in' });
  });

  it('ignores the 0..15 random bytes padded intermediate adds after the message', () => {
    const frame = Buffer.concat([refEncryptMessage(keyBytes, errorBody, { direction: 'in' }), randomBytes(7)]);
    const r = decryptMessage(frame, ring);
    expect(r.ok && r.trimmed).toBe(7);
  });

  it('decrypts a message inside a larger buffer (start/end)', () => {
    const frame = refEncryptMessage(keyBytes, errorBody, { direction: 'out' });
    const wrapped = Buffer.concat([randomBytes(5), frame, randomBytes(3)]);
    const r = decryptMessage(wrapped, ring, { start: 5, end: 5 + frame.length });
    expect(r.ok && r.direction).toBe('out');
  });
});

describe('peekMessage (prefix decryption)', () => {
  it('reads the header and first constructors from four blocks, matching the full decryption', () => {
    const frame = refEncryptMessage(keyBytes, errorBody, { direction: 'in', msgId: 0x6543210987654321n, seqNo: 9 });
    const peek = peekMessage(frame, ring);
    expect(peek.ok).toBe(true);
    if (!peek.ok) return;
    expect(peek).toMatchObject({ direction: 'in', msgId: 0x6543210987654321n.toString(), seqNo: 9, length: errorBody.length, plausible: true });
    expect(peek.bodyConstructor).toBe(0xf35c6d01);
    expect(peek.innerConstructor).toBe(0x2144ca19);
    expect(peek.prefix.length).toBe(64);
    const full = decryptMessage(frame, ring);
    expect(full.ok && Buffer.from(full.plaintext.subarray(0, 64)).equals(Buffer.from(peek.prefix))).toBe(true);
    expect(peekVerdict(peek)).toBe('error-possible');
  });

  it('tells error-bearing answers from the rest', () => {
    const verdict = (body: Uint8Array, direction: 'in' | 'out' = 'in') => {
      const peek = peekMessage(refEncryptMessage(keyBytes, body, { direction }), ring);
      if (!peek.ok) throw new Error(peek.message);
      expect(peek.direction).toBe(direction);
      return peekVerdict(peek);
    };
    const config = u32(0x997275b5); // boolTrue
    expect(verdict(rpcResult(1n, config))).toBe('no-error');
    expect(verdict(rpcResult(1n, gzipPacked(rpcError(400, 'PEER_ID_INVALID'))))).toBe('error-possible');
    expect(verdict(container([{ msgId: 5n, body: u32(0x347773c5) }]))).toBe('error-possible');
    expect(verdict(concat(u32(0x62d6b459), u32(0x1cb5c415), u32(0)))).toBe('no-error');
    expect(verdict(concat(u32(0xa7eff811), new Uint8Array(16)))).toBe('error-possible');
    expect(verdict(tl({ _: 'help.getConfig' }), 'out')).toBe('request');
    expect(verdict(concat(u32(0x62d6b459), u32(0x1cb5c415), u32(0)), 'out')).toBe('no-error');
  });

  it('a wrong key id or a wrong forced direction is reported or marked implausible', () => {
    const frame = refEncryptMessage(keyBytes, errorBody, { direction: 'in' });
    expect(peekMessage(frame, new KeyRing())).toMatchObject({ ok: false, reason: 'unknown-key' });
    const forced = peekMessage(frame, ring, { direction: 'out' });
    expect(forced.ok && forced.plausible).toBe(false);
    expect(forced.ok && peekVerdict(forced)).toBe('undecided');
  });
});

describe('decryptAndDecode', () => {
  it('runs the existing decoder on the plaintext: rpc_result -> gzip_packed -> rpc_error in a container', () => {
    const body = container([
      { msgId: 11n, body: rpcResult(0x6543210987654000n, gzipPacked(rpcError(303, 'PHONE_MIGRATE_4'))) },
      { msgId: 13n, body: u32(0x347773c5) },
    ]);
    const frame = refEncryptMessage(keyBytes, body, { direction: 'in', msgId: 0x6543210987654321n });
    const { decrypted, findings } = decryptAndDecode(frame, ring);
    expect(decrypted.ok).toBe(true);
    expect(findings.rpcErrors).toHaveLength(1);
    expect(findings.rpcErrors[0]).toMatchObject({ code: 303, message: 'PHONE_MIGRATE_4', path: ['msg_container', 'rpc_result', 'gzip_packed', 'rpc_error'] });
    expect(findings.envelope).toMatchObject({ kind: 'decrypted', authKeyId: key.keyId, msgId: 0x6543210987654321n.toString() });
    // The same as decoding the plaintext directly, apart from the envelope's key fields.
    if (decrypted.ok) {
      const direct = decodeDecryptedMessage(decrypted.plaintext, { direction: 'in' });
      expect(direct.rpcErrors).toEqual(findings.rpcErrors);
    }
  });

  it('names outgoing requests', () => {
    const frame = refEncryptMessage(keyBytes, tl({ _: 'help.getConfig' }), { direction: 'out' });
    const { findings } = decryptAndDecode(frame, ring, { methodName: (id) => (id === 0xc4f9186b ? 'help.getConfig' : null) });
    expect(findings.requests[0]?.method).toBe('help.getConfig');
  });

  it('falls back to the header and says why when it cannot decrypt', () => {
    const frame = refEncryptMessage(keyBytes, errorBody, { direction: 'in' });
    const { decrypted, findings } = decryptAndDecode(frame, new KeyRing());
    expect(decrypted.ok).toBe(false);
    expect(findings.envelope?.kind).toBe('encrypted');
    expect(findings.diagnostics.join(' ')).toContain('no key with auth_key_id');
  });
});
