// The allocation-free MtprotoInspector against the implementation it replaced
// (mtproto-inspector-reference.ts): same verdicts, same frames (bytes, offsets,
// framing), same fallback to the prefilter, on real conversations cut anywhere, on
// mixed encrypted / unencrypted / large / tiny frames, on gaps and on random bytes.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCipheriv, randomBytes } from 'node:crypto';
import { MtprotoInspector } from '../../../src/hook/websocket/mtproto-inspector.ts';
import { ReferenceMtprotoInspector } from './mtproto-inspector-reference.ts';
import type { BinaryInspector, InspectedConnection } from '../../../src/hook/websocket/binary-inspector.ts';
import type { TransportKind } from '../../../src/core/mtproto/types.ts';
import { obfuscatedConnection, obfuscationInit, plainConnection, recut, type Chunk } from '../../mtproto/stream-helpers.ts';

type Event = [string, string, number, string] | ['flag', number, boolean];

/** Runs one inspector over the chunks as watch-websocket does; `gapAt` skips a chunk's offset once. */
function trace(make: (c: InspectedConnection) => BinaryInspector, chunks: Chunk[], gapAt = -1): Event[] {
  const head = new Uint8Array(64);
  let headLength = 0;
  const events: Event[] = [];
  const connection: InspectedConnection = {
    url: 'wss://example/apiws',
    clientHead: () => head.slice(0, headLength),
    emitFrame: (direction, frame, offset, framing) => events.push([direction, Buffer.from(frame).toString('hex'), offset, framing]),
  };
  const inspector = make(connection);
  const offsets = { in: 0, out: 0 };
  chunks.forEach(([direction, bytes], index) => {
    if (index === gapAt) offsets[direction] += 3;
    const offset = offsets[direction];
    if (direction === 'out' && offset < 64) {
      const take = Math.min(64 - offset, bytes.length);
      head.set(bytes.subarray(0, take), offset);
      headLength = Math.max(headLength, offset + take);
    }
    events.push(['flag', index, inspector.inspect(direction, bytes, offset)]);
    offsets[direction] += bytes.length;
  });
  return events;
}

const ours = (c: InspectedConnection) => new MtprotoInspector(c);
const reference = (c: InspectedConnection) => new ReferenceMtprotoInspector(c);

const le32 = (v: number) => Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);

/**
 * A payload of a given kind: encrypted (random auth_key_id, or one that is zero but for a
 * single byte), unencrypted, a transport error, or tiny junk.
 */
function payload(kind: number, size: number): Uint8Array {
  switch (kind % 5) {
    case 4: {
      const p = randomBytes(Math.max(24, size & ~3));
      p.fill(0, 0, 8);
      p[kind % 8] = 1 + (size % 255);
      return p;
    }
    case 0: {
      const p = randomBytes(Math.max(24, size & ~3));
      p[0] |= 1;
      return p;
    }
    case 1: {
      const p = randomBytes(Math.max(20, size & ~3));
      p.fill(0, 0, 8);
      return p;
    }
    case 2:
      return le32(-404);
    default:
      return randomBytes(((size % 5) + 1) * 4);
  }
}

function frame(transport: TransportKind, p: Uint8Array, padding: number): Uint8Array {
  if (transport === 'abridged') {
    const q = p.length / 4;
    const h = q < 0x7f ? Uint8Array.of(q) : Uint8Array.of(0x7f, q & 255, (q >> 8) & 255, (q >> 16) & 255);
    return Buffer.concat([h, p]);
  }
  const pad = transport === 'padded-intermediate' ? randomBytes(padding % 16) : new Uint8Array(0);
  return Buffer.concat([le32(p.length + pad.length), p, pad]);
}

/** One direction's frames, some sizes beyond the kept-frame cap; quick acks on the way in. */
function streamOf(transport: TransportKind, spec: Array<[number, number]>, direction: 'in' | 'out'): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [kind, size] of spec) {
    if (direction === 'in' && kind % 11 === 10) {
      parts.push(transport === 'abridged' ? Uint8Array.of(0x80 | (size & 0x7f), 1, 2, 3) : le32(0x80000000 | size));
      continue;
    }
    // Some frames sit at the kept-frame cap (256 KB with the 4-byte header), just under or over it.
    const big = 256 * 1024 - 4 + ((size % 3) - 1) * 4;
    parts.push(frame(transport, payload(kind, kind % 13 === 12 ? big : size), transport === 'padded-intermediate' && kind % 13 === 12 ? 0 : size));
  }
  return Buffer.concat(parts);
}

const TAG = { abridged: 0xef, intermediate: 0xee, 'padded-intermediate': 0xdd } as const;

function connection(
  transport: Exclude<TransportKind, 'full'>,
  obfuscated: boolean,
  outSpec: Array<[number, number]>,
  inSpec: Array<[number, number]>,
): Chunk[] {
  const out = streamOf(transport, outSpec, 'out');
  const incoming = streamOf(transport, inSpec, 'in');
  if (!obfuscated) {
    const tag = transport === 'abridged' ? Uint8Array.of(0xef) : le32(TAG[transport] * 0x01010101);
    return [
      ['out', Buffer.concat([tag, out])],
      ['in', incoming],
    ];
  }
  const { init, wire } = obfuscationInit(TAG[transport], 2);
  const toServer = createCipheriv('aes-256-ctr', init.subarray(8, 40), init.subarray(40, 56));
  toServer.update(init);
  const reversed = Buffer.from(init).reverse();
  const toClient = createCipheriv('aes-256-ctr', reversed.subarray(8, 40), reversed.subarray(40, 56));
  return [
    ['out', Buffer.concat([wire, toServer.update(out)])],
    ['in', toClient.update(incoming)],
  ];
}

const spec = fc.array(fc.tuple(fc.nat(200), fc.integer({ min: 0, max: 3000 })), { maxLength: 12 });
const cutsArb = fc.array(fc.integer({ min: 1, max: 1 << 20 }), { maxLength: 20 });

describe('MtprotoInspector (allocation-free) agrees with the reference implementation', () => {
  it('on the test conversations, cut anywhere', () => {
    const makers = [
      () => plainConnection('abridged').chunks,
      () => plainConnection('intermediate').chunks,
      () => plainConnection('padded-intermediate').chunks,
      () => obfuscatedConnection('abridged', 2).chunks,
      () => obfuscatedConnection('intermediate', -4).chunks,
      () => obfuscatedConnection('padded-intermediate', 2).chunks,
    ];
    fc.assert(
      fc.property(fc.constantFrom(...makers), cutsArb, (make, cuts) => {
        const chunks = recut(make(), (_dir, total) => cuts.map((c) => c % total));
        expect(trace(ours, chunks)).toEqual(trace(reference, chunks));
      }),
      { numRuns: 150 },
    );
  });

  it('on mixed frames (encrypted, unencrypted, transport errors, tiny, over the cap, quick acks), cut anywhere, with gaps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Exclude<TransportKind, 'full'>>('abridged', 'intermediate', 'padded-intermediate'),
        fc.boolean(),
        spec,
        spec,
        cutsArb,
        fc.integer({ min: -1, max: 30 }),
        (transport, obfuscated, outSpec, inSpec, cuts, gapAt) => {
          const chunks = recut(connection(transport, obfuscated, outSpec, inSpec), (_dir, total) => cuts.map((c) => c % total));
          expect(trace(ours, chunks, gapAt)).toEqual(trace(reference, chunks, gapAt));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('on random bytes after a valid head', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(Uint8Array.of(0xef), le32(0xeeeeeeee), le32(0xdddddddd), obfuscationInit(0xee, 2).wire, new Uint8Array(0)),
        fc.array(fc.tuple(fc.constantFrom<'in' | 'out'>('in', 'out'), fc.uint8Array({ maxLength: 300 })), { maxLength: 30 }),
        (head, chunks) => {
          const all: Chunk[] = head.length > 0 ? [['out', head], ...chunks] : chunks;
          expect(trace(ours, all)).toEqual(trace(reference, all));
        },
      ),
      { numRuns: 300 },
    );
  });
});
