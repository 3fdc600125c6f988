// Transport framing: choosing the transport from the client's first bytes and
// reading one frame header. Pure functions over a plaintext buffer; the
// stateful per-connection part is stream-decoder.ts.

import { readInt32LE } from '../bytes.ts';
import type { StreamDirection, TransportKind } from '../types.ts';

export type TransportDetection =
  | { kind: 'need-more' }
  /** Plain transport; `skip` bytes of tag precede the first frame. */
  | { kind: 'plain'; transport: TransportKind; skip: number }
  /** 64 bytes are present and are not a known tag: try obfuscation. */
  | { kind: 'maybe-obfuscated' };

/** The full transport has no tag; its first frame has seqno 0, which an obfuscation init never has at bytes 4..7. */
export function detectTransport(first: Uint8Array): TransportDetection {
  if (first.length < 1) return { kind: 'need-more' };
  if (first[0] === 0xef) return { kind: 'plain', transport: 'abridged', skip: 1 };
  if (first.length < 4) return { kind: 'need-more' };
  const tag = readInt32LE(first, 0) >>> 0;
  if (tag === 0xeeeeeeee) return { kind: 'plain', transport: 'intermediate', skip: 4 };
  if (tag === 0xdddddddd) return { kind: 'plain', transport: 'padded-intermediate', skip: 4 };
  if (first.length < 8) return { kind: 'need-more' };
  if (readInt32LE(first, 4) === 0 && tag >= 12 && tag % 4 === 0) return { kind: 'plain', transport: 'full', skip: 0 };
  if (first.length < 64) return { kind: 'need-more' };
  return { kind: 'maybe-obfuscated' };
}

export type FrameHeader =
  | { kind: 'need-more' }
  | { kind: 'invalid'; reason: string }
  | {
      kind: 'frame';
      /** Header + payload (+ crc for full). */
      totalLength: number;
      payloadOffset: number;
      payloadLength: number;
      quickAck: boolean;
      seqNo: number | null;
    };

/** Reads the frame header at buf[pos..]; never reads past buf.length. */
export function readFrameHeader(transport: TransportKind, direction: StreamDirection, buf: Uint8Array, pos: number): FrameHeader {
  const avail = buf.length - pos;
  switch (transport) {
    case 'abridged': {
      if (avail < 1) return { kind: 'need-more' };
      const b0 = buf[pos];
      // Server quick acks are 4 bytes with the top bit set; a client sets it to request one.
      if (b0 & 0x80 && direction === 'in') return quickAck();
      const short = b0 & 0x7f;
      if (short < 0x7f) return frame(1 + short * 4, 1, short * 4, false, null);
      if (avail < 4) return { kind: 'need-more' };
      const words = buf[pos + 1] | (buf[pos + 2] << 8) | (buf[pos + 3] << 16);
      return frame(4 + words * 4, 4, words * 4, false, null);
    }
    case 'intermediate':
    case 'padded-intermediate': {
      if (avail < 4) return { kind: 'need-more' };
      const raw = readInt32LE(buf, pos);
      if (raw < 0 && direction === 'in') return quickAck();
      const length = raw & 0x7fffffff;
      return frame(4 + length, 4, length, false, null);
    }
    case 'full': {
      if (avail < 8) return { kind: 'need-more' };
      const length = readInt32LE(buf, pos);
      if (length < 12) return { kind: 'invalid', reason: `full transport: frame length ${length} is below 12` };
      return frame(length, 8, length - 12, false, readInt32LE(buf, pos + 4));
    }
  }
}

function quickAck(): FrameHeader {
  return { kind: 'frame', totalLength: 4, payloadOffset: 4, payloadLength: 0, quickAck: true, seqNo: null };
}

function frame(totalLength: number, payloadOffset: number, payloadLength: number, isQuickAck: boolean, seqNo: number | null): FrameHeader {
  return { kind: 'frame', totalLength, payloadOffset, payloadLength, quickAck: isQuickAck, seqNo };
}
