// A WebSocket seen from outside its JavaScript (chrome.debugger's Network.webSocketFrame*
// events for the sockets of the tab's workers): its whole messages, per direction, turned
// into the same captures the page hook makes for a socket it holds (src/core/capture/capture.ts), so
// the background decodes both with one decoder (decodeCapture: keys, decryption, requests,
// DCs). The pure counterpart of the hook's MtprotoInspector: it follows the transport's
// framing and obfuscation per direction and keeps only what can matter:
//   - unencrypted frames (auth_key_id 0) and transport errors, whole and deobfuscated
//     (`framing` set);
//   - encrypted messages triaged with the keys given (EncryptedTriage: three AES-IGE blocks):
//     whole when they can carry an error, a prefix for requests and answers, nothing else;
//   - the answers without an error triage passed over, as one answer note per message (their
//     req_msg_ids, as the hook's AnswerNotes send them): the call log's `ok`;
//   - one unknown-key capture per connection when no given key matches.
// Only frame headers and the bytes kept are deobfuscated: a 1 MB file part costs a header and
// three AES blocks, never a pass over its bytes.
//
// A socket whose first client bytes were not seen (capture started after it opened) cannot be
// read: the obfuscation keys are in the 64-byte init the client sends first. Such a socket is
// reported `unreadable`, unless the first client message seen is itself a transport start
// (an init or a 4-byte tag: the socket opened before capture but had sent nothing yet).

import type { HookCapture } from '../../capture/capture.ts';
import type { Direction } from '../../record.ts';
import type { AesCtr } from '../crypto/aes.ts';
import { decodeBase64 } from '../base64-fast.ts';
import { toBase64 } from '../bytes.ts';
import { TRIAGE_BYTES, TRIAGE_PREFIX, TRIAGE_UNKNOWN_KEY, TRIAGE_WHOLE, type EncryptedTriage } from '../decrypt/encrypted-triage.ts';
import { OBFUSCATION_INIT_LENGTH, parseObfuscationInit } from './obfuscation.ts';
import { detectTransport, readFrameHeader } from './transports.ts';
import type { TransportKind } from '../types.ts';

/** A declared frame length above this means the framing is lost. */
const MAX_FRAME = 16 * 1024 * 1024;
/** Unencrypted frames above this are not kept (key exchange and errors are small). */
const MAX_KEPT_PLAIN = 256 * 1024;
/** auth_key_id (8) + msg_key (16): no encrypted message is shorter. */
const MIN_ENCRYPTED = 24;
/** Text messages larger than this are not scanned (as the content script's cap). */
const MAX_TEXT = 1_000_000;

export type SocketReadability =
  /** No client byte yet. */
  | 'waiting'
  | 'reading'
  /** Not MTProto (or not a transport we know): binary messages are ignored, text is scanned. */
  | 'not-mtproto'
  /** Its first client bytes were missed (or its framing was lost): nothing binary can be read. */
  | 'unreadable';

export interface SocketReaderOptions {
  url: string;
  /** Connection id for the captures (unique per socket within the tab). */
  conn: string;
  /** True when the socket's creation was seen: its first message is the stream's start. */
  fromStart: boolean;
  /** The triage armed with the keys given for the page's origin (null or unarmed: none). */
  triage?: () => EncryptedTriage | null;
}

export interface SocketReaderStatus {
  readability: SocketReadability;
  /** Why `unreadable` or `not-mtproto`, in words. */
  reason: string | null;
  transport: TransportKind | null;
  obfuscated: boolean;
  /** DC from the obfuscation init (negative: media), null when unknown. */
  dc: number | null;
  messages: number;
  bytes: number;
}

const UNDECIDED = 0;
const PLAIN = 1;
const WHOLE = 2;
const PREFIX = 3;
const SKIP = 4;

interface DirectionState {
  /** Stream offset of the next byte. */
  offset: number;
  hdr: Uint8Array;
  hdrFilled: number;
  hdrNeeded: number;
  inFrame: boolean;
  frameStart: number;
  frameEnd: number;
  headerLength: number;
  payloadLength: number;
  /** Plaintext of the payload's first bytes (up to TRIAGE_BYTES), while undecided. */
  head: Uint8Array;
  headFilled: number;
  decision: number;
  /** Kept plaintext (a plain frame whole, or an encrypted payload or its prefix). */
  kept: Uint8Array | null;
  /** Stream offset of kept[0]. */
  keptFrom: number;
  keptFilled: number;
}

const newDirection = (): DirectionState => ({
  offset: 0,
  hdr: new Uint8Array(8),
  hdrFilled: 0,
  hdrNeeded: 0,
  inFrame: false,
  frameStart: 0,
  frameEnd: 0,
  headerLength: 0,
  payloadLength: 0,
  head: new Uint8Array(TRIAGE_BYTES),
  headFilled: 0,
  decision: UNDECIDED,
  kept: null,
  keptFrom: 0,
  keptFilled: 0,
});

/** Cheap test for text that can hold an API error (the hook's text prefilter, in core). */
export function mayHoldErrorText(text: string): boolean {
  if (text.indexOf('error') === -1) return false;
  return (
    text.includes('error_code') ||
    text.includes('rpc_error') ||
    text.includes('errorMessage') ||
    /"@type"\s*:\s*"error"/.test(text) ||
    /"ok"\s*:\s*false/.test(text)
  );
}

export class SocketUnitReader {
  private readability: SocketReadability = 'waiting';
  private reason: string | null = null;
  private transport: TransportKind | null = null;
  private outCipher: AesCtr | null = null;
  private inCipher: AesCtr | null = null;
  private dc: number | null = null;
  /** Stream offset where frames begin in the client direction. */
  private outStart = 0;
  /** The client's first bytes (at most 64), for detection and the captures' clientHead. */
  private clientHead = new Uint8Array(0);
  private clientHeadHex: string | undefined;
  private readonly out = newDirection();
  private readonly in = newDirection();
  private unknownKeyReported = false;
  private messages = 0;
  private bytes = 0;
  private captures: HookCapture[] = [];
  private at = 0;
  /**
   * The answers without an error triage passed over in the current message: per answer 24 hex
   * digits, its req_msg_id and 0 ms before the note (the answer-note format the hook sends), for
   * the call log's `ok`. Sent as one note after the message's other captures.
   */
  private answers = '';
  /** Encrypted requests or answers were handed on: its close settles calls (see closed()). */
  private carriedCalls = false;

  constructor(private readonly options: SocketReaderOptions) {}

  status(): SocketReaderStatus {
    return {
      readability: this.readability,
      reason: this.reason,
      transport: this.transport,
      obfuscated: this.outCipher !== null,
      dc: this.dc,
      messages: this.messages,
      bytes: this.bytes,
    };
  }

  /**
   * One whole WebSocket message as chrome.debugger reports it: opcode 1 (text) or 2 (binary,
   * `payload` in base64). Returns the captures it yields, in stream order.
   */
  message(direction: Direction, opcode: number, payload: string, at: number): HookCapture[] {
    this.messages++;
    if (opcode === 1) {
      this.bytes += payload.length;
      return this.text(direction, payload, at);
    }
    if (opcode !== 2) return [];
    const bytes = decodeBase64(payload);
    if (!bytes) return [];
    return this.binary(direction, bytes, at);
  }

  text(direction: Direction, text: string, at: number): HookCapture[] {
    if (text.length > MAX_TEXT || !mayHoldErrorText(text)) return [];
    return [{ v: 1, channel: 'websocket', direction, url: this.options.url, at, kind: 'text', data: text, conn: this.options.conn }];
  }

  binary(direction: Direction, bytes: Uint8Array, at: number): HookCapture[] {
    this.bytes += bytes.length;
    this.captures = [];
    this.at = at;
    const state = direction === 'out' ? this.out : this.in;
    const offset = state.offset;
    state.offset += bytes.length;
    if (this.readability === 'waiting') {
      if (direction === 'in') {
        this.stop(
          this.options.fromStart ? 'not-mtproto' : 'unreadable',
          this.options.fromStart ? 'the server spoke first (not MTProto)' : 'capture started after this connection opened: its first bytes were missed',
        );
        return [];
      }
      this.detect(bytes, offset);
      return this.take();
    }
    if (this.readability !== 'reading') return [];
    this.frames(direction, state, bytes, offset);
    return this.take();
  }

  /**
   * The socket closed (Network.webSocketClosed): the note the hook sends on its own sockets'
   * close, so the call log settles this connection's waiting calls as `unanswered` at once
   * rather than after 60 s. Nothing when no call went through it (nothing to settle).
   */
  closed(at: number): HookCapture[] {
    if (!this.carriedCalls) return [];
    return [{ v: 1, channel: 'websocket', direction: 'in', url: this.options.url, at, kind: 'request', data: '', conn: this.options.conn, closed: true }];
  }

  private take(): HookCapture[] {
    if (this.answers !== '') {
      const conn = this.options.conn;
      this.captures.push({
        v: 1,
        channel: 'websocket',
        direction: 'in',
        url: this.options.url,
        at: this.at,
        kind: 'request',
        data: '',
        conn,
        answers: this.answers,
      });
      this.answers = '';
    }
    const out = this.captures;
    this.captures = [];
    return out;
  }

  private stop(readability: 'not-mtproto' | 'unreadable', reason: string): void {
    this.readability = readability;
    this.reason = reason;
  }

  private detect(bytes: Uint8Array, offset: number): void {
    if (offset < OBFUSCATION_INIT_LENGTH) {
      const head = new Uint8Array(Math.min(OBFUSCATION_INIT_LENGTH, offset + bytes.length));
      head.set(this.clientHead.subarray(0, Math.min(this.clientHead.length, head.length)));
      head.set(bytes.subarray(0, head.length - offset), offset);
      this.clientHead = head;
    }
    const head = this.clientHead;
    const found = detectTransport(head);
    const missed = 'capture started after this connection opened: its first bytes were missed';
    if (found.kind === 'need-more') {
      if (!this.options.fromStart) this.stop('unreadable', missed);
      return;
    }
    let start: number;
    if (found.kind === 'plain') {
      // A 4-byte tag cannot be a frame in mid-stream; a lone 0xef or a full-transport frame can.
      if (!this.options.fromStart && found.transport !== 'intermediate' && found.transport !== 'padded-intermediate') return this.stop('unreadable', missed);
      this.transport = found.transport;
      start = found.skip;
    } else {
      const init = parseObfuscationInit(head);
      if (!init)
        return this.stop(
          this.options.fromStart ? 'not-mtproto' : 'unreadable',
          this.options.fromStart ? "the client's first bytes match no MTProto transport" : missed,
        );
      this.transport = init.transport;
      this.outCipher = init.clientToServer;
      this.inCipher = init.serverToClient;
      this.dc = init.dcId;
      start = OBFUSCATION_INIT_LENGTH;
    }
    this.clientHeadHex = toHexString(head);
    this.outStart = start;
    this.readability = 'reading';
    // The client bytes after the tag or init, already received, are the first frames.
    const end = offset + bytes.length;
    if (end > start) {
      const from = Math.max(0, start - offset);
      this.frames('out', this.out, bytes.subarray(from), offset + from, true);
    }
  }

  private frames(direction: Direction, state: DirectionState, bytes: Uint8Array, offset: number, replay = false): void {
    if (!replay && direction === 'out' && offset < this.outStart) {
      const skip = Math.min(bytes.length, this.outStart - offset);
      bytes = bytes.subarray(skip);
      offset += skip;
    }
    const cipher = direction === 'out' ? this.outCipher : this.inCipher;
    const length = bytes.length;
    let i = 0;
    while (i < length && this.readability === 'reading') {
      const pos = offset + i;
      if (!state.inFrame) {
        i += this.header(direction, state, cipher, bytes, i, pos);
        continue;
      }
      const take = Math.min(state.frameEnd - pos, length - i);
      if (state.decision === UNDECIDED) {
        // The header is read, so `pos` is in the payload: its first bytes decide the frame.
        const needed = Math.min(state.payloadLength, TRIAGE_BYTES);
        const want = Math.min(take, needed - state.headFilled);
        plainInto(cipher, pos, bytes, i, want, state.head, state.headFilled);
        state.headFilled += want;
        i += want;
        if (state.headFilled === needed) this.decide(direction, state);
        if (offset + i >= state.frameEnd) this.endFrame(direction, state);
        continue;
      }
      if (state.kept !== null) {
        const keptEnd = state.keptFrom + state.kept.length;
        const from = Math.max(pos, state.keptFrom + state.keptFilled);
        const to = Math.min(pos + take, keptEnd);
        if (to > from) {
          plainInto(cipher, from, bytes, i + (from - pos), to - from, state.kept, from - state.keptFrom);
          state.keptFilled = to - state.keptFrom;
        }
        if (state.decision === PREFIX && state.keptFilled === state.kept.length) {
          this.emitEncrypted(direction, state, 'prefix');
          state.decision = SKIP;
          state.kept = null;
        }
      }
      i += take;
      if (offset + i >= state.frameEnd) this.endFrame(direction, state);
    }
  }

  /** Reads header bytes at bytes[i]; returns how many it took. */
  private header(direction: Direction, state: DirectionState, cipher: AesCtr | null, bytes: Uint8Array, i: number, pos: number): number {
    if (state.hdrFilled === 0) {
      state.frameStart = pos;
      state.hdrNeeded = this.transport === 'full' ? 8 : this.transport === 'abridged' ? 1 : 4;
    }
    let took = 0;
    while (state.hdrFilled < state.hdrNeeded && i + took < bytes.length) {
      plainInto(cipher, pos + took, bytes, i + took, 1, state.hdr, state.hdrFilled);
      state.hdrFilled++;
      took++;
      if (this.transport === 'abridged' && state.hdrFilled === 1) {
        const b0 = state.hdr[0];
        if ((b0 & 0x7f) === 0x7f || (direction === 'in' && b0 & 0x80)) state.hdrNeeded = 4;
      }
    }
    if (state.hdrFilled < state.hdrNeeded) return took;
    const h = readFrameHeader(this.transport!, direction, state.hdr.subarray(0, state.hdrFilled), 0);
    state.hdrFilled = 0;
    if (h.kind !== 'frame' || h.totalLength > MAX_FRAME) {
      this.stop('unreadable', `the ${direction === 'out' ? 'client' : 'server'} stream lost its framing at offset ${state.frameStart}`);
      return took;
    }
    state.headerLength = h.quickAck ? h.totalLength : h.payloadOffset;
    state.payloadLength = h.payloadLength;
    state.frameEnd = state.frameStart + h.totalLength;
    state.headFilled = 0;
    state.kept = null;
    state.decision = UNDECIDED;
    if (h.payloadLength === 0 || state.frameEnd === pos + took) {
      state.inFrame = false;
      return took;
    }
    state.inFrame = true;
    return took;
  }

  private decide(direction: Direction, state: DirectionState): void {
    const head = state.head;
    const frameLength = state.frameEnd - state.frameStart;
    const payloadStart = state.frameStart + state.headerLength;
    const zeroKey = state.payloadLength >= 8 && (head[0] | head[1] | head[2] | head[3] | head[4] | head[5] | head[6] | head[7]) === 0;
    if (state.payloadLength < MIN_ENCRYPTED || zeroKey) {
      if (frameLength > MAX_KEPT_PLAIN) {
        state.decision = SKIP;
        return;
      }
      // The whole frame, header included, as the hook reports a plain frame.
      const kept = new Uint8Array(frameLength);
      kept.set(state.hdr.subarray(0, state.headerLength), 0);
      kept.set(head.subarray(0, state.headFilled), state.headerLength);
      state.kept = kept;
      state.keptFrom = state.frameStart;
      state.keptFilled = state.headerLength + state.headFilled;
      state.decision = PLAIN;
      return;
    }
    const triage = this.options.triage?.() ?? null;
    let verdict = TRIAGE_UNKNOWN_KEY;
    if (triage?.armed) {
      try {
        verdict = triage.triage(direction === 'in', head, 0, state.headFilled, state.payloadLength);
        if (triage.answered) {
          this.answers += hex8(triage.answerHi) + hex8(triage.answerLo) + '00000000';
          this.carriedCalls = true;
        }
      } catch {
        verdict = 0;
      }
    }
    if (verdict === TRIAGE_WHOLE || verdict === TRIAGE_PREFIX) {
      const length = verdict === TRIAGE_WHOLE ? state.payloadLength : triage!.prefixLength(direction === 'in', state.payloadLength);
      const kept = new Uint8Array(length);
      const have = Math.min(state.headFilled, length);
      kept.set(head.subarray(0, have), 0);
      state.kept = kept;
      state.keptFrom = payloadStart;
      state.keptFilled = have;
      state.decision = verdict === TRIAGE_WHOLE ? WHOLE : PREFIX;
      if (state.decision === PREFIX && have === length) {
        this.emitEncrypted(direction, state, 'prefix');
        state.decision = SKIP;
        state.kept = null;
      }
      return;
    }
    state.decision = SKIP;
    if (verdict === TRIAGE_UNKNOWN_KEY && !this.unknownKeyReported) {
      this.unknownKeyReported = true;
      this.push(direction, head.slice(0, 8), payloadStart, { encrypted: 'unknown-key', payloadLength: state.payloadLength });
    }
  }

  private endFrame(direction: Direction, state: DirectionState): void {
    if (state.decision === PLAIN && state.kept) this.push(direction, state.kept, state.frameStart, {});
    else if (state.decision === WHOLE && state.kept) this.emitEncrypted(direction, state, 'whole');
    state.inFrame = false;
    state.kept = null;
    state.decision = UNDECIDED;
  }

  private emitEncrypted(direction: Direction, state: DirectionState, kind: 'whole' | 'prefix'): void {
    this.carriedCalls = true;
    this.push(direction, state.kept!, state.keptFrom, { encrypted: kind, payloadLength: state.payloadLength });
  }

  private push(direction: Direction, data: Uint8Array, offset: number, extra: Pick<HookCapture, 'encrypted' | 'payloadLength'>): void {
    const capture: HookCapture = {
      v: 1,
      channel: 'websocket',
      direction,
      url: this.options.url,
      at: this.at,
      kind: 'binary',
      data: toBase64(data),
      conn: this.options.conn,
      offset,
      framing: this.transport!,
      ...extra,
    };
    if (this.clientHeadHex) capture.clientHead = this.clientHeadHex;
    this.captures.push(capture);
  }
}

/** 32 bits as 8 hex digits. */
function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function toHexString(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return out;
}

/** Plaintext of source[from, from + count) (at stream offset `streamOffset`) into target[at..]. */
function plainInto(cipher: AesCtr | null, streamOffset: number, source: Uint8Array, from: number, count: number, target: Uint8Array, at: number): void {
  if (count <= 0) return;
  if (cipher !== null) cipher.xorRange(streamOffset, source, from, count, target, at);
  else target.set(source.subarray(from, from + count), at);
}
