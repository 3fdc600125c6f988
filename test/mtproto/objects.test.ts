import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { decodeMessageBody, decodeMtprotoPayload, decodeDecryptedMessage } from '../../src/core/mtproto/tl/decode.ts';
import { BAD_MSG_MEANINGS } from '../../src/core/mtproto/tl/constructors.ts';
import {
  concat,
  container,
  decrypted,
  encrypted,
  gzipPacked,
  i64,
  readWithMtcute,
  rpcError,
  rpcResult,
  tl,
  TlTestWriter,
  u32,
  unencrypted,
} from './tl-helpers.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex'));

describe('rpc_result / rpc_error', () => {
  it('decodes the worked example from the notes: 420 FLOOD_WAIT_30', () => {
    const body = hex('01 6d 5c f3  0102030405060708  19 ca 44 21  a4 01 00 00  0d');
    const bytes = concat(body, new TextEncoder().encode('FLOOD_WAIT_30'), Uint8Array.of(0, 0));
    const f = decodeMessageBody(bytes, { direction: 'in', msgId: '77' });
    expect(f.diagnostics).toEqual([]);
    expect(f.rpcErrors).toEqual([
      {
        code: 420,
        message: 'FLOOD_WAIT_30',
        reqMsgId: 0x0807060504030201n.toString(),
        msgId: '77',
        method: null,
        path: ['rpc_result', 'rpc_error'],
        byteOffset: 12,
        byteLength: 24,
        compressed: false,
      },
    ]);
  });

  it('agrees with mtcute on rpc_error fields for many codes and messages (incl. long strings)', () => {
    const messages = ['FLOOD_WAIT_3', 'PEER_ID_INVALID', 'Timeout', 'x'.repeat(253), 'y'.repeat(254), 'z'.repeat(1000), 'ÜNICODE_✓', ''];
    for (const [i, m] of messages.entries()) {
      const err = rpcError(400 + i - 1000 * (i % 2), m);
      const theirs = readWithMtcute(err) as { errorCode: number; errorMessage: string };
      const ours = decodeMessageBody(rpcResult(BigInt(i) << 40n, err), { direction: 'in' });
      expect(ours.rpcErrors).toHaveLength(1);
      expect(ours.rpcErrors[0].code).toBe(theirs.errorCode);
      expect(ours.rpcErrors[0].message).toBe(theirs.errorMessage);
      expect(ours.rpcErrors[0].byteLength).toBe(err.length);
      expect(ours.rpcErrors[0].reqMsgId).toBe((BigInt(i) << 40n).toString());
    }
  });

  it('reports a non-error rpc_result as a known object', () => {
    const f = decodeMessageBody(rpcResult(5n, tl({ _: 'mt_pong', msgId: 1n, pingId: 2n })), { direction: 'in' });
    expect(f.rpcErrors).toEqual([]);
    expect(f.objects).toMatchObject([{ name: 'rpc_result', reqMsgId: '5', resultConstructorId: '0x347773c5', path: ['rpc_result', 'pong'] }]);
  });

  it('finds rpc_error inside gzip_packed inside rpc_result, and in a container', () => {
    const packed = rpcResult(9n, gzipPacked(rpcError(500, 'INTERNAL')));
    const body = container([
      { msgId: 101n, body: tl({ _: 'mt_msgs_ack', msgIds: [1n, 2n] }) },
      { msgId: 102n, body: packed },
      { msgId: 103n, body: rpcResult(10n, rpcError(303, 'PHONE_MIGRATE_2')) },
    ]);
    const f = decodeMessageBody(body, { direction: 'in' });
    expect(f.diagnostics).toEqual([]);
    expect(f.rpcErrors.map((e) => [e.code, e.message, e.msgId, e.reqMsgId, e.path.join('>'), e.compressed])).toEqual([
      [500, 'INTERNAL', '102', '9', 'msg_container>rpc_result>gzip_packed>rpc_error', true],
      [303, 'PHONE_MIGRATE_2', '103', '10', 'msg_container>rpc_result>rpc_error', false],
    ]);
    // Offsets point at real bytes: the plain rpc_error starts with its constructor.
    const plain = f.rpcErrors[1];
    expect(Array.from(body.subarray(plain.byteOffset, plain.byteOffset + 4))).toEqual([0x19, 0xca, 0x44, 0x21]);
    const gz = f.rpcErrors[0];
    expect(Array.from(body.subarray(gz.byteOffset, gz.byteOffset + 4))).toEqual([0xa1, 0xcf, 0x72, 0x30]);
    expect(f.objects.map((o) => o.name)).toEqual(['msgs_ack']);
  });

  it('handles gzip_packed wrapping a whole container and nested containers within the depth limit', () => {
    const inner = container([{ msgId: 7n, body: rpcResult(1n, rpcError(420, 'FLOOD_WAIT_5')) }]);
    const f = decodeMessageBody(container([{ msgId: 8n, body: gzipPacked(inner) }]), { direction: 'in' });
    expect(f.rpcErrors).toMatchObject([{ code: 420, msgId: '7', path: ['msg_container', 'gzip_packed', 'msg_container', 'rpc_result', 'rpc_error'] }]);

    let deep = rpcResult(1n, rpcError(400, 'DEEP'));
    for (let i = 0; i < 20; i++) deep = container([{ msgId: BigInt(i), body: deep }]);
    const g = decodeMessageBody(deep, { direction: 'in' });
    expect(g.rpcErrors).toEqual([]);
    expect(g.diagnostics.join()).toMatch(/nesting deeper than 8/);
  });

  it('refuses a gzip bomb without inflating it (honest and lying ISIZE)', () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    const gz = gzipSync(big, { level: 9 });
    const w = new TlTestWriter();
    w.uint(0x3072cfa1);
    w.bytes(gz);
    const honest = w.result();
    const t0 = performance.now();
    const f = decodeMessageBody(rpcResult(1n, honest), { direction: 'in' });
    expect(f.diagnostics.join()).toMatch(/declared size 52428800 exceeds/);

    const lying = gz.slice();
    lying.set([0, 1, 0, 0], lying.length - 4); // ISIZE says 256 bytes
    const w2 = new TlTestWriter();
    w2.uint(0x3072cfa1);
    w2.bytes(lying);
    const g = decodeMessageBody(rpcResult(1n, w2.result()), { direction: 'in' });
    expect(g.diagnostics.join()).toMatch(/passed the 1048576-byte cap/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('reports corrupt gzip as a diagnostic', () => {
    const w = new TlTestWriter();
    w.uint(0x3072cfa1);
    const gz = gzipSync(rpcError(400, 'X'));
    gz[12] ^= 0xff;
    w.bytes(gz);
    const f = decodeMessageBody(w.result(), { direction: 'in' });
    expect(f.rpcErrors).toEqual([]);
    expect(f.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('protocol errors and service objects', () => {
  it('decodes every bad_msg_notification code with its meaning, cross-checked with mtcute', () => {
    for (const code of [16, 17, 18, 19, 20, 32, 33, 34, 35, 48, 64, 99]) {
      const bytes = tl({ _: 'mt_bad_msg_notification', badMsgId: 123456789n << 8n, badMsgSeqno: 7, errorCode: code });
      const theirs = readWithMtcute(bytes) as { badMsgId: bigint; badMsgSeqno: number; errorCode: number };
      const f = decodeMessageBody(bytes, { direction: 'in', msgId: '5' });
      expect(f.protocolErrors).toHaveLength(1);
      const p = f.protocolErrors[0];
      expect(p).toMatchObject({
        kind: 'bad_msg_notification',
        errorCode: theirs.errorCode,
        badMsgSeqno: theirs.badMsgSeqno,
        badMsgId: theirs.badMsgId.toString(),
      });
      expect(p.meaning).toBe(BAD_MSG_MEANINGS.get(code) ?? 'unknown code 99');
      expect(p.byteLength).toBe(20);
    }
  });

  it('decodes bad_server_salt with the new salt', () => {
    const bytes = tl({ _: 'mt_bad_server_salt', badMsgId: 42n, badMsgSeqno: 3, errorCode: 48, newServerSalt: 0x1122334455667788n });
    const f = decodeMessageBody(bytes, { direction: 'in' });
    expect(f.protocolErrors).toMatchObject([{ kind: 'bad_server_salt', errorCode: 48, badMsgId: '42', newServerSalt: '8877665544332211', byteLength: 28 }]);
  });

  it('recognises known-not-error objects and reports unknown constructors by id', () => {
    const bodies = [
      tl({ _: 'mt_new_session_created', firstMsgId: 1n, uniqueId: 2n, serverSalt: 3n }),
      tl({ _: 'mt_msgs_ack', msgIds: [1n] }),
      tl({ _: 'mt_pong', msgId: 1n, pingId: 2n }),
      tl({ _: 'mt_rpc_answer_unknown' }),
      tl({ _: 'mt_rpc_answer_dropped_running' }),
      tl({ _: 'mt_rpc_answer_dropped', msgId: 1n, seqNo: 2, bytes: 3 }),
      concat(u32(0x12345678), u32(0)),
    ];
    const f = decodeMessageBody(container(bodies.map((body, i) => ({ msgId: BigInt(i + 1), body }))), { direction: 'in' });
    expect(f.objects.map((o) => [o.name, o.known, o.constructorId])).toEqual([
      ['new_session_created', true, '0x9ec20908'],
      ['msgs_ack', true, '0x62d6b459'],
      ['pong', true, '0x347773c5'],
      ['rpc_answer_unknown', true, '0x5e2ad36e'],
      ['rpc_answer_dropped_running', true, '0xcd78e586'],
      ['rpc_answer_dropped', true, '0xa43ad8b7'],
      [null, false, '0x12345678'],
    ]);
    expect(f.rpcErrors).toEqual([]);
    expect(f.protocolErrors).toEqual([]);
  });
});

describe('envelopes', () => {
  it('decodes an unencrypted message with offsets relative to the payload', () => {
    const payload = unencrypted(0x6000000000000001n, rpcResult(3n, rpcError(400, 'BAD')));
    const f = decodeMtprotoPayload(payload, { direction: 'in', baseOffset: 4 });
    expect(f.envelope).toMatchObject({ kind: 'unencrypted', authKeyId: '0000000000000000', msgId: 0x6000000000000001n.toString() });
    expect(f.rpcErrors).toMatchObject([{ code: 400, message: 'BAD', byteOffset: 4 + 20 + 12 }]);
  });

  it('records auth_key_id and msg_key of an encrypted message and decodes nothing else', () => {
    const payload = encrypted(7, 64);
    const f = decodeMtprotoPayload(payload, { direction: 'in' });
    expect(f.envelope).toMatchObject({
      kind: 'encrypted',
      authKeyId: Buffer.from(payload.subarray(0, 8)).toString('hex'),
      msgKey: Buffer.from(payload.subarray(8, 24)).toString('hex'),
      length: 64,
    });
    expect(f.rpcErrors).toEqual([]);
    expect(f.objects).toEqual([]);
  });

  it('decodes a decrypted message body', () => {
    const f = decodeDecryptedMessage(decrypted(99n, rpcResult(98n, rpcError(401, 'AUTH_KEY_UNREGISTERED'))), { direction: 'in' });
    expect(f.envelope).toMatchObject({ kind: 'decrypted', msgId: '99', seqNo: 3, salt: '0102030405060708' });
    expect(f.rpcErrors).toMatchObject([{ code: 401, reqMsgId: '98', msgId: '99', byteOffset: 32 + 12 }]);
  });

  it('turns a lone negative int32 into a transport error', () => {
    for (const code of [-404, -429, -444]) {
      const f = decodeMtprotoPayload(u32(code), { direction: 'in' });
      expect(f.transportErrors).toHaveLength(1);
      expect(f.transportErrors[0].code).toBe(code);
    }
    expect(decodeMtprotoPayload(u32(-404), { direction: 'in' }).transportErrors[0].meaning).toMatch(/auth key not found/);
  });

  it('truncated and malformed input gives diagnostics, not exceptions', () => {
    const full = rpcResult(1n, rpcError(420, 'FLOOD_WAIT_30'));
    for (let cut = 0; cut < full.length; cut++) {
      const f = decodeMessageBody(full.subarray(0, cut), { direction: 'in' });
      expect(f.rpcErrors).toEqual([]);
      expect(f.diagnostics.length).toBeGreaterThan(0);
    }
    const hugeCount = concat(u32(0x73f1f8dc), u32(0x7fffffff), i64(1n));
    expect(decodeMessageBody(hugeCount, { direction: 'in' }).diagnostics.join()).toMatch(/does not fit/);
  });

  it('caps the number of objects in one unit', () => {
    const many = container(Array.from({ length: 200 }, (_, i) => ({ msgId: BigInt(i), body: tl({ _: 'mt_rpc_answer_unknown' }) })));
    const f = decodeMessageBody(many, { direction: 'in', limits: { maxObjects: 50 } });
    expect(f.objects.length).toBeLessThan(50);
    expect(f.diagnostics.join()).toMatch(/more than 50 objects/);
  });
});

describe('int64ToDecimal', () => {
  it('matches BigInt for edge and random values', async () => {
    const { int64ToDecimal } = await import('../../src/core/mtproto/tl/tl-reader.ts');
    const values = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, 2n ** 53n + 1n, 0x6500000000000004n, 9999999n, 10000000n, 10n ** 14n];
    for (let i = 0; i < 2000; i++)
      values.push(BigInt.asIntN(64, (BigInt(Math.floor(Math.random() * 2 ** 32)) << 32n) | BigInt(Math.floor(Math.random() * 2 ** 32))));
    // Every digit count and limb boundary (10^7, 10^14), both signs; magnitudes of every bit length.
    for (let k = 0n; k <= 18n; k++) for (const d of [-1n, 0n, 1n]) values.push(10n ** k + d, -(10n ** k + d), 9n * 10n ** k + d);
    for (let b = 0n; b < 63n; b++) values.push(2n ** b, 2n ** b - 1n, -(2n ** b), 2n ** b + BigInt(Math.floor(Math.random() * 2 ** 20)));
    for (const v of values) {
      const u = BigInt.asUintN(64, v);
      expect(int64ToDecimal(Number(u & 0xffffffffn), Number(u >> 32n) | 0)).toBe(v.toString());
    }
  });
});

describe('toHex', () => {
  it('matches a byte-by-byte reference for every length, offset and byte value', async () => {
    const { toHex } = await import('../../src/core/mtproto/bytes.ts');
    const bytes = Uint8Array.from({ length: 600 }, (_, i) => (i * 167 + (i >> 8)) & 255);
    const reference = (b: Uint8Array, start: number, end: number) => Array.from(b.subarray(start, end), (x) => x.toString(16).padStart(2, '0')).join('');
    for (let start = 0; start < 24; start++)
      for (let length = 0; length < 40; length++) expect(toHex(bytes, start, start + length)).toBe(reference(bytes, start, start + length));
    expect(toHex(bytes)).toBe(reference(bytes, 0, bytes.length));
    expect(toHex(bytes, 590)).toBe(reference(bytes, 590, 600));
  });
});
