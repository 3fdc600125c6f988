// The MTProto inspector as it was before its allocation-free rewrite (commit d334976), kept
// as the reference the rewrite is checked against byte for byte (mtproto-inspector-diff.test.ts).

// Follows an MTProto WebSocket as the byte streams it is: reads each frame's header
// (deobfuscating only the header and the first payload bytes, by stream offset) and
// keeps just the frames that can hold a readable error: unencrypted messages
// (auth_key_id 0) and lone 4-byte transport errors. Encrypted frames, the bulk of real
// traffic, cost a few arithmetic steps and one AES block or two: nothing is copied.
// Frames split across WebSocket messages, and several frames in one message, are
// handled alike; a frame is reported whole, in plaintext, once complete.

import type { Direction } from '../../../src/core/record.ts';
import type { TransportKind } from '../../../src/core/mtproto/types.ts';
import { parseObfuscationInit } from '../../../src/core/mtproto/transport/obfuscation.ts';
import type { AesCtr } from '../../../src/core/mtproto/crypto/aes.ts';
import { mayContainRpcError } from '../../../src/hook/common/binary-prefilter.ts';
import { copyBytes, NativeUint8Array, setBytes } from '../../../src/hook/common/natives.ts';
import type { BinaryInspector, InspectedConnection } from '../../../src/hook/websocket/binary-inspector.ts';

/** Frames larger than this are not kept (an unencrypted message is small: key exchange, errors). */
const MAX_KEPT_FRAME = 256 * 1024;
/** A declared length above this means we lost the framing: stop following the stream. */
const MAX_FRAME = 16 * 1024 * 1024;
/** auth_key_id (8) + msg_key (16): no encrypted message is shorter. */
const MIN_ENCRYPTED_PAYLOAD = 24;
/** Bytes of payload that decide a frame: the auth_key_id. */
const DECIDING_BYTES = 8;

type Decision = 'undecided' | 'keep' | 'skip';

interface FrameInProgress {
  /** Stream offset of the frame's first header byte. */
  start: number;
  /** Stream offset just past the frame. */
  end: number;
  headerLength: number;
  payloadLength: number;
  decision: Decision;
  /** Plaintext bytes of the frame so far (kept only while undecided or kept). */
  bytes: Uint8Array | null;
  filled: number;
}

interface DirectionState {
  /** Plaintext header bytes read so far, when a header is split across messages. */
  header: Uint8Array;
  headerFilled: number;
  headerStart: number;
  frame: FrameInProgress | null;
  /** The next stream offset this direction expects; a gap means bytes were skipped. */
  expected: number;
}

type Phase = 'detect' | 'frames' | 'prefilter';

export class ReferenceMtprotoInspector implements BinaryInspector {
  readonly ordered = true;
  private phase: Phase = 'detect';
  private transport: TransportKind | null = null;
  private ciphers: Record<Direction, AesCtr> | null = null;
  /** Stream offset where frames start in the client direction (after the tag or the 64-byte init). */
  private outStart = 0;
  private readonly dirs: Record<Direction, DirectionState> = {
    out: { header: new NativeUint8Array(8), headerFilled: 0, headerStart: 0, frame: null, expected: 0 },
    in: { header: new NativeUint8Array(8), headerFilled: 0, headerStart: 0, frame: null, expected: 0 },
  };

  constructor(private readonly connection: InspectedConnection) {}

  inspect(direction: Direction, bytes: Uint8Array, offset: number): boolean {
    if (this.phase === 'detect') this.detect(direction, offset);
    if (this.phase === 'prefilter') return mayContainRpcError(bytes);
    if (this.phase === 'detect') return mayContainRpcError(bytes);
    const state = this.dirs[direction];
    if (offset !== state.expected) {
      // Bytes we never saw (a send while closing, a dropped Blob): the framing is lost.
      this.phase = 'prefilter';
      return mayContainRpcError(bytes);
    }
    state.expected = offset + bytes.length;
    let at = 0;
    if (direction === 'out' && offset < this.outStart) at = Math.min(bytes.length, this.outStart - offset);
    while (at < bytes.length && this.phase === 'frames') at = this.step(direction, state, bytes, offset, at);
    return false;
  }

  /** The transport is chosen by the client's first bytes: a tag, or a 64-byte obfuscation init. */
  private detect(direction: Direction, offset: number): void {
    if (direction !== 'out' && this.transport === null) return;
    const head = this.connection.clientHead();
    if (head.length === 0) return;
    const b0 = head[0];
    if (b0 === 0xef) return this.startFrames('abridged', 1, offset);
    if (head.length < 4) return;
    const tag = head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24);
    if (tag === (0xeeeeeeee | 0)) return this.startFrames('intermediate', 4, offset);
    if (tag === (0xdddddddd | 0)) return this.startFrames('padded-intermediate', 4, offset);
    if (head.length < 64) {
      if (offset + 1 > 64) this.phase = 'prefilter';
      return;
    }
    const init = parseObfuscationInit(head);
    if (init === null) {
      this.phase = 'prefilter';
      return;
    }
    this.ciphers = { out: init.clientToServer, in: init.serverToClient };
    this.startFrames(init.transport, 64, offset);
  }

  /** `offset`: where the client message that completed detection starts. */
  private startFrames(transport: TransportKind, outStart: number, offset: number): void {
    if (offset > outStart) {
      // Frames went by while the head was incomplete: we cannot follow this stream.
      this.phase = 'prefilter';
      return;
    }
    this.transport = transport;
    this.outStart = outStart;
    this.dirs.out.expected = offset;
    this.dirs.out.headerStart = outStart;
    this.phase = 'frames';
  }

  private plain(direction: Direction, streamOffset: number, bytes: Uint8Array): Uint8Array {
    const cipher = this.ciphers?.[direction];
    return cipher ? cipher.decryptAt(streamOffset, bytes) : copyBytes(bytes, 0, bytes.length);
  }

  /** Consumes bytes from `at`; returns the new position. */
  private step(direction: Direction, state: DirectionState, bytes: Uint8Array, offset: number, at: number): number {
    const frame = state.frame;
    if (frame === null) return this.readHeader(direction, state, bytes, offset, at);
    const position = offset + at;
    const take = Math.min(frame.end - position, bytes.length - at);
    if (frame.decision !== 'skip' && frame.bytes !== null) {
      const payloadSeen = frame.filled - frame.headerLength;
      // While undecided only the deciding bytes are deobfuscated; a kept frame is taken whole.
      const want = frame.decision === 'keep' ? take : Math.min(take, DECIDING_BYTES - payloadSeen);
      if (want > 0) {
        setBytes(frame.bytes, this.plain(direction, position, bytes.subarray(at, at + want)), frame.filled);
        frame.filled += want;
      }
      if (frame.decision === 'undecided') this.decide(frame);
      if (frame.decision === 'keep' && want < take) {
        setBytes(frame.bytes, this.plain(direction, position + want, bytes.subarray(at + want, at + take)), frame.filled);
        frame.filled += take - want;
      }
    }
    const next = at + take;
    if (offset + next >= frame.end) {
      if (frame.decision === 'keep' && frame.bytes) this.connection.emitFrame(direction, frame.bytes, frame.start, this.transport!);
      state.frame = null;
      state.headerStart = frame.end;
    }
    return next;
  }

  private decide(frame: FrameInProgress): void {
    // Shorter than auth_key_id + msg_key: not an encrypted message, so a transport error
    // (4 bytes, plus random padding in padded intermediate). Cheap to keep.
    if (frame.payloadLength < MIN_ENCRYPTED_PAYLOAD) {
      frame.decision = 'keep';
      return;
    }
    const seen = frame.filled - frame.headerLength;
    if (seen < Math.min(DECIDING_BYTES, frame.payloadLength)) return;
    const payload = frame.bytes!;
    let unencrypted = frame.payloadLength >= DECIDING_BYTES;
    for (let i = 0; i < DECIDING_BYTES && unencrypted; i++) unencrypted = payload[frame.headerLength + i] === 0;
    if (unencrypted && frame.end - frame.start <= MAX_KEPT_FRAME) {
      frame.decision = 'keep';
    } else {
      frame.decision = 'skip';
      frame.bytes = null;
    }
  }

  private headerLength(first: number): number {
    switch (this.transport) {
      case 'abridged':
        return first === 0x7f || first === 0xff ? 4 : 1;
      case 'full':
        return 8;
      default:
        return 4;
    }
  }

  private readHeader(direction: Direction, state: DirectionState, bytes: Uint8Array, offset: number, at: number): number {
    const position = offset + at;
    if (state.headerFilled === 0) state.headerStart = position;
    const firstByte = state.headerFilled > 0 ? state.header[0] : this.plain(direction, position, bytes.subarray(at, at + 1))[0];
    const needed = this.headerLength(firstByte);
    const take = Math.min(needed - state.headerFilled, bytes.length - at);
    setBytes(state.header, this.plain(direction, position, bytes.subarray(at, at + take)), state.headerFilled);
    state.headerFilled += take;
    if (state.headerFilled < needed) return at + take;
    state.headerFilled = 0;
    const h = state.header;
    let payloadLength: number;
    let frameLength: number;
    if (this.transport === 'abridged') {
      const quarter = needed === 1 ? h[0] & 0x7f : h[1] | (h[2] << 8) | (h[3] << 16);
      payloadLength = quarter * 4;
      // A server quick ack sets the top bit of the first byte and has no payload.
      if (direction === 'in' && h[0] & 0x80) payloadLength = needed === 1 ? 3 : 0;
      frameLength = needed + payloadLength;
    } else {
      const word = (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
      if (direction === 'in' && word & 0x80000000) {
        // Intermediate quick ack: the four bytes are the whole frame.
        payloadLength = 0;
        frameLength = 4;
      } else if (this.transport === 'full') {
        payloadLength = word - 12;
        frameLength = word;
      } else {
        payloadLength = word;
        frameLength = 4 + word;
      }
    }
    if (payloadLength < 0 || frameLength > MAX_FRAME) {
      this.phase = 'prefilter';
      return bytes.length;
    }
    const frame: FrameInProgress = {
      start: state.headerStart,
      end: state.headerStart + frameLength,
      headerLength: needed,
      payloadLength,
      decision: payloadLength === 0 ? 'skip' : 'undecided',
      bytes: null,
      filled: needed,
    };
    if (frame.decision === 'undecided' && frameLength <= MAX_KEPT_FRAME) {
      frame.bytes = new NativeUint8Array(frameLength);
      setBytes(frame.bytes, h.subarray(0, needed), 0);
    } else {
      frame.decision = 'skip';
    }
    state.frame = frame;
    const next = at + take;
    if (frameLength === needed) {
      state.frame = null;
      state.headerStart = frame.end;
    }
    return next;
  }
}
