// Builds captures, enforces the hook's own size and rate caps, and hands each
// capture to the isolated content script as a synchronous DOM event with a string
// detail (strings cross worlds; window.postMessage would be seen by page listeners).

import type { Channel, Direction } from '../../core/record.ts';
import type { TransportKind } from '../../core/mtproto/types.ts';
import { HOOK_EVENT, LIMITS, type EncryptedCapture, type HookCapture } from '../../shared/messages.ts';
// The same encoders the background decodes with, so both ends agree by construction.
import { toBase64 as bytesToBase64, toHex as bytesToHex } from '../../core/mtproto/bytes.ts';
import { copyBytes, dateNow, dispatchDetail, jsonStringify, textSlice } from './natives.ts';

/** The page-side cap, below the content script's (LIMITS.perSecond) so the hook drops first and says so. */
export const HOOK_CAPTURES_PER_SECOND = 200;

/** Where a piece of traffic came from; the reporter adds time, kind and data. */
export interface CaptureSource {
  channel: Channel;
  direction: Direction;
  url: string;
  status?: number;
  conn?: string;
  offset?: number;
  /** First bytes the client sent on this connection (at most 64 are reported). */
  clientHead?: Uint8Array;
  /** Head of the binary MTProto request a response answers (HTTP transport; at most 256 bytes are reported). */
  requestHead?: Uint8Array;
  method?: string;
  /** The data is one whole plaintext frame of this MTProto transport. */
  framing?: TransportKind;
  /** The data is an encrypted MTProto message (see HookCapture.encrypted). */
  encrypted?: EncryptedCapture;
  payloadLength?: number;
}

export interface Reporter {
  text(source: CaptureSource, text: string): void;
  /** `bytes` is only read during the call; at most LIMITS.binaryBytes of it are copied. */
  binary(source: CaptureSource, bytes: Uint8Array): void;
  /** `json`: JSON text of a structured-clone value (worker messages), already bounded by the caller. */
  structured(source: CaptureSource, json: string): void;
}

export interface ReporterOptions {
  deliver: (detail: string) => void;
  now?: () => number;
  perSecond?: number;
}

export function buildCapture(source: CaptureSource, kind: HookCapture['kind'], data: string, at: number): HookCapture {
  const capture: HookCapture = {
    v: 1,
    channel: source.channel,
    direction: source.direction,
    url: textSlice(String(source.url), 0, LIMITS.urlChars),
    at,
    kind,
    data,
  };
  if (source.status !== undefined) capture.status = source.status;
  if (source.conn !== undefined) capture.conn = source.conn;
  if (source.offset !== undefined) capture.offset = source.offset;
  if (source.requestHead !== undefined && source.requestHead.length > 0) {
    capture.requestHead = bytesToHex(source.requestHead.length > 256 ? source.requestHead.subarray(0, 256) : source.requestHead);
  }
  if (source.clientHead !== undefined && source.clientHead.length > 0) {
    capture.clientHead = bytesToHex(source.clientHead.length > 64 ? source.clientHead.subarray(0, 64) : source.clientHead);
  }
  if (source.method !== undefined) capture.method = textSlice(source.method, 0, LIMITS.methodChars);
  if (source.framing !== undefined) capture.framing = source.framing;
  if (source.encrypted !== undefined) capture.encrypted = source.encrypted;
  if (source.payloadLength !== undefined) capture.payloadLength = source.payloadLength;
  return capture;
}

export function capText(text: string): string {
  return text.length > LIMITS.textChars ? textSlice(text, 0, LIMITS.textChars) : text;
}

export function capBytesToBase64(bytes: Uint8Array): string {
  // Copy first: the page may detach or rewrite its buffer the moment we return.
  return bytesToBase64(copyBytes(bytes, 0, Math.min(bytes.length, LIMITS.binaryBytes)));
}

/** Captures that only give context to errors (they carry none themselves). */
export function isContext(source: { encrypted?: string }): boolean {
  return source.encrypted === 'prefix' || source.encrypted === 'unknown-key';
}

export function createReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? dateNow;
  const perSecond = options.perSecond ?? HOOK_CAPTURES_PER_SECOND;
  let dropped = 0;
  // Two budgets: what can carry an error, and the context that names it (encrypted request
  // prefixes, unknown-key notes), so a burst of requests never crowds out an error.
  const lanes = [
    { windowStart: -Infinity, sent: 0 },
    { windowStart: -Infinity, sent: 0 },
  ];

  // Fixed one-second window: one comparison per capture, good enough for a flood guard.
  function admit(at: number, lane: { windowStart: number; sent: number }): boolean {
    if (at - lane.windowStart >= 1000 || at < lane.windowStart) {
      lane.windowStart = at;
      lane.sent = 0;
    }
    if (lane.sent >= perSecond) {
      dropped++;
      return false;
    }
    lane.sent++;
    return true;
  }

  function send(source: CaptureSource, kind: HookCapture['kind'], makeData: () => string): void {
    try {
      const at = now();
      if (!admit(at, lanes[isContext(source) ? 1 : 0])) return;
      const capture = buildCapture(source, kind, makeData(), at);
      if (dropped > 0) {
        capture.hookDropped = dropped;
        dropped = 0;
      }
      options.deliver(jsonStringify(capture));
    } catch {
      // The hook never throws into page code.
    }
  }

  return {
    text: (source, text) => send(source, 'text', () => capText(text)),
    binary: (source, bytes) => send(source, 'binary', () => capBytesToBase64(bytes)),
    structured: (source, json) => send(source, 'structured', () => capText(json)),
  };
}

/** The page's reporter: a synchronous CustomEvent on `document` that the isolated world listens for. */
export function createPageReporter(): Reporter {
  const target = document;
  return createReporter({ deliver: (detail) => dispatchDetail(target, HOOK_EVENT, detail) });
}
