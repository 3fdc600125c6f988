// Builds captures, enforces the hook's own size and rate caps, and hands each
// capture to the isolated content script as a synchronous DOM event with a string
// detail (strings cross worlds; window.postMessage would be seen by page listeners).

import type { Channel, Direction } from '../../core/record.ts';
import type { TransportKind } from '../../core/mtproto/types.ts';
import { HOOK_EVENT, LIMITS, type EncryptedCapture, type HookCapture } from '../../shared/messages.ts';
// The same encoders the background decodes with, so both ends agree by construction.
import { toBase64 as bytesToBase64, toHex as bytesToHex } from '../../core/mtproto/bytes.ts';
import { CallNotes, type CallNoteKind } from './call-notes.ts';
import { copyBytes, dateNow, dispatchDetail, jsonStringify, nativeSetTimeout, reflectApply, textSlice } from './natives.ts';

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
  /**
   * The fingerprint of the request this capture is (a sighting) or answers (an error the hook
   * paired with its request), computed only when the capture is sent (request-fingerprint.ts).
   */
  fingerprintOf?: () => string | undefined;
  /** A note of answers that succeeded (kind 'request'): hex of their req_msg_ids (HookCapture.answers). */
  answers?: string;
  /** A note that the connection closed (kind 'request', HookCapture.closed). */
  closed?: true;
  /** A batch of call notes (kind 'request', HookCapture.calls). */
  calls?: string;
}

/**
 * Request sightings (kind 'request') are sent only while this window is open: it opens for
 * SIGHTING_WINDOW_MS (the audit's longest fixed watch, REDIRECT_GIVE_UP_MS) each time the hook
 * reports incoming traffic that can carry an error, and stays open to the end of a flood wait
 * the reported text names, up to SIGHTING_WINDOW_MAX_MS. Error-free pages never open it.
 */
export const SIGHTING_WINDOW_MS = 60_000;
export const SIGHTING_WINDOW_MAX_MS = 86_400_000;

export interface Reporter {
  text(source: CaptureSource, text: string): void;
  /** `bytes` is only read during the call; at most LIMITS.binaryBytes of it are copied. */
  binary(source: CaptureSource, bytes: Uint8Array): void;
  /** `json`: JSON text of a structured-clone value (worker messages), already bounded by the caller. */
  structured(source: CaptureSource, json: string): void;
  /**
   * Whether request sightings are wanted now: false at the cost of one comparison until the
   * hook has reported an error, then for the window (SIGHTING_WINDOW_MS).
   */
  sightingsOpen(): boolean;
  /** A request sighting (kind 'request', no data), in the context budget. Callers check sightingsOpen() first. */
  request(source: CaptureSource): void;
  /**
   * A call the hook named (a JSON request, a worker-boundary call: `q` with its method) or its
   * answer (`k`, or `e` when the answer was reported), or its end without one (`u`: failed or
   * aborted): batched and bounded (call-notes.ts).
   */
  callNote(channel: Channel, conn: string, kind: CallNoteKind, key: string, method?: string): void;
}

export interface ReporterOptions {
  deliver: (detail: string) => void;
  now?: () => number;
  perSecond?: number;
  /** Runs `fn` after `ms` (default: the page's setTimeout, captured before page code). */
  schedule?: (fn: () => void, ms: number) => void;
}

/**
 * What the hook sends when captures it dropped have no later capture to ride on (the flood
 * stopped): `{v: 1, kind: 'drops', hookDropped: n}`, so every drop is counted.
 */
export interface HookDropReport {
  v: 1;
  kind: 'drops';
  hookDropped: number;
}

const pageSetTimeout = nativeSetTimeout;
const defaultSchedule = pageSetTimeout ? (fn: () => void, ms: number) => void pageSetTimeout(fn, ms) : undefined;

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
  if (source.answers !== undefined) capture.answers = source.answers;
  if (source.closed === true) capture.closed = true;
  if (source.calls !== undefined) capture.calls = source.calls;
  // Binary captures are MTProto: the decoder fingerprints their requests itself.
  if (source.fingerprintOf !== undefined && kind !== 'binary') {
    let fingerprint: string | undefined;
    try {
      fingerprint = source.fingerprintOf();
    } catch {
      // the capture goes without it
    }
    if (fingerprint !== undefined) capture.fingerprint = fingerprint;
  }
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
export function isContext(source: { encrypted?: string }, kind?: HookCapture['kind']): boolean {
  return kind === 'request' || source.encrypted === 'prefix' || source.encrypted === 'unknown-key';
}

const regExpExec = RegExp.prototype.exec;
const WAIT_SECONDS = /(?:FLOOD_WAIT|SLOWMODE_WAIT|FLOOD_PREMIUM_WAIT)_(\d{1,6})|"retry_after"\s*:\s*(\d{1,6})/;
const WAIT_SCAN_CHARS = 65_536;

/** How long sightings stay wanted after reporting `data`: the window, or to the end of a wait it names. */
export function sightingWindowFor(data: string): number {
  const head = data.length > WAIT_SCAN_CHARS ? textSlice(data, 0, WAIT_SCAN_CHARS) : data;
  const found = reflectApply(regExpExec, WAIT_SECONDS, [head]) as RegExpExecArray | null;
  if (found === null) return SIGHTING_WINDOW_MS;
  const seconds = +(found[1] ?? found[2]);
  const wait = seconds * 1000 + 1000;
  return wait > SIGHTING_WINDOW_MS ? (wait < SIGHTING_WINDOW_MAX_MS ? wait : SIGHTING_WINDOW_MAX_MS) : SIGHTING_WINDOW_MS;
}

export function createReporter(options: ReporterOptions): Reporter {
  const now = options.now ?? dateNow;
  const perSecond = options.perSecond ?? HOOK_CAPTURES_PER_SECOND;
  const schedule = options.schedule ?? defaultSchedule;
  let dropped = 0;
  let flushArmed = false;
  // Drops ride on the next capture; when none comes within a window after theirs, they are
  // reported on their own (a flood that stops leaves no count behind).
  function armFlush(delay: number): void {
    if (flushArmed || !schedule) return;
    flushArmed = true;
    schedule(() => {
      flushArmed = false;
      if (dropped === 0) return;
      const report: HookDropReport = { v: 1, kind: 'drops', hookDropped: dropped };
      dropped = 0;
      try {
        options.deliver(jsonStringify(report));
      } catch {
        // The hook never throws into page code.
      }
    }, delay);
  }
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
      armFlush(Math.max(0, lane.windowStart + 2000 - at));
      return false;
    }
    lane.sent++;
    return true;
  }

  // Epoch ms until which request sightings are wanted; NEVER until an error is reported.
  const NEVER = -Infinity;
  let sightingsUntil = NEVER;

  // Call notes travel outside the capture budget: they have their own bound and count their drops.
  const callNotes = new CallNotes<Channel>(
    (channel, calls) => options.deliver(jsonStringify(buildCapture({ channel, direction: 'in', url: '', calls }, 'request', '', now()))),
    now,
    undefined,
    schedule,
  );

  function send(source: CaptureSource, kind: HookCapture['kind'], makeData: () => string): void {
    try {
      const at = now();
      const context = isContext(source, kind);
      // What may carry an error goes after the calls noted before it, so its call is in the log
      // first; a connection's close too, so the calls it leaves unanswered are in the log.
      if ((!context && source.direction === 'in') || source.closed === true) callNotes.flush();
      if (!admit(at, lanes[context ? 1 : 0])) return;
      const capture = buildCapture(source, kind, makeData(), at);
      if (dropped > 0) {
        capture.hookDropped = dropped;
        dropped = 0;
      }
      if (!context && source.direction === 'in') {
        const until = at + (kind === 'binary' ? SIGHTING_WINDOW_MS : sightingWindowFor(capture.data));
        if (until > sightingsUntil) sightingsUntil = until;
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
    sightingsOpen() {
      if (sightingsUntil === NEVER) return false;
      try {
        if (now() <= sightingsUntil) return true;
      } catch {
        return false;
      }
      sightingsUntil = NEVER;
      return false;
    },
    request: (source) => send(source, 'request', () => ''),
    callNote: (channel, conn, kind, key, method) => {
      try {
        callNotes.note(channel, conn, kind, key, method);
      } catch {
        // The hook never throws into page code.
      }
    },
  };
}

/** The page's reporter: a synchronous CustomEvent on `document` that the isolated world listens for. */
export function createPageReporter(): Reporter {
  const target = document;
  return createReporter({ deliver: (detail) => dispatchDetail(target, HOOK_EVENT, detail) });
}
