// Follows an MTProto WebSocket as the byte streams it is: reads each frame's header
// (deobfuscating only the header and the first payload bytes, by stream offset) and
// keeps just the frames that can hold a readable error: unencrypted messages
// (auth_key_id 0) and lone 4-byte transport errors. Encrypted frames, the bulk of real
// traffic, cost a few arithmetic steps and one AES block or two: nothing is copied or
// allocated for them (the header and deciding bytes go to a small per-direction buffer,
// and the cipher reuses its last keystream block).
// Frames split across WebSocket messages, and several frames in one message, are
// handled alike; a frame is reported whole, in plaintext, once complete.
// When the user gave keys for this page, encrypted frames are triaged instead
// (src/core/mtproto/decrypt/encrypted-triage.ts: three AES-IGE blocks): those that can carry an
// error are reported whole, requests and successful answers by their first bytes, the
// rest skipped. Without keys, one frame per connection is reported by its auth_key_id
// only, so the panel can say that the traffic is encrypted and which key it needs.

import type { Direction } from '../../core/record.ts';
import type { TransportKind } from '../../core/mtproto/types.ts';
import { parseObfuscationInit } from '../../core/mtproto/transport/obfuscation.ts';
import type { AesCtr } from '../../core/mtproto/crypto/aes.ts';
import { mayContainRpcError } from '../common/binary-prefilter.ts';
import { NativeUint8Array } from '../common/natives.ts';
import { TRIAGE_BYTES, TRIAGE_PREFIX, TRIAGE_UNKNOWN_KEY, TRIAGE_WHOLE, type EncryptedTriage } from '../../core/mtproto/decrypt/encrypted-triage.ts';
import type { BinaryInspector, EncryptedCaptureKind, InspectedConnection } from './binary-inspector.ts';
import { AnswerNotes } from './answer-notes.ts';
import { pageTriage } from '../common/page-session-keys.ts';

/** Frames larger than this are not kept (an unencrypted message is small: key exchange, errors). */
const MAX_KEPT_FRAME = 256 * 1024;
/** A declared length above this means we lost the framing: stop following the stream. */
const MAX_FRAME = 16 * 1024 * 1024;
/** auth_key_id (8) + msg_key (16): no encrypted message is shorter. */
const MIN_ENCRYPTED_PAYLOAD = 24;
/** Bytes of payload that decide a frame: the auth_key_id. */
const DECIDING_BYTES = 8;
/** Longest header (full transport: 8) plus the deciding bytes. */
const HEAD_BYTES = 16;
/** Longest header plus the bytes triage reads of an encrypted message. */
const TRIAGE_HEAD_BYTES = 8 + TRIAGE_BYTES;

// What is known of the current frame.
const UNDECIDED = 0;
const KEEP = 1;
const SKIP = 2;
/** Encrypted, keys given: reading the bytes triage needs. */
const TRIAGING = 3;
/** Encrypted: its first bytes are kept (state.bytes holds the payload prefix). */
const KEEP_PREFIX = 4;
/** Encrypted: the whole payload is kept (state.bytes holds it, without the transport header). */
const KEEP_ENCRYPTED = 5;

interface DirectionState {
  /** Plaintext of the current frame's first bytes: its header, then up to DECIDING_BYTES of payload. */
  head: Uint8Array;
  /** Bytes of the current frame read so far (header and payload). */
  filled: number;
  /** Stream offset of the current frame's first header byte. */
  start: number;
  /** True once the header is read, until the frame ends. */
  inFrame: boolean;
  /** Stream offset just past the frame (valid while inFrame). */
  end: number;
  headerLength: number;
  payloadLength: number;
  decision: number;
  /** Plaintext of a kept frame: allocated only once it is known to be kept. */
  bytes: Uint8Array | null;
  /** Frame bytes before bytes[0]: 0 for a plain frame, the header for a kept encrypted payload. */
  bytesFrom: number;
  /** The next stream offset this direction expects; a gap means bytes were skipped. */
  expected: number;
}

const newState = (): DirectionState => ({
  head: new NativeUint8Array(TRIAGE_HEAD_BYTES),
  filled: 0,
  start: 0,
  inFrame: false,
  end: 0,
  headerLength: 0,
  payloadLength: 0,
  decision: UNDECIDED,
  bytes: null,
  bytesFrom: 0,
  expected: 0,
});

type Phase = 'detect' | 'frames' | 'prefilter';

export class MtprotoInspector implements BinaryInspector {
  readonly ordered = true;
  private phase: Phase = 'detect';
  private transport: TransportKind | null = null;
  private outCipher: AesCtr | null = null;
  private inCipher: AesCtr | null = null;
  /** Stream offset where frames start in the client direction (after the tag or the 64-byte init). */
  private outStart = 0;
  private readonly out: DirectionState = newState();
  private readonly in: DirectionState = newState();
  /** An encrypted frame under no given key was reported for this connection. */
  private unknownKeyReported = false;
  /** Answers that succeeded, noted from triage's bytes (answer-notes.ts); made at the first. */
  private answers: AnswerNotes | null = null;
  /** Encrypted requests or answers under a given key were reported (see closed()). */
  private carriedCalls = false;

  constructor(
    private readonly connection: InspectedConnection,
    private readonly triage: EncryptedTriage = pageTriage,
  ) {}

  inspect(direction: Direction, bytes: Uint8Array, offset: number): boolean {
    if (this.phase === 'detect') this.detect(direction, offset);
    if (this.phase !== 'frames') return mayContainRpcError(bytes);
    const state = direction === 'out' ? this.out : this.in;
    if (offset !== state.expected) {
      // Bytes we never saw (a send while closing, a dropped Blob): the framing is lost.
      this.phase = 'prefilter';
      return mayContainRpcError(bytes);
    }
    const length = bytes.length;
    state.expected = offset + length;
    const cipher = direction === 'out' ? this.outCipher : this.inCipher;
    let at = 0;
    if (direction === 'out' && offset < this.outStart) at = Math.min(length, this.outStart - offset);
    while (at < length && this.phase === 'frames') {
      if (state.inFrame) at = this.frameBytes(direction, state, cipher, bytes, offset, at);
      else {
        const next = state.filled === 0 && length - at >= HEAD_BYTES ? this.skipEncryptedFrame(direction, state, cipher, bytes, offset, at) : -1;
        at = next >= 0 ? next : this.readHeader(direction, state, cipher, bytes, offset, at);
      }
    }
    return false;
  }

  /**
   * The common case in one step: a frame whose header and auth_key_id lie in this message
   * and whose auth_key_id is not 0 (an encrypted message, so skipped). Deobfuscates those
   * 16 bytes at once (plaintext is read in place); returns the position after what it took,
   * or -1, with the frame state untouched (only the scratch head bytes), for any other frame
   * (readHeader takes it byte by byte).
   */
  private skipEncryptedFrame(direction: Direction, state: DirectionState, cipher: AesCtr | null, bytes: Uint8Array, offset: number, at: number): number {
    let plain = bytes;
    let p = at;
    if (cipher !== null) {
      plain = state.head;
      p = 0;
      cipher.xorRange(offset + at, bytes, at, HEAD_BYTES, plain, 0);
    }
    const b0 = plain[p];
    let headerLength: number;
    let payloadLength: number;
    if (this.transport === 'abridged') {
      if (b0 & 0x80) return -1; // a quick ack, or a client asking for one
      if (b0 === 0x7f) {
        headerLength = 4;
        payloadLength = (plain[p + 1] | (plain[p + 2] << 8) | (plain[p + 3] << 16)) * 4;
      } else {
        headerLength = 1;
        payloadLength = b0 * 4;
      }
    } else {
      const word = plain[p] | (plain[p + 1] << 8) | (plain[p + 2] << 16) | (plain[p + 3] << 24);
      if (word < 0) return -1; // a quick ack, or a length we do not follow
      headerLength = this.transport === 'full' ? 8 : 4;
      payloadLength = this.transport === 'full' ? word - 12 : word;
    }
    const frameLength = headerLength + payloadLength + (this.transport === 'full' ? 4 : 0);
    if (payloadLength < MIN_ENCRYPTED_PAYLOAD || frameLength > MAX_FRAME) return -1;
    const key = p + headerLength;
    if ((plain[key] | plain[key + 1] | plain[key + 2] | plain[key + 3] | plain[key + 4] | plain[key + 5] | plain[key + 6] | plain[key + 7]) === 0) return -1;
    if (this.triage.armed) {
      // Keys given: triage here too when the bytes it reads are in this message, so the bulk
      // (results, updates, file parts) is still skipped in one step. Kept frames, and the first
      // under an unknown key, take the byte-wise path, which triages them again.
      const need = headerLength + TRIAGE_BYTES;
      if (payloadLength < TRIAGE_BYTES || at + need > bytes.length) return -1;
      if (cipher !== null) cipher.xorRange(offset + at + HEAD_BYTES, bytes, at + HEAD_BYTES, need - HEAD_BYTES, plain, HEAD_BYTES);
      const verdict = this.triage.triage(direction === 'in', plain, p + headerLength, TRIAGE_BYTES, payloadLength);
      if (this.triage.answered) this.noteAnswer();
      if (verdict === TRIAGE_WHOLE || verdict === TRIAGE_PREFIX || (verdict === TRIAGE_UNKNOWN_KEY && !this.unknownKeyReported)) return -1;
    } else if (!this.unknownKeyReported) {
      return -1;
    }
    const start = offset + at;
    const end = start + frameLength;
    if (end <= offset + bytes.length) {
      state.start = end;
      return at + frameLength;
    }
    state.start = start;
    state.end = end;
    state.inFrame = true;
    state.headerLength = headerLength;
    state.payloadLength = payloadLength;
    state.decision = SKIP;
    state.bytes = null;
    return bytes.length;
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
    this.outCipher = init.clientToServer;
    this.inCipher = init.serverToClient;
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
    this.out.expected = offset;
    this.out.start = outStart;
    this.phase = 'frames';
  }

  /** Reads the header of the frame at `at` (or the rest of a header split across messages). */
  private readHeader(direction: Direction, state: DirectionState, cipher: AesCtr | null, bytes: Uint8Array, offset: number, at: number): number {
    const head = state.head;
    if (state.filled === 0) {
      state.start = offset + at;
      plainInto(cipher, offset + at, bytes, at, 1, head, 0);
      state.filled = 1;
      at++;
    }
    const needed = this.headerLength(head[0]);
    const take = Math.min(needed - state.filled, bytes.length - at);
    if (take > 0) {
      plainInto(cipher, offset + at, bytes, at, take, head, state.filled);
      state.filled += take;
      at += take;
    }
    if (state.filled < needed) return at;
    let payloadLength: number;
    let frameLength: number;
    if (this.transport === 'abridged') {
      const quarter = needed === 1 ? head[0] & 0x7f : head[1] | (head[2] << 8) | (head[3] << 16);
      payloadLength = quarter * 4;
      // A server quick ack sets the top bit of the first byte and has no payload.
      if (direction === 'in' && head[0] & 0x80) payloadLength = needed === 1 ? 3 : 0;
      frameLength = needed + payloadLength;
    } else {
      const word = (head[0] | (head[1] << 8) | (head[2] << 16) | (head[3] << 24)) >>> 0;
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
    state.end = state.start + frameLength;
    if (frameLength === needed) {
      // Nothing but a header (a quick ack): the next frame starts here.
      state.filled = 0;
      state.start = state.end;
      return at;
    }
    state.inFrame = true;
    state.headerLength = needed;
    state.payloadLength = payloadLength;
    state.decision = payloadLength === 0 || (frameLength > MAX_KEPT_FRAME && !this.triage.armed) ? SKIP : UNDECIDED;
    state.bytes = null;
    state.bytesFrom = 0;
    return at;
  }

  /** Consumes payload bytes of the current frame from `at`; returns the new position. */
  private frameBytes(direction: Direction, state: DirectionState, cipher: AesCtr | null, bytes: Uint8Array, offset: number, at: number): number {
    const position = offset + at;
    const take = Math.min(state.end - position, bytes.length - at);
    let done = 0;
    if (state.decision === UNDECIDED && state.payloadLength < MIN_ENCRYPTED_PAYLOAD) {
      // Shorter than auth_key_id + msg_key: not an encrypted message, so a transport error
      // (4 bytes, plus random padding in padded intermediate). Cheap to keep.
      keep(state);
    }
    while ((state.decision === UNDECIDED || state.decision === TRIAGING) && done < take) {
      // While undecided only the deciding bytes are deobfuscated.
      const needed = state.decision === UNDECIDED ? DECIDING_BYTES : Math.min(TRIAGE_BYTES, state.payloadLength);
      const count = Math.min(take - done, state.headerLength + needed - state.filled);
      plainInto(cipher, position + done, bytes, at + done, count, state.head, state.filled);
      state.filled += count;
      done += count;
      if (state.filled - state.headerLength < needed) break;
      if (state.decision === UNDECIDED) this.decide(direction, state);
      else this.triageFrame(direction, state);
    }
    if (state.decision >= KEEP_PREFIX || state.decision === KEEP) {
      // A kept frame is taken whole (an encrypted prefix up to its length).
      const room = state.bytesFrom + state.bytes!.length - state.filled;
      const count = Math.min(take - done, room);
      if (count > 0) {
        plainInto(cipher, position + done, bytes, at + done, count, state.bytes!, state.filled - state.bytesFrom);
        state.filled += count;
      }
      if (state.decision === KEEP_PREFIX && state.filled - state.bytesFrom === state.bytes!.length) {
        this.emitEncrypted(direction, state, 'prefix');
        state.decision = SKIP;
      }
    }
    const next = at + take;
    if (offset + next >= state.end) {
      const decision = state.decision;
      const kept = decision === KEEP ? state.bytes : null;
      if (decision === KEEP_ENCRYPTED) this.emitEncrypted(direction, state, 'whole');
      state.inFrame = false;
      state.filled = 0;
      state.bytes = null;
      state.start = state.end;
      if (kept !== null) this.connection.emitFrame(direction, kept, state.end - kept.length, this.transport!);
    }
    return next;
  }

  /** An unencrypted auth_key_id (8 zero bytes) keeps the frame; an encrypted one is triaged when keys are given. */
  private decide(direction: Direction, state: DirectionState): void {
    const head = state.head;
    const h = state.headerLength;
    let zero = true;
    for (let i = 0; i < DECIDING_BYTES; i++) if (head[h + i] !== 0) zero = false;
    if (zero) return keep(state);
    if (this.triage.armed) {
      state.decision = TRIAGING;
      return;
    }
    state.decision = SKIP;
    if (!this.unknownKeyReported) this.reportUnknownKey(direction, state);
  }

  /** The triage bytes are in: keep the payload whole, keep its prefix, or skip it. */
  private triageFrame(direction: Direction, state: DirectionState): void {
    const h = state.headerLength;
    const available = state.filled - h;
    let verdict: number;
    try {
      verdict = this.triage.triage(direction === 'in', state.head, h, available, state.payloadLength);
      if (this.triage.answered) this.noteAnswer();
    } catch {
      verdict = SKIP_VERDICT;
    }
    if (verdict === TRIAGE_WHOLE) return keepEncrypted(state, state.payloadLength, KEEP_ENCRYPTED);
    if (verdict === TRIAGE_PREFIX) {
      keepEncrypted(state, this.triage.prefixLength(direction === 'in', state.payloadLength), KEEP_PREFIX);
      if (state.filled - state.bytesFrom >= state.bytes!.length) {
        this.emitEncrypted(direction, state, 'prefix');
        state.decision = SKIP;
      }
      return;
    }
    state.decision = SKIP;
    if (verdict === TRIAGE_UNKNOWN_KEY && !this.unknownKeyReported) this.reportUnknownKey(direction, state);
  }

  closed(): boolean {
    this.answers?.flush();
    return this.carriedCalls;
  }

  private noteAnswer(): void {
    const emit = this.connection.emitAnswers;
    if (emit === undefined) return;
    this.carriedCalls = true;
    (this.answers ??= new AnswerNotes((hex) => emit(hex))).note(this.triage.answerLo, this.triage.answerHi);
  }

  /** One frame per connection under a key we do not have: its auth_key_id, so the panel can name the key. */
  private reportUnknownKey(direction: Direction, state: DirectionState): void {
    this.unknownKeyReported = true;
    const id = new NativeUint8Array(DECIDING_BYTES);
    for (let i = 0; i < DECIDING_BYTES; i++) id[i] = state.head[state.headerLength + i];
    this.connection.emitEncrypted?.(direction, id, state.start + state.headerLength, this.transport!, 'unknown-key', state.payloadLength);
  }

  private emitEncrypted(direction: Direction, state: DirectionState, kind: EncryptedCaptureKind): void {
    this.carriedCalls = true;
    this.connection.emitEncrypted?.(direction, state.bytes!, state.start + state.headerLength, this.transport!, kind, state.payloadLength);
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
}

const SKIP_VERDICT = 0;

/** The frame is reported: its buffer is allocated now, starting with the bytes read so far. */
function keep(state: DirectionState): void {
  if (state.end - state.start > MAX_KEPT_FRAME) {
    state.decision = SKIP;
    return;
  }
  state.decision = KEEP;
  const bytes = new NativeUint8Array(state.end - state.start);
  for (let i = 0; i < state.filled; i++) bytes[i] = state.head[i];
  state.bytes = bytes;
  state.bytesFrom = 0;
}

/** An encrypted payload (or its first `length` bytes) is kept, without the transport header. */
function keepEncrypted(state: DirectionState, length: number, decision: number): void {
  state.decision = decision;
  const h = state.headerLength;
  const bytes = new NativeUint8Array(length);
  const have = Math.min(state.filled - h, length);
  for (let i = 0; i < have; i++) bytes[i] = state.head[h + i];
  state.bytes = bytes;
  state.bytesFrom = h;
}

/** Plaintext of source[from, from + count) (at stream offset `streamOffset`) into target[at..]. */
function plainInto(cipher: AesCtr | null, streamOffset: number, source: Uint8Array, from: number, count: number, target: Uint8Array, at: number): void {
  if (cipher !== null) cipher.xorRange(streamOffset, source, from, count, target, at);
  else for (let i = 0; i < count; i++) target[at + i] = source[from + i];
}

/** The inspector for every WebSocket: MTProto framing when the stream is MTProto, else the byte prefilter. */
export const createMtprotoInspector = (connection: InspectedConnection): BinaryInspector => new MtprotoInspector(connection);
