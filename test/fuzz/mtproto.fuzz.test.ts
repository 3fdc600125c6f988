// Fuzzing pass over the binary decoders (issue 14): MTProto payloads and frames, byte
// streams (plain and obfuscated), TL objects and request parameters, gzip_packed, MTProto 2.0
// decryption (whole and prefix), the page's encrypted triage, the worker-socket reader and
// decodeCapture on binary captures. Inputs are valid ones mutated (bit flips, truncation,
// insertions, repeated parts, length fields and counts lied about) plus random bytes.
// Every case: no throw, done within CASE_MS, output bounded.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { decodeDecryptedMessage, decodeMessageBody, decodeMtprotoPayload } from '../../src/core/mtproto/tl/decode.ts';
import { createStreamDecoder, restoreStreamDecoder } from '../../src/core/mtproto/transport/stream-decoder.ts';
import { gunzipCapped } from '../../src/core/mtproto/tl/gzip.ts';
import { decodeRequestParams, decodeTlObject } from '../../src/core/params/decode-params.ts';
import { createRequestDescriber } from '../../src/core/params/describe-request.ts';
import { decryptMessage } from '../../src/core/mtproto/decrypt/decrypt.ts';
import { peekMessage, peekVerdict } from '../../src/core/mtproto/decrypt/decrypt-prefix.ts';
import { decryptAndDecode } from '../../src/core/mtproto/decrypt/decrypt-decode.ts';
import { EncryptedTriage, TRIAGE_BYTES } from '../../src/core/mtproto/decrypt/encrypted-triage.ts';
import { SocketUnitReader } from '../../src/core/mtproto/transport/socket-units.ts';
import { CaptureSession, decodeCapture, type DecodedCapture } from '../../src/core/capture/decode-capture.ts';
import { AuthKey } from '../../src/core/keys/auth-key.ts';
import { KeyRing } from '../../src/core/keys/key-ring.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import type { DecodeFindings, StreamDirection, TransportKind } from '../../src/core/mtproto/types.ts';
import { concat, container, gzipPacked, methodNameFromSchema, rpcError, rpcResult, tl, u32, unencrypted } from '../mtproto/tl-helpers.ts';
import { obfuscatedConnection, plainConnection, type Chunk } from '../mtproto/stream-helpers.ts';
import { refEncryptMessage } from '../mtproto/mtproto2-reference.ts';
import { applyEdits, edit, mutatedBytes, params, timed } from './fuzz-kit.ts';

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** Output bounds: a frame of n bytes cannot hold more than n/8 findings of any kind. */
function bounded(f: DecodeFindings, inputBytes: number): void {
  const cap = 64 + inputBytes / 4;
  expect(f.rpcErrors.length + f.protocolErrors.length + f.transportErrors.length + f.requests.length).toBeLessThanOrEqual(cap);
  expect(f.objects.length).toBeLessThanOrEqual(cap);
  expect(f.diagnostics.length).toBeLessThanOrEqual(cap);
  expect(f.diagnostics.filter((d) => d.includes('internal'))).toEqual([]);
  for (const d of f.diagnostics) expect(d.length).toBeLessThan(2000);
}

function boundedCapture(d: DecodedCapture, inputChars: number): void {
  expect(d.records.length).toBeLessThanOrEqual(64 + inputChars / 8);
  expect(d.diagnostics.length).toBeLessThanOrEqual(64 + inputChars / 8);
  expect(d.diagnostics.filter((x) => x.startsWith('decoder failure'))).toEqual([]);
  for (const r of d.records) {
    expect(r.message.length).toBeLessThanOrEqual(4096);
    expect(JSON.stringify(r).length).toBeLessThan(64 * 1024);
  }
}

const invokeWithLayer = tl({
  _: 'invokeWithLayer',
  layer: 214,
  query: {
    _: 'initConnection',
    apiId: 1,
    deviceModel: 'a',
    systemVersion: 'b',
    appVersion: 'c',
    systemLangCode: 'd',
    langPack: 'e',
    langCode: 'f',
    params: { _: 'jsonObject', value: [] },
    query: { _: 'help.getConfig' },
  },
});
const sendMessage = tl({
  _: 'messages.sendMessage',
  peer: { _: 'inputPeerSelf' },
  message: 'hello',
  randomId: 7n,
  entities: [{ _: 'messageEntityBold', offset: 0, length: 2 }],
});
const bigGzip = gzipPacked(rpcError(400, 'X'.repeat(3000)));

const bodies = [
  rpcResult(1n, rpcError(420, 'FLOOD_WAIT_30')),
  rpcResult(2n, gzipPacked(rpcError(303, 'PHONE_MIGRATE_4'))),
  container([
    { msgId: 5n, body: rpcResult(2n, gzipPacked(rpcError(400, 'X'))) },
    { msgId: 6n, body: tl({ _: 'mt_msgs_ack', msgIds: [1n, 2n, 3n] }) },
  ]),
  container([{ msgId: 9n, body: container([{ msgId: 10n, body: rpcResult(3n, rpcError(500, 'INTERNAL')) }]) }]),
  tl({ _: 'mt_bad_server_salt', badMsgId: 1n, badMsgSeqno: 2, errorCode: 48, newServerSalt: 3n }),
  tl({ _: 'mt_bad_msg_notification', badMsgId: 1n, badMsgSeqno: 2, errorCode: 17 }),
  rpcResult(4n, bigGzip),
  invokeWithLayer,
  sendMessage,
];

const seedPayloads = bodies.map((b, i) => unencrypted(0x6500000000000004n + BigInt(i * 4), b));

describe('fuzz: MTProto payloads and TL objects', () => {
  it('decodeMtprotoPayload, decodeDecryptedMessage, decodeMessageBody on mutated messages', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedBytes(seedPayloads), mutatedBytes(bodies)), fc.constantFrom<StreamDirection>('in', 'out'), (bytes, direction) => {
        const opts = { direction, methodName: methodNameFromSchema };
        timed(() => {
          bounded(decodeMtprotoPayload(bytes, opts), bytes.length);
          bounded(decodeMessageBody(bytes, opts), bytes.length);
          bounded(decodeDecryptedMessage(concat(new Uint8Array(32), bytes), opts), bytes.length + 32);
        });
      }),
      params(2),
    );
  });

  it('a vector count or string length lied about, at every TL position', () => {
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.nat(), fc.constantFrom(0x7fffffff, 0xffffffff, 0x1000000, 0xfe, 0xff), (body, at, lie) => {
        const b = Uint8Array.from(body);
        const pos = (at % Math.max(1, b.length - 3)) & ~3;
        if (b.length >= 4) new DataView(b.buffer).setUint32(pos, lie, true);
        timed(() => bounded(decodeMessageBody(b, { direction: 'in', methodName: methodNameFromSchema }), b.length));
      }),
      params(2),
    );
  });

  it('decodeTlObject, decodeRequestParams and the request describer', () => {
    const describe = createRequestDescriber(new Uint8Array(16));
    fc.assert(
      fc.property(mutatedBytes([invokeWithLayer, sendMessage, ...bodies]), (bytes) =>
        timed(() => {
          const d = decodeTlObject(bytes);
          expect(JSON.stringify(d.value ?? null).length).toBeLessThan(1 << 20);
          const p = decodeRequestParams(concat(new Uint8Array(8), bytes), '1');
          expect(p.length).toBeLessThanOrEqual(64 + bytes.length / 4);
          const described = describe(bytes, 0, bytes.length);
          if (described) expect(described.params.length).toBeLessThanOrEqual(4200);
        }),
      ),
      params(2),
    );
  });
});

describe('fuzz: gzip_packed', () => {
  const plain = [Buffer.from('x'.repeat(10_000)), Buffer.from(rpcError(400, 'Y')), randomBytes(2000)];
  const gz = plain.map((p) => new Uint8Array(gzipSync(p)));
  // A bomb: 8 MB of zeros in ~8 KB, and the same with its ISIZE lied about.
  const bomb = new Uint8Array(gzipSync(Buffer.alloc(8 << 20)));
  const lyingBomb = Uint8Array.from(bomb);
  lyingBomb.set([16, 0, 0, 0], lyingBomb.length - 4);

  it('gunzipCapped on mutated streams and bombs: never throws, output within the cap', () => {
    fc.assert(
      fc.property(mutatedBytes([...gz, bomb, lyingBomb]), fc.constantFrom(1024, 64 * 1024, 1 << 20), (bytes, cap) =>
        timed(() => {
          const r = gunzipCapped(bytes, cap);
          if (r.ok) expect(r.bytes.length).toBeLessThanOrEqual(cap);
        }),
      ),
      params(1),
    );
  });

  it('the lying bomb is refused within the cap', () => {
    const r = timed(() => gunzipCapped(lyingBomb, 1 << 20));
    expect(r.ok).toBe(false);
  });
});

describe('fuzz: MTProto byte streams', () => {
  const transports: TransportKind[] = ['abridged', 'intermediate', 'padded-intermediate', 'full'];
  const connections: Chunk[][] = [
    ...transports.map((t) => plainConnection(t).chunks),
    ...(['abridged', 'intermediate', 'padded-intermediate'] as const).map((t) => obfuscatedConnection(t, 2).chunks),
  ];
  const streams = fc
    .tuple(fc.constantFrom(...connections), fc.array(fc.tuple(fc.nat(), edit), { maxLength: 6 }), fc.boolean())
    .map(([chunks, edits, split]) => {
      const out: Chunk[] = chunks.map(([d, b]) => [d, b]);
      for (const [which, e] of edits) {
        const i = which % out.length;
        out[i] = [out[i][0], applyEdits(out[i][1], [e])];
      }
      // Re-cut: every chunk split in two at its middle.
      return split
        ? out.flatMap(([d, b]): Chunk[] => [
            [d, b.subarray(0, b.length >> 1)],
            [d, b.subarray(b.length >> 1)],
          ])
        : out;
    });

  it('the stream decoder on mutated connections, re-cut, and its saved state restored', () => {
    fc.assert(
      fc.property(streams, fc.option(fc.constantFrom(...transports), { nil: undefined }), (chunks, transport) =>
        timed(() => {
          const d = createStreamDecoder({ transport, maxBuffered: 64 * 1024 });
          let total = 0;
          for (const [dir, bytes] of chunks) {
            total += bytes.length;
            const r = d.push(dir, bytes);
            expect(r.frames.length).toBeLessThanOrEqual(1 + bytes.length);
            for (const f of r.frames) bounded(f, f.frameLength);
          }
          const again = restoreStreamDecoder(JSON.parse(JSON.stringify(d.save())));
          expect(again.diagnostics).toEqual([]);
          expect(JSON.stringify(d.save()).length).toBeLessThan(4 * 64 * 1024 + 4096 + total);
        }),
      ),
      params(1),
    );
  });

  it('the worker-socket reader (SocketUnitReader) on mutated connections, binary and text', () => {
    fc.assert(
      fc.property(streams, fc.boolean(), (chunks, fromStart) =>
        timed(() => {
          const reader = new SocketUnitReader({ url: 'wss://venus.web.telegram.org/apiws', conn: 'w:1', fromStart });
          for (const [dir, bytes] of chunks) {
            const captures = reader.message(dir, 2, b64(bytes), 1000);
            expect(captures.length).toBeLessThanOrEqual(2 + bytes.length / 4);
            for (const c of captures) expect(c.data.length).toBeLessThanOrEqual(Math.ceil((256 * 1024) / 3) * 4);
            // Text messages and base64 that is not base64 are read too.
            reader.message(dir, 1, Buffer.from(bytes).toString('latin1'), 1000);
          }
          reader.message('in', 2, '%%%not base64', 1000);
          const s = reader.status();
          expect(['waiting', 'reading', 'not-mtproto', 'unreadable']).toContain(s.readability);
        }),
      ),
      params(1),
    );
  });

  it('decodeCapture on binary captures with lied framing, offsets and client heads', () => {
    const session = new CaptureSession();
    fc.assert(
      fc.property(
        mutatedBytes([...seedPayloads, u32(-404), ...connections[4].map(([, b]) => b)]),
        fc.option(fc.constantFrom(...transports), { nil: undefined }),
        fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        fc.option(fc.uint8Array({ maxLength: 256 }), { nil: undefined }),
        fc.constantFrom<'in' | 'out'>('in', 'out'),
        (bytes, framing, clientHead, requestHead, direction) =>
          timed(() => {
            const c: HookCapture = {
              v: 1,
              channel: 'websocket',
              direction,
              url: 'wss://kws2.web.telegram.org/apiws',
              at: 1,
              kind: 'binary',
              data: b64(bytes),
              conn: 'c1',
              offset: 0,
            };
            if (framing) c.framing = framing;
            if (clientHead) c.clientHead = Buffer.from(clientHead).toString('hex');
            if (requestHead) c.requestHead = Buffer.from(requestHead).toString('hex');
            boundedCapture(decodeCapture(c, session), bytes.length);
            boundedCapture(decodeCapture({ ...c, channel: 'fetch', url: 'https://venus.web.telegram.org/apiw1', conn: undefined }, session), bytes.length);
          }),
      ),
      params(1),
    );
  });
});

describe('fuzz: MTProto 2.0 decryption, prefixes and the page triage', () => {
  const keyBytes = new Uint8Array(randomBytes(256));
  const ring = new KeyRing();
  ring.add(new AuthKey(keyBytes, 'hex', 2));
  const triage = new EncryptedTriage();
  triage.setKeys([keyBytes]);
  const session = new CaptureSession(64, new Uint8Array(16));

  /** A valid encrypted message (msg_key verifies) around a mutated body and a possibly lied length. */
  const sealed = fc
    .tuple(
      mutatedBytes(bodies.map((b) => b.subarray(0, b.length & ~3))),
      fc.constantFrom<'in' | 'out'>('in', 'out'),
      fc.option(fc.oneof(fc.nat(), fc.constantFrom(0, 0x7fffffff, -1, -16)), { nil: undefined }),
    )
    .map(([raw, direction, declaredLength]) => {
      const body = raw.subarray(0, raw.length & ~3);
      return {
        direction,
        frame: new Uint8Array(refEncryptMessage(keyBytes, body, { direction, declaredLength, padding: 12 + ((16 - ((32 + body.length + 12) % 16)) % 16) })),
      };
    });
  const broken = fc.tuple(sealed, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([s, e]) => ({ ...s, frame: applyEdits(s.frame, e) }));

  it('decryptMessage, peekMessage and decryptAndDecode on sealed and broken messages', () => {
    fc.assert(
      fc.property(fc.oneof(sealed, broken), ({ direction, frame }) =>
        timed(() => {
          const r = decryptMessage(frame, ring);
          if (r.ok) expect(r.direction).toBe(direction);
          const peek = peekMessage(frame, ring, { direction });
          if (peek.ok) peekVerdict(peek);
          const dd = decryptAndDecode(frame, ring, { methodName: methodNameFromSchema });
          bounded(dd.findings, frame.length);
        }),
      ),
      params(0.5),
    );
  });

  it('the triage on sealed and broken messages, and decodeCapture on what it forwards', () => {
    fc.assert(
      fc.property(fc.oneof(sealed, broken), ({ direction, frame }) =>
        timed(() => {
          const head = new Uint8Array(TRIAGE_BYTES);
          head.set(frame.subarray(0, TRIAGE_BYTES));
          const verdict = triage.triage(direction === 'in', head, 0, Math.min(TRIAGE_BYTES, frame.length), frame.length);
          expect([0, 1, 2, 3]).toContain(verdict);
          for (const encrypted of ['whole', 'prefix', 'unknown-key'] as const) {
            const data = encrypted === 'prefix' ? frame.subarray(0, 4096) : frame;
            const c: HookCapture = {
              v: 1,
              channel: 'websocket',
              direction,
              url: 'wss://kws2.web.telegram.org/apiws',
              at: 1,
              kind: 'binary',
              data: b64(data),
              conn: 'e1',
              encrypted,
              payloadLength: frame.length,
            };
            boundedCapture(decodeCapture(c, session, ring), data.length);
          }
        }),
      ),
      params(0.5),
    );
  });
});
