import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MtprotoInspector } from '../../../src/hook/websocket/mtproto-inspector.ts';
import type { InspectedConnection } from '../../../src/hook/websocket/binary-inspector.ts';
import { CaptureSession, decodeCapture } from '../../../src/core/capture/decode-capture.ts';
import { toBase64, toHex } from '../../../src/core/mtproto/bytes.ts';
import type { TransportKind } from '../../../src/core/mtproto/types.ts';
import { obfuscatedConnection, plainConnection, recut, type Chunk } from '../../mtproto/stream-helpers.ts';

interface Emitted {
  direction: 'in' | 'out';
  frame: Uint8Array;
  offset: number;
  framing: TransportKind;
}

/** Drives the inspector as watch-websocket does: offsets per direction, the client head first. */
function inspectAll(chunks: Chunk[]): { emitted: Emitted[]; flagged: number; head: Uint8Array } {
  const head = new Uint8Array(64);
  let headLength = 0;
  const emitted: Emitted[] = [];
  const connection: InspectedConnection = {
    url: 'wss://kws2.web.telegram.org/apiws',
    clientHead: () => head.slice(0, headLength),
    emitFrame: (direction, frame, offset, framing) => emitted.push({ direction, frame: frame.slice(), offset, framing }),
  };
  const inspector = new MtprotoInspector(connection);
  const offsets = { in: 0, out: 0 };
  let flagged = 0;
  for (const [direction, bytes] of chunks) {
    const offset = offsets[direction];
    if (direction === 'out' && offset < 64) {
      const take = Math.min(64 - offset, bytes.length);
      head.set(bytes.subarray(0, take), offset);
      headLength = Math.max(headLength, offset + take);
    }
    if (inspector.inspect(direction, bytes, offset)) flagged++;
    offsets[direction] += bytes.length;
  }
  return { emitted, flagged, head: head.slice(0, headLength) };
}

/** What the background makes of the emitted frames, in order, with one session per connection. */
function decodeEmitted(emitted: Emitted[], head: Uint8Array) {
  const session = new CaptureSession();
  return emitted.flatMap((e) =>
    decodeCapture(
      {
        v: 1,
        channel: 'websocket',
        direction: e.direction,
        url: 'wss://kws2.web.telegram.org/apiws',
        at: 0,
        kind: 'binary',
        data: toBase64(e.frame),
        conn: 'c1',
        offset: e.offset,
        clientHead: toHex(head),
        framing: e.framing,
      },
      session,
    ).records.map((r) => [r.class, r.message, r.method, r.dc]),
  );
}

const EXPECTED = [
  ['FLOOD', 'FLOOD_WAIT_30', 'help.getConfig', 2],
  ['PROTOCOL', 'bad_msg_notification 17', 'ping', 2],
  ['INTERNAL', 'INTERNAL', 'ping', 2],
  ['TRANSPORT', 'transport error -404', null, 2],
];

const connections: [string, () => { chunks: Chunk[] }][] = [
  ['abridged', () => plainConnection('abridged')],
  ['intermediate', () => plainConnection('intermediate')],
  ['padded intermediate', () => plainConnection('padded-intermediate')],
  ['obfuscated abridged', () => obfuscatedConnection('abridged', 2)],
  ['obfuscated intermediate', () => obfuscatedConnection('intermediate', 2)],
  ['obfuscated padded intermediate', () => obfuscatedConnection('padded-intermediate', -2)],
];

describe('MtprotoInspector', () => {
  for (const [name, make] of connections) {
    it(`${name}: reports only unencrypted frames and transport errors, whole and in plaintext`, () => {
      const { emitted, flagged, head } = inspectAll(make().chunks);
      expect(flagged).toBe(0);
      // 2 unencrypted requests out; in: the rpc_result, the container, the -404.
      expect(emitted.map((e) => e.direction)).toEqual(['out', 'in', 'out', 'in', 'in']);
      expect(decodeEmitted(emitted, head)).toEqual(EXPECTED);
    });
  }

  it('gives the same result however the streams are cut into messages', () => {
    fc.assert(
      fc.property(fc.constantFrom(...connections), fc.array(fc.integer({ min: 1, max: 4000 }), { maxLength: 12 }), ([, make], cuts) => {
        const chunks = recut(make().chunks, (_dir, total) => cuts.map((c) => c % total));
        const { emitted, head } = inspectAll(chunks);
        expect(decodeEmitted(emitted, head)).toEqual(EXPECTED);
      }),
      { numRuns: 60 },
    );
  });

  it('falls back to the byte prefilter when the stream is not MTProto', () => {
    const text = new TextEncoder().encode('GET / HTTP/1.1 — not mtproto at all, long enough to exceed sixty-four bytes of head');
    const withError = Uint8Array.of(0, 0, 0x19, 0xca, 0x44, 0x21, 0, 0);
    const { emitted, flagged } = inspectAll([
      ['out', text],
      ['in', withError],
    ]);
    expect(emitted).toEqual([]);
    expect(flagged).toBe(1);
  });

  it('never throws on random streams', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom<'in' | 'out'>('in', 'out'), fc.uint8Array({ maxLength: 300 }))), (chunks) => {
        inspectAll(chunks);
      }),
    );
  });
});
