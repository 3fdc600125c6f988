// The page hook's triage of encrypted MTProto 2.0 frames (keys given for the page), then the
// background's decryption of what it forwards: a conversation encrypted by an independent
// node:crypto implementation, over every transport, plain and obfuscated, cut into messages
// at random. Errors come out with their methods; bulk frames are never forwarded.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { MtprotoInspector } from '../../../src/hook/websocket/mtproto-inspector.ts';
import type { EncryptedCaptureKind, InspectedConnection } from '../../../src/hook/websocket/binary-inspector.ts';
import { EncryptedTriage, TRIAGE_LIMITS } from '../../../src/core/mtproto/decrypt/encrypted-triage.ts';
import { answersOfNote, CaptureSession, decodeCapture } from '../../../src/core/capture/decode-capture.ts';
import { AuthKey, KeyRing } from '../../../src/core/keys/index.ts';
import { toBase64, toHex } from '../../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../../src/core/capture/capture.ts';
import { refEncryptMessage } from '../../mtproto/mtproto2-reference.ts';
import { container, gzipPacked, rpcError, rpcResult, tl } from '../../mtproto/tl-helpers.ts';
import { obfuscatedConnection, plainConnection, recut, type Chunk } from '../../mtproto/stream-helpers.ts';

const KEY = new Uint8Array(randomBytes(256));
const OTHER_KEY = new Uint8Array(randomBytes(256));
const SESSION = Buffer.alloc(8, 0x5a);
const enc = (direction: 'in' | 'out', msgId: bigint, body: Uint8Array, key = KEY) =>
  new Uint8Array(refEncryptMessage(key, body, { direction, msgId, sessionId: SESSION }));

const SEND = tl({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'hello', randomId: 77n });
const STATE = tl({ _: 'updates.getState' });
const HISTORY = tl({
  _: 'invokeWithLayer',
  layer: 223,
  query: { _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 20, maxId: 0, minId: 0, hash: 0n },
});

/** Requests out, answers in: errors (plain, gzip, in a container), a salt notice, bulk. */
function encryptedConversation(): { out: Uint8Array[]; in: Uint8Array[] } {
  return {
    out: [
      enc('out', 0x6500000000000004n, SEND),
      enc('out', 0x6500000000000008n, tl({ _: 'mt_msgs_ack', msgIds: [0x6500000000000101n] })),
      enc('out', 0x650000000000000cn, STATE),
      enc('out', 0x6500000000000010n, HISTORY),
      enc('out', 0x6500000000000014n, tl({ _: 'upload.saveFilePart', fileId: 1n, filePart: 0, bytes: new Uint8Array(20_000) })),
    ],
    in: [
      enc('in', 0x6500000000000101n, rpcResult(0x6500000000000004n, rpcError(420, 'FLOOD_WAIT_7'))),
      enc('in', 0x6500000000000105n, tl({ _: 'updateShort', update: { _: 'updateUserStatus', userId: 1n, status: { _: 'userStatusRecently' } }, date: 1 })),
      enc(
        'in',
        0x6500000000000109n,
        container([
          { msgId: 0x650000000000010dn, body: tl({ _: 'mt_msgs_ack', msgIds: [0x650000000000000cn] }) },
          { msgId: 0x6500000000000111n, body: rpcResult(0x650000000000000cn, gzipPacked(rpcError(500, 'RPC_CALL_FAIL'))) },
        ]),
      ),
      enc('in', 0x6500000000000115n, tl({ _: 'mt_bad_server_salt', badMsgId: 0x6500000000000010n, badMsgSeqno: 5, errorCode: 48, newServerSalt: 9n })),
      // A big successful answer (a file part): decided from its header, only a prefix leaves.
      enc(
        'in',
        0x6500000000000119n,
        rpcResult(0x6500000000000014n, tl({ _: 'upload.file', type: { _: 'storage.filePartial' }, mtime: 0, bytes: new Uint8Array(60_000) })),
      ),
      // Under a key nobody gave: named by its id, once.
      enc('in', 0x650000000000011dn, rpcResult(0x6500000000000004n, rpcError(400, 'SECRET_ERROR')), OTHER_KEY),
    ],
  };
}

interface Emitted {
  capture: HookCapture;
  kind: EncryptedCaptureKind;
}

function inspectAll(chunks: Chunk[], triage: EncryptedTriage): Emitted[] {
  const head = new Uint8Array(64);
  let headLength = 0;
  const emitted: Emitted[] = [];
  const url = 'wss://venus.web.telegram.org/apiws';
  const connection: InspectedConnection = {
    url,
    clientHead: () => head.slice(0, headLength),
    emitFrame: () => {
      throw new Error('no unencrypted frame in this conversation');
    },
    emitEncrypted: (direction, payload, offset, framing, kind, payloadLength) => {
      emitted.push({
        kind,
        capture: {
          v: 1,
          channel: 'websocket',
          direction,
          url,
          at: 0,
          kind: 'binary',
          data: toBase64(payload),
          conn: 'c1',
          offset,
          clientHead: toHex(head.slice(0, headLength)),
          framing,
          encrypted: kind,
          payloadLength,
        },
      });
    },
  };
  const inspector = new MtprotoInspector(connection, triage);
  const offsets = { in: 0, out: 0 };
  for (const [direction, bytes] of chunks) {
    if (direction === 'out' && offsets.out < 64) {
      const take = Math.min(64 - offsets.out, bytes.length);
      head.set(bytes.subarray(0, take), offsets.out);
      headLength = Math.max(headLength, offsets.out + take);
    }
    expect(inspector.inspect(direction, bytes, offsets[direction])).toBe(false);
    offsets[direction] += bytes.length;
  }
  return emitted;
}

function decodeAll(emitted: Emitted[]): string[] {
  const ring = new KeyRing();
  ring.add(new AuthKey(KEY, 'hex', 2));
  const session = new CaptureSession();
  // Requests are forwarded before the answers that name them, as on a live socket.
  const ordered = [...emitted].sort((a, b) => (a.capture.direction === b.capture.direction ? 0 : a.capture.direction === 'out' ? -1 : 1));
  return ordered.flatMap((e) => decodeCapture(e.capture, session, ring).records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`));
}

const EXPECTED = ['420 FLOOD_WAIT_7 messages.sendMessage dc2', '500 RPC_CALL_FAIL updates.getState dc2', '48 bad_server_salt 48 messages.getHistory dc2'];

const connections: [string, () => { chunks: Chunk[] }][] = [
  ['abridged', () => plainConnection('abridged', encryptedConversation())],
  ['intermediate', () => plainConnection('intermediate', encryptedConversation())],
  ['padded intermediate', () => plainConnection('padded-intermediate', encryptedConversation())],
  ['obfuscated abridged', () => obfuscatedConnection('abridged', 2, encryptedConversation())],
  ['obfuscated padded intermediate', () => obfuscatedConnection('padded-intermediate', -2, encryptedConversation())],
];

function armed(): EncryptedTriage {
  const triage = new EncryptedTriage();
  triage.setKeys([KEY]);
  return triage;
}

describe('MtprotoInspector with keys: triage of encrypted frames', () => {
  for (const [name, make] of connections) {
    it(`${name}: errors forwarded whole, requests as prefixes, results, updates and acks not at all`, () => {
      const emitted = inspectAll(make().chunks, armed());
      const summary = emitted.map((e) => `${e.capture.direction} ${e.kind} ${e.capture.payloadLength! > TRIAGE_LIMITS.requestPrefix ? 'big' : 'small'}`);
      expect(summary).toEqual([
        'out prefix small', // sendMessage
        'in whole small', // its FLOOD_WAIT
        // the ack out is skipped; the update in is skipped
        'out prefix small', // getState
        'in whole small', // container with the gzip-packed 500
        'out prefix small', // getHistory
        'in whole small', // bad_server_salt
        'out prefix big', // saveFilePart: its first 4 KB
        // upload.file, a successful answer: decided from its first blocks, not forwarded
        'in unknown-key small', // the other key's frame, named once
      ]);
      const prefixes = emitted.filter((e) => e.kind === 'prefix');
      expect(prefixes.every((e) => Buffer.from(e.capture.data, 'base64').length <= TRIAGE_LIMITS.requestPrefix)).toBe(true);
      expect(decodeAll(emitted)).toEqual(EXPECTED);
    });
  }

  it('gives the same records however the streams are cut into messages', () => {
    fc.assert(
      fc.property(fc.constantFrom(...connections), fc.array(fc.integer({ min: 1, max: 90_000 }), { maxLength: 12 }), ([, make], cuts) => {
        const chunks = recut(make().chunks, (_dir, total) => cuts.map((c) => c % total));
        expect(decodeAll(inspectAll(chunks, armed()))).toEqual(EXPECTED);
      }),
      { numRuns: 40 },
    );
  });

  it("a decrypted error's evidence is the error object alone: nothing of the messages around it (the user's) is kept", () => {
    const emitted = inspectAll(plainConnection('intermediate', encryptedConversation()).chunks, armed());
    const ring = new KeyRing();
    ring.add(new AuthKey(KEY, 'hex', 2));
    const session = new CaptureSession();
    const ordered = [...emitted].sort((a, b) => (a.capture.direction === b.capture.direction ? 0 : a.capture.direction === 'out' ? -1 : 1));
    const records = ordered.flatMap((e) => decodeCapture(e.capture, session, ring).records);
    expect(records.length).toBe(3);
    for (const record of records) {
      const evidence = record.evidence as { kind: 'bytes'; hex: string; markStart: number; markLength: number };
      expect(evidence.kind).toBe('bytes');
      expect(evidence.markStart).toBe(0);
      expect(evidence.hex.length).toBe(2 * evidence.markLength);
    }
  });

  it('without keys: one auth_key_id per connection, nothing else', () => {
    const emitted = inspectAll(obfuscatedConnection('abridged', 2, encryptedConversation()).chunks, new EncryptedTriage());
    expect(emitted.map((e) => e.kind)).toEqual(['unknown-key']);
    expect(Buffer.from(emitted[0].capture.data, 'base64')).toHaveLength(8);
    expect(decodeAll(emitted)).toEqual([]);
  });

  it('a forwarded message under a wrong key, or damaged, is not believed', () => {
    const emitted = inspectAll(plainConnection('intermediate', encryptedConversation()).chunks, armed());
    const whole = emitted.find((e) => e.kind === 'whole')!;
    const bytes = Buffer.from(whole.capture.data, 'base64');
    bytes[bytes.length - 20] ^= 1;
    const session = new CaptureSession();
    const ring = new KeyRing();
    ring.add(new AuthKey(KEY, 'hex', 2));
    const decoded = decodeCapture({ ...whole.capture, data: bytes.toString('base64') }, session, ring);
    expect(decoded.records).toEqual([]);
    expect(decoded.encrypted).toEqual({ decrypted: 0, failed: 1, unknownKeyId: null });
  });
});

describe('MtprotoInspector with keys: answer notes for the call log', () => {
  for (const [name, make] of connections) {
    it(`${name}: a successful answer is noted by its req_msg_id, flushed when the socket closes; errors are not noted`, () => {
      const notes: string[] = [];
      const head = new Uint8Array(64);
      let headLength = 0;
      const connection: InspectedConnection = {
        url: 'wss://x/apiws',
        clientHead: () => head.slice(0, headLength),
        emitFrame: () => undefined,
        emitEncrypted: () => undefined,
        emitAnswers: (hex) => notes.push(hex),
      };
      const inspector = new MtprotoInspector(connection, armed());
      const offsets = { in: 0, out: 0 };
      for (const [direction, bytes] of make().chunks) {
        if (direction === 'out' && offsets.out < 64) {
          const take = Math.min(64 - offsets.out, bytes.length);
          head.set(bytes.subarray(0, take), offsets.out);
          headLength = Math.max(headLength, offsets.out + take);
        }
        inspector.inspect(direction, bytes, offsets[direction]);
        offsets[direction] += bytes.length;
      }
      expect(inspector.closed()).toBe(true);
      expect(notes.flatMap((hex) => answersOfNote(hex, 1_000).map((a) => a.reqMsgId))).toEqual([0x6500000000000014n.toString()]);
    });
  }
});
