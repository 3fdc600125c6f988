// Stateful decoder for one connection (e.g. one WebSocket): two byte streams,
// client->server and server->client. Frame boundaries do not follow message
// boundaries, so each direction buffers a partial frame; the whole state
// saves to JSON-able data so a stopped service worker can resume.

import { concatBytes, fromBase64, fromHex, readInt32LE, readUint32LE, toBase64, toHex } from '../bytes.ts';
import { transportErrorMeaning } from '../tl/constructors.ts';
import type { DecodeLimits } from '../tl/context.ts';
import { crc32 } from './crc32.ts';
import { decodeMtprotoPayload } from '../tl/decode.ts';
import { OBFUSCATION_INIT_LENGTH, parseObfuscationInit, type ObfuscationInit } from './obfuscation.ts';
import { RequestTracker, type DescribeRequest, type SavedRequestTracker } from '../tl/request-tracker.ts';
import { detectTransport, readFrameHeader } from './transports.ts';
import type { AesCtr } from '../crypto/aes.ts';
import { emptyFindings, type DecodedFrame, type MethodNameLookup, type StreamDirection, type TransportKind } from '../types.ts';

export interface StreamDecoderOptions {
  methodName?: MethodNameLookup | null;
  /** Shared tracker (e.g. per tab); when absent the decoder keeps and saves its own. */
  tracker?: RequestTracker | null;
  /** Outgoing requests' parameters and fingerprints, remembered in the tracker. */
  describeRequest?: DescribeRequest | null;
  limits?: Partial<DecodeLimits>;
  /** Declared frame length above which the stream is abandoned (default 16 MB). */
  maxFrameLength?: number;
  /** Largest partial frame kept; bigger frames are decoded from their head and the rest skipped (default 1 MB). */
  maxBuffered?: number;
  /** Skip detection: the stream starts directly with frames of this (non-obfuscated) transport. */
  transport?: TransportKind;
}

export type StreamPhase = 'detect' | 'frames' | 'failed';

export interface StreamStatus {
  phase: StreamPhase;
  transport: TransportKind | null;
  obfuscated: boolean;
  /** DC id from the obfuscation init (negative: media DC); null when unknown. */
  dcId: number | null;
  /** Why the stream was abandoned, when phase is 'failed'. */
  failure: string | null;
  /** Stream position of the next byte, per direction. */
  position: { out: number; in: number };
}

export interface StreamChunkResult {
  frames: DecodedFrame[];
  /** Stream-level problems (detection, oversized frames, resets, malformed input). */
  diagnostics: string[];
}

interface SavedDirection {
  /** Stream offset of the first buffered byte. */
  consumed: number;
  /** Base64 of bytes not yet framed (raw during detection, plaintext after). */
  buffered: string;
  /** Bytes of an oversized frame still to be passed over. */
  skipRemaining: number;
}

export interface SavedStreamDecoder {
  v: 1;
  phase: StreamPhase;
  transport: TransportKind | null;
  /** Hex of the 64-byte obfuscation init; both AES-CTR streams are re-derived from it. */
  obfuscationInit: string | null;
  /** Stream offset where frames begin in the client direction (after the tag or init). */
  framesStart: number;
  failure: string | null;
  maxFrameLength: number;
  maxBuffered: number;
  out: SavedDirection;
  in: SavedDirection;
  /** Present when the decoder owns its tracker. */
  tracker: SavedRequestTracker | null;
}

const DEFAULT_MAX_FRAME = 16 * 1024 * 1024;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;
/** How much of an oversized frame is decoded before the rest is skipped: covers every envelope header. */
const OVERSIZED_HEAD = 4096;
// maxBuffered is kept at or above OVERSIZED_HEAD so an oversized frame's head always fits.
/** Frames with findings keep their bytes for a hex dump up to this size. */
const KEEP_BYTES_MAX = 64 * 1024;
const EMPTY = new Uint8Array(0);

interface DirectionState {
  consumed: number;
  buffered: Uint8Array;
  skipRemaining: number;
}

export class MtprotoStreamDecoder {
  private phase: StreamPhase = 'detect';
  private transport: TransportKind | null = null;
  private obfuscation: ObfuscationInit | null = null;
  private obfuscationInitHex: string | null = null;
  private framesStart = 0;
  private failure: string | null = null;
  private readonly maxFrameLength: number;
  private readonly maxBuffered: number;
  private readonly ownsTracker: boolean;
  private readonly tracker: RequestTracker;
  private readonly describeRequest: DescribeRequest | null;
  private readonly methodName: MethodNameLookup | null;
  private readonly limits: Partial<DecodeLimits> | undefined;
  private readonly dirs: Record<StreamDirection, DirectionState> = {
    out: { consumed: 0, buffered: EMPTY, skipRemaining: 0 },
    in: { consumed: 0, buffered: EMPTY, skipRemaining: 0 },
  };

  constructor(opts: StreamDecoderOptions = {}, tracker?: RequestTracker) {
    this.maxFrameLength = positive(opts.maxFrameLength, DEFAULT_MAX_FRAME);
    this.maxBuffered = Math.max(OVERSIZED_HEAD, positive(opts.maxBuffered, DEFAULT_MAX_BUFFERED));
    this.ownsTracker = !opts.tracker;
    this.tracker = opts.tracker ?? tracker ?? new RequestTracker();
    this.describeRequest = opts.describeRequest ?? null;
    this.methodName = opts.methodName ?? null;
    this.limits = opts.limits;
    if (opts.transport) {
      this.phase = 'frames';
      this.transport = opts.transport;
    }
  }

  status(): StreamStatus {
    return {
      phase: this.phase,
      transport: this.transport,
      obfuscated: this.obfuscation !== null,
      dcId: this.obfuscation?.dcId ?? null,
      failure: this.failure,
      position: { out: this.positionOf('out'), in: this.positionOf('in') },
    };
  }

  /** Feeds the next bytes of one direction (one WebSocket message, or any slice of the stream). */
  push(direction: StreamDirection, bytes: Uint8Array): StreamChunkResult {
    const result: StreamChunkResult = { frames: [], diagnostics: [] };
    try {
      if (direction !== 'out' && direction !== 'in') {
        result.diagnostics.push(`unknown direction ${String(direction)}`);
        return result;
      }
      if (!(bytes instanceof Uint8Array)) {
        result.diagnostics.push('push: bytes must be a Uint8Array');
        return result;
      }
      this.accept(direction, bytes, result);
    } catch (err) {
      this.fail(`internal decoder error: ${err instanceof Error ? err.message : String(err)}`, result);
    }
    return result;
  }

  /**
   * Passes over `byteCount` bytes the caller did not capture (e.g. a large
   * binary WebSocket message), keeping the cipher position right. Assumes the
   * skipped bytes end on a frame boundary, which holds for clients that send
   * one frame per WebSocket message.
   */
  skip(direction: StreamDirection, byteCount: number): StreamChunkResult {
    const result: StreamChunkResult = { frames: [], diagnostics: [] };
    if (!Number.isSafeInteger(byteCount) || byteCount < 0) {
      result.diagnostics.push(`skip: invalid byte count ${byteCount}`);
      return result;
    }
    const d = this.dirs[direction];
    if (!d) {
      result.diagnostics.push(`unknown direction ${String(direction)}`);
      return result;
    }
    if (this.phase === 'failed') {
      d.consumed += byteCount;
      return result;
    }
    if (this.phase === 'detect') {
      this.fail(`skip of ${byteCount} bytes before the transport was detected; stream cannot be followed`, result);
      return result;
    }
    let n = byteCount;
    const fromOversized = Math.min(n, d.skipRemaining);
    d.skipRemaining -= fromOversized;
    d.consumed += fromOversized;
    n -= fromOversized;
    if (n === 0) return result;
    if (d.buffered.length > 0) {
      result.diagnostics.push(`skip: dropped a ${d.buffered.length}-byte partial frame`);
      d.consumed += d.buffered.length;
      d.buffered = EMPTY;
    }
    d.consumed += n;
    return result;
  }

  /** Deobfuscates bytes at a known stream offset without touching the decoder state; null if not obfuscated. */
  decryptAt(direction: StreamDirection, offset: number, bytes: Uint8Array): Uint8Array | null {
    const c = this.cipher(direction);
    if (!c || !Number.isSafeInteger(offset) || offset < 0 || !(bytes instanceof Uint8Array)) return null;
    return c.decryptAt(offset, bytes);
  }

  save(): SavedStreamDecoder {
    const dir = (d: DirectionState): SavedDirection => ({ consumed: d.consumed, buffered: toBase64(d.buffered), skipRemaining: d.skipRemaining });
    return {
      v: 1,
      phase: this.phase,
      transport: this.transport,
      obfuscationInit: this.obfuscationInitHex,
      framesStart: this.framesStart,
      failure: this.failure,
      maxFrameLength: this.maxFrameLength,
      maxBuffered: this.maxBuffered,
      out: dir(this.dirs.out),
      in: dir(this.dirs.in),
      tracker: this.ownsTracker ? this.tracker.save() : null,
    };
  }

  /** Rebuilds a decoder from save(); functions and a shared tracker come from `opts` again. */
  static restore(saved: unknown, opts: StreamDecoderOptions = {}): { decoder: MtprotoStreamDecoder; diagnostics: string[] } {
    const diagnostics: string[] = [];
    const s = saved as Partial<SavedStreamDecoder> | null;
    const base = { ...opts, transport: undefined, maxFrameLength: s?.maxFrameLength ?? opts.maxFrameLength, maxBuffered: s?.maxBuffered ?? opts.maxBuffered };
    const ownTracker = !opts.tracker && s?.tracker ? RequestTracker.restore(s.tracker) : undefined;
    const decoder = new MtprotoStreamDecoder(base, ownTracker);
    if (!s || s.v !== 1 || !s.out || !s.in) {
      diagnostics.push('restore: saved state unreadable; starting a fresh decoder');
      return { decoder, diagnostics };
    }
    try {
      decoder.phase = s.phase === 'frames' || s.phase === 'failed' ? s.phase : 'detect';
      decoder.transport = s.transport ?? null;
      decoder.failure = s.failure ?? null;
      decoder.framesStart = typeof s.framesStart === 'number' ? s.framesStart : 0;
      if (s.obfuscationInit) {
        const init = fromHex(s.obfuscationInit);
        const parsed = init ? parseObfuscationInit(init) : null;
        if (!parsed) throw new Error('obfuscation init does not parse');
        decoder.obfuscation = parsed;
        decoder.obfuscationInitHex = s.obfuscationInit;
      }
      for (const dir of ['out', 'in'] as const) {
        const d = s[dir]!;
        const buffered = fromBase64(d.buffered ?? '');
        if (!buffered || !Number.isSafeInteger(d.consumed) || !Number.isSafeInteger(d.skipRemaining)) throw new Error(`${dir} stream state malformed`);
        decoder.dirs[dir] = { consumed: d.consumed, buffered, skipRemaining: d.skipRemaining };
      }
      if (decoder.phase === 'frames' && !decoder.transport) throw new Error('frames phase without a transport');
    } catch (err) {
      diagnostics.push(`restore: ${err instanceof Error ? err.message : String(err)}; starting a fresh decoder`);
      return { decoder: new MtprotoStreamDecoder(base, ownTracker), diagnostics };
    }
    return { decoder, diagnostics };
  }

  private positionOf(direction: StreamDirection): number {
    const d = this.dirs[direction];
    return d.consumed + d.buffered.length + d.skipRemaining;
  }

  private cipher(direction: StreamDirection): AesCtr | null {
    if (!this.obfuscation) return null;
    return direction === 'out' ? this.obfuscation.clientToServer : this.obfuscation.serverToClient;
  }

  private fail(reason: string, result: StreamChunkResult): void {
    if (this.phase !== 'failed') {
      this.phase = 'failed';
      this.failure = reason;
      result.diagnostics.push(`stream abandoned: ${reason}`);
    }
    for (const d of Object.values(this.dirs)) {
      d.consumed += d.buffered.length + d.skipRemaining;
      d.buffered = EMPTY;
      d.skipRemaining = 0;
    }
  }

  private accept(direction: StreamDirection, bytes: Uint8Array, result: StreamChunkResult): void {
    const d = this.dirs[direction];
    if (this.phase === 'failed') {
      d.consumed += bytes.length;
      return;
    }
    if (this.phase === 'detect') {
      d.buffered = concatBytes(d.buffered, bytes.slice());
      if (d.buffered.length > this.maxBuffered) {
        this.fail(`${d.buffered.length} ${direction} bytes buffered before the transport was detected`, result);
        return;
      }
      if (direction === 'out') this.detect(result);
      return;
    }
    let chunk = bytes;
    if (d.skipRemaining > 0) {
      const passed = Math.min(d.skipRemaining, chunk.length);
      d.skipRemaining -= passed;
      d.consumed += passed;
      chunk = chunk.subarray(passed);
      if (chunk.length === 0) return;
    }
    const c = this.cipher(direction);
    const plain = c ? c.decryptAt(d.consumed + d.buffered.length, chunk) : chunk.slice();
    d.buffered = concatBytes(d.buffered, plain);
    this.drainFrames(direction, result);
  }

  private detect(result: StreamChunkResult): void {
    const out = this.dirs.out;
    const found = detectTransport(out.buffered);
    if (found.kind === 'need-more') return;
    if (found.kind === 'plain') {
      this.transport = found.transport;
      this.framesStart = out.consumed + found.skip;
      out.consumed += found.skip;
      out.buffered = out.buffered.subarray(found.skip);
    } else {
      const init = parseObfuscationInit(out.buffered);
      if (!init) {
        this.fail("the client's first bytes match no transport (not abridged, intermediate, padded, full or obfuscated)", result);
        return;
      }
      this.obfuscation = init;
      this.obfuscationInitHex = toHex(out.buffered, 0, OBFUSCATION_INIT_LENGTH);
      this.transport = init.transport;
      // Frames follow the init; earlier server bytes (there should be none) are plaintext from offset 0.
      const rest = out.buffered.subarray(OBFUSCATION_INIT_LENGTH);
      out.consumed += OBFUSCATION_INIT_LENGTH;
      this.framesStart = out.consumed;
      out.buffered = init.clientToServer.decryptAt(out.consumed, rest);
      const inDir = this.dirs.in;
      inDir.buffered = init.serverToClient.decryptAt(inDir.consumed, inDir.buffered);
    }
    this.phase = 'frames';
    this.drainFrames('out', result);
    if (this.phase === 'frames') this.drainFrames('in', result);
  }

  private drainFrames(direction: StreamDirection, result: StreamChunkResult): void {
    const d = this.dirs[direction];
    const buf = d.buffered;
    const transport = this.transport!;
    let pos = 0;
    while (pos < buf.length) {
      const h = readFrameHeader(transport, direction, buf, pos);
      if (h.kind === 'need-more') break;
      if (h.kind === 'invalid') {
        this.fail(`${direction} stream at offset ${d.consumed + pos}: ${h.reason}`, result);
        return;
      }
      if (h.totalLength > this.maxFrameLength) {
        this.fail(`${direction} frame at offset ${d.consumed + pos} declares ${h.totalLength} bytes, above the ${this.maxFrameLength}-byte cap`, result);
        return;
      }
      const avail = buf.length - pos;
      if (h.totalLength > this.maxBuffered) {
        // Too big to hold: decode its head and pass over the rest. Always only the
        // head, so the result does not depend on how the stream was cut.
        if (avail < OVERSIZED_HEAD) break;
        result.frames.push(this.decodeFrame(direction, buf.subarray(pos, pos + OVERSIZED_HEAD), h, d.consumed + pos, true));
        const taken = Math.min(avail, h.totalLength);
        d.skipRemaining = h.totalLength - taken;
        pos += taken;
        if (d.skipRemaining > 0) break;
        continue;
      }
      if (h.totalLength > avail) break;
      result.frames.push(this.decodeFrame(direction, buf.subarray(pos, pos + h.totalLength), h, d.consumed + pos, false));
      pos += h.totalLength;
    }
    d.consumed += pos;
    // Copy the remainder so a large chunk is not kept alive by a small partial frame.
    d.buffered = pos === 0 ? buf : buf.slice(pos);
  }

  private decodeFrame(
    direction: StreamDirection,
    frame: Uint8Array,
    h: Extract<ReturnType<typeof readFrameHeader>, { kind: 'frame' }>,
    streamOffset: number,
    truncated: boolean,
  ): DecodedFrame {
    const transport = this.transport!;
    const payloadEnd = Math.min(frame.length, h.payloadOffset + h.payloadLength);
    const payload = frame.subarray(Math.min(h.payloadOffset, payloadEnd), payloadEnd);
    let findings = emptyFindings();
    if (h.quickAck) {
      // Nothing to decode: the 4 bytes are an acknowledgement token.
    } else if (transport === 'padded-intermediate' && payload.length >= 4 && payload.length < 24 && readInt32LE(payload, 0) < 0) {
      // No MTProto message is shorter than 24 bytes, so a short padded payload starting negative is an error code.
      const code = readInt32LE(payload, 0);
      findings.transportErrors.push({ code, meaning: transportErrorMeaning(code), byteOffset: h.payloadOffset });
    } else {
      findings = decodeMtprotoPayload(payload, {
        direction,
        methodName: this.methodName,
        tracker: this.tracker,
        describeRequest: this.describeRequest,
        limits: this.limits,
        baseOffset: h.payloadOffset,
      });
    }
    let crcOk: boolean | null = null;
    if (transport === 'full') {
      if (truncated) {
        findings.diagnostics.push('crc32 not checked: frame too large to buffer');
      } else {
        const expected = readUint32LE(frame, frame.length - 4);
        const actual = crc32(frame, 0, frame.length - 4);
        crcOk = expected === actual;
        if (!crcOk) findings.diagnostics.push(`crc32 mismatch: frame says ${hex32(expected)}, bytes give ${hex32(actual)}`);
      }
    }
    if (truncated) findings.diagnostics.push(`frame of ${h.totalLength} bytes exceeds the buffer cap; decoded its first ${frame.length} bytes only`);
    const decoded: DecodedFrame = {
      ...findings,
      direction,
      transport,
      obfuscated: this.obfuscation !== null,
      streamOffset,
      frameLength: h.totalLength,
      payloadOffset: h.payloadOffset,
      payloadLength: h.payloadLength,
      quickAck: h.quickAck,
      crcOk,
      seqNo: h.seqNo,
      truncated,
    };
    const hasFindings = findings.rpcErrors.length + findings.protocolErrors.length + findings.transportErrors.length > 0;
    if (hasFindings && frame.length <= KEEP_BYTES_MAX) decoded.bytes = frame.slice();
    return decoded;
  }
}

function positive(v: number | undefined, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : fallback;
}

function hex32(v: number): string {
  return '0x' + (v >>> 0).toString(16).padStart(8, '0');
}

export function createStreamDecoder(opts: StreamDecoderOptions = {}): MtprotoStreamDecoder {
  return new MtprotoStreamDecoder(opts);
}

export function restoreStreamDecoder(saved: unknown, opts: StreamDecoderOptions = {}): { decoder: MtprotoStreamDecoder; diagnostics: string[] } {
  return MtprotoStreamDecoder.restore(saved, opts);
}
