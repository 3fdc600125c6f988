// Builders for whole connections (both directions) used by the transport tests.

import { createCipheriv, randomBytes } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type { DecodedFrame, StreamDirection, TransportKind } from '../../src/core/mtproto/types.ts';
import type { MtprotoStreamDecoder } from '../../src/core/mtproto/transport/stream-decoder.ts';
import {
  abridgedFrame,
  concat,
  container,
  encrypted,
  fullFrame,
  intermediateFrame,
  paddedFrame,
  rpcError,
  rpcResult,
  tl,
  u32,
  unencrypted,
  gzipPacked,
} from './tl-helpers.ts';

export type Chunk = [StreamDirection, Uint8Array];

const TAG: Record<Exclude<TransportKind, 'full'>, number> = { abridged: 0xef, intermediate: 0xee, 'padded-intermediate': 0xdd };

export function frameFor(transport: TransportKind, payload: Uint8Array, seqNo: number, padding = 0): Uint8Array {
  switch (transport) {
    case 'abridged':
      return abridgedFrame(payload);
    case 'intermediate':
      return intermediateFrame(payload);
    case 'padded-intermediate':
      return paddedFrame(payload, padding);
    case 'full':
      return fullFrame(payload, seqNo, (b) => zlibCrc32(b) >>> 0);
  }
}

/** Payloads of a plausible conversation: requests out; errors, service messages and bulk in. */
export function conversation(): { out: Uint8Array[]; in: Uint8Array[] } {
  const request = unencrypted(0x6500000000000004n, tl({ _: 'invokeWithLayer', layer: 214, query: { _: 'help.getConfig' } }));
  return {
    out: [
      request,
      encrypted(11, 96),
      unencrypted(0x6500000000000008n, tl({ _: 'mt_ping', pingId: 5n })),
      encrypted(12, 1200), // long abridged length form
    ],
    in: [
      unencrypted(0x6500000000000101n, rpcResult(0x6500000000000004n, rpcError(420, 'FLOOD_WAIT_30'))),
      encrypted(21, 48),
      unencrypted(
        0x6500000000000105n,
        container([
          { msgId: 0x6500000000000109n, body: tl({ _: 'mt_bad_msg_notification', badMsgId: 0x6500000000000008n, badMsgSeqno: 2, errorCode: 17 }) },
          { msgId: 0x650000000000010dn, body: rpcResult(0x6500000000000008n, gzipPacked(rpcError(500, 'INTERNAL'))) },
        ]),
      ),
      u32(-404),
      encrypted(22, 2000),
    ],
  };
}

export interface Connection {
  chunks: Chunk[];
  /** Stream offset of each direction's frames start (after tag / init). */
  framesStart: { out: number; in: number };
}

/** Interleaves directions: out[0], in[0], out[1], ... as whole frames, one chunk each. */
export function plainConnection(transport: TransportKind, conv = conversation()): Connection {
  const chunks: Chunk[] = [];
  const tag = transport === 'full' ? new Uint8Array(0) : transport === 'abridged' ? Uint8Array.of(0xef) : u32(TAG[transport] * 0x01010101);
  let first = true;
  const n = Math.max(conv.out.length, conv.in.length);
  for (let i = 0; i < n; i++) {
    if (i < conv.out.length) {
      const f = frameFor(transport, conv.out[i], i, i % 16);
      chunks.push(['out', first ? concat(tag, f) : f]);
      first = false;
    }
    if (i < conv.in.length) chunks.push(['in', frameFor(transport, conv.in[i], i, (i * 7) % 16)]);
  }
  return { chunks, framesStart: { out: tag.length, in: 0 } };
}

export function obfuscationInit(tag: number, dcId: number): { init: Buffer; wire: Buffer } {
  let init: Buffer;
  for (;;) {
    init = randomBytes(64);
    const first = init.readUInt32LE(0);
    if (init[0] !== 0xef && init.readUInt32LE(4) !== 0 && ![0x44414548, 0x54534f50, 0x20544547, 0x4954504f, 0xeeeeeeee, 0xdddddddd, 0x02010316].includes(first))
      break;
  }
  init.writeUInt32LE((tag * 0x01010101) >>> 0, 56);
  init.writeInt16LE(dcId, 60);
  const enc = createCipheriv('aes-256-ctr', init.subarray(8, 40), init.subarray(40, 56));
  const encryptedInit = enc.update(init);
  return { init, wire: Buffer.concat([init.subarray(0, 56), encryptedInit.subarray(56, 64)]) };
}

/** The same conversation over the obfuscated transport, encrypted with node:crypto. */
export function obfuscatedConnection(transport: Exclude<TransportKind, 'full'>, dcId = 2, conv = conversation()): Connection & { init: Buffer } {
  const { init, wire } = obfuscationInit(TAG[transport], dcId);
  const toServer = createCipheriv('aes-256-ctr', init.subarray(8, 40), init.subarray(40, 56));
  toServer.update(init); // advance past the init's 64 bytes
  const reversed = Buffer.from(init).reverse();
  const toClient = createCipheriv('aes-256-ctr', reversed.subarray(8, 40), reversed.subarray(40, 56));
  const plain = plainConnection(transport, conv);
  const chunks: Chunk[] = [];
  let first = true;
  for (const [dir, bytes] of plain.chunks) {
    const framesOnly = dir === 'out' && first ? bytes.subarray(plain.framesStart.out) : bytes;
    if (dir === 'out') {
      chunks.push(['out', first ? concat(wire, toServer.update(framesOnly)) : toServer.update(framesOnly)]);
      first = false;
    } else {
      chunks.push(['in', toClient.update(bytes)]);
    }
  }
  return { chunks, framesStart: { out: 64, in: 0 }, init };
}

export function runChunks(decoder: MtprotoStreamDecoder, chunks: Chunk[]): { frames: DecodedFrame[]; diagnostics: string[] } {
  const frames: DecodedFrame[] = [];
  const diagnostics: string[] = [];
  for (const [dir, bytes] of chunks) {
    const r = decoder.push(dir, bytes);
    frames.push(...r.frames);
    diagnostics.push(...r.diagnostics);
  }
  return { frames, diagnostics };
}

/** Re-cuts each direction's byte stream at the given points, keeping direction order per stream. */
export function recut(chunks: Chunk[], cutsFor: (dir: StreamDirection, total: number) => number[]): Chunk[] {
  const out: Chunk[] = [];
  for (const dir of ['out', 'in'] as const) {
    const all = concat(...chunks.filter((c) => c[0] === dir).map((c) => c[1]));
    const cuts = [...new Set(cutsFor(dir, all.length).filter((c) => c > 0 && c < all.length))].sort((a, b) => a - b);
    let prev = 0;
    for (const c of [...cuts, all.length]) {
      out.push([dir, all.subarray(prev, c)]);
      prev = c;
    }
  }
  // Client bytes first so detection happens as it would on a live connection.
  return out;
}

/** Frames per direction, in stream order, for comparisons that ignore how directions interleave. */
export function byDirection(frames: DecodedFrame[]): { out: DecodedFrame[]; in: DecodedFrame[] } {
  return { out: frames.filter((f) => f.direction === 'out'), in: frames.filter((f) => f.direction === 'in') };
}
