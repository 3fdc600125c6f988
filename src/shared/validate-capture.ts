// The page can dispatch anything on our event name (the hook shares the page's world),
// so every capture is checked against the schema and size caps before it leaves the tab.

import { LIMITS, type DropReason, type HookCapture } from './messages.ts';
import { PAGE_FINGERPRINT } from '../core/capture/capture.ts';

const CHANNELS = new Set(['fetch', 'xhr', 'websocket', 'eventsource', 'worker']);
const DIRECTIONS = new Set(['in', 'out']);
const KINDS = new Set(['text', 'binary', 'structured', 'request']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^[0-9a-f]*$/;
const FRAMINGS = new Set(['abridged', 'intermediate', 'padded-intermediate', 'full']);
const ENCRYPTED = new Set(['whole', 'prefix', 'unknown-key']);

/** Captures that only give context to errors (encrypted request prefixes, unknown-key notes, request sightings): their own rate budget. */
export function isContextCapture(capture: HookCapture): boolean {
  return capture.kind === 'request' || capture.encrypted === 'prefix' || capture.encrypted === 'unknown-key';
}

export type ValidationResult = { ok: true; capture: HookCapture } | { ok: false; reason: DropReason };

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const optional = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);

/** Longest answer note: 1024 answers of 24 hex digits (the hook sends batches of 512). */
const MAX_ANSWER_HEX = 1024 * 24;

/** Longest call-note batch: 1024 notes of at most 220 characters (the hook sends batches of 256). */
const MAX_CALL_NOTES_CHARS = 1024 * 220;

export function validateCapture(detail: unknown): ValidationResult {
  if (typeof detail !== 'string') return { ok: false, reason: 'bad-schema' };
  if (detail.length > LIMITS.detailChars) return { ok: false, reason: 'too-large' };
  let value: unknown;
  try {
    value = JSON.parse(detail);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'bad-schema' };
  const c = value as Record<string, unknown>;
  const wellFormed =
    c.v === 1 &&
    CHANNELS.has(c.channel as string) &&
    DIRECTIONS.has(c.direction as string) &&
    typeof c.url === 'string' &&
    isFiniteNumber(c.at) &&
    KINDS.has(c.kind as string) &&
    typeof c.data === 'string' &&
    optional(c.status, (v) => Number.isInteger(v)) &&
    optional(c.conn, (v) => typeof v === 'string' && v.length <= LIMITS.connChars) &&
    optional(c.offset, (v) => Number.isSafeInteger(v) && (v as number) >= 0) &&
    optional(c.clientHead, (v) => typeof v === 'string' && v.length <= 128 && HEX.test(v)) &&
    optional(c.requestHead, (v) => typeof v === 'string' && v.length <= LIMITS.requestHeadBytes * 2 && v.length % 2 === 0 && HEX.test(v)) &&
    optional(c.method, (v) => typeof v === 'string' && v.length <= LIMITS.methodChars) &&
    optional(c.hookDropped, (v) => Number.isSafeInteger(v) && (v as number) >= 0) &&
    optional(c.framing, (v) => FRAMINGS.has(v as string)) &&
    optional(c.encrypted, (v) => ENCRYPTED.has(v as string)) &&
    optional(c.payloadLength, (v) => Number.isSafeInteger(v) && (v as number) >= 0) &&
    optional(c.fingerprint, (v) => typeof v === 'string' && v.length <= 24 && PAGE_FINGERPRINT.test(v)) &&
    (c.encrypted === undefined || c.kind === 'binary') &&
    // Answer notes: hex of 12 bytes per answer (req_msg_id, ms before the note), at most a batch of them, on an incoming note.
    optional(c.answers, (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ANSWER_HEX && v.length % 24 === 0 && HEX.test(v)) &&
    (c.answers === undefined || (c.kind === 'request' && c.direction === 'in')) &&
    // Call notes: short lines of text (src/core/calls/call-notes.ts checks each), on an incoming note.
    optional(c.calls, (v) => typeof v === 'string' && v.length > 0 && v.length <= MAX_CALL_NOTES_CHARS) &&
    (c.calls === undefined || (c.kind === 'request' && c.direction === 'in')) &&
    optional(c.closed, (v) => v === true) &&
    (c.closed === undefined || (c.kind === 'request' && c.direction === 'in' && typeof c.conn === 'string')) &&
    // A request sighting carries no data and goes out; an answer note carries no data and comes in.
    (c.kind !== 'request' ||
      (c.data === '' &&
        (c.direction === 'out' || c.answers !== undefined || c.calls !== undefined || c.closed === true) &&
        c.encrypted === undefined &&
        c.framing === undefined));
  if (!wellFormed) return { ok: false, reason: 'bad-schema' };
  if ((c.url as string).length > LIMITS.urlChars) return { ok: false, reason: 'too-large' };
  const data = c.data as string;
  if (c.kind === 'binary') {
    if (data.length > Math.ceil(LIMITS.binaryBytes / 3) * 4) return { ok: false, reason: 'too-large' };
    if (data.length % 4 !== 0 || !BASE64.test(data)) return { ok: false, reason: 'bad-base64' };
  } else if (data.length > LIMITS.textChars) {
    return { ok: false, reason: 'too-large' };
  }
  // Rebuild from known fields only, so nothing unexpected travels further.
  const capture: HookCapture = {
    v: 1,
    channel: c.channel as HookCapture['channel'],
    direction: c.direction as HookCapture['direction'],
    url: c.url as string,
    at: c.at as number,
    kind: c.kind as HookCapture['kind'],
    data,
  };
  if (c.status !== undefined) capture.status = c.status as number;
  if (c.conn !== undefined) capture.conn = c.conn as string;
  if (c.offset !== undefined) capture.offset = c.offset as number;
  if (c.clientHead !== undefined) capture.clientHead = c.clientHead as string;
  if (c.requestHead !== undefined) capture.requestHead = c.requestHead as string;
  if (c.method !== undefined) capture.method = c.method as string;
  if (c.hookDropped !== undefined) capture.hookDropped = c.hookDropped as number;
  if (c.framing !== undefined) capture.framing = c.framing as HookCapture['framing'];
  if (c.encrypted !== undefined) capture.encrypted = c.encrypted as HookCapture['encrypted'];
  if (c.payloadLength !== undefined) capture.payloadLength = c.payloadLength as number;
  if (c.fingerprint !== undefined) capture.fingerprint = c.fingerprint as string;
  if (c.answers !== undefined) capture.answers = c.answers as string;
  if (c.calls !== undefined) capture.calls = c.calls as string;
  if (c.closed === true) capture.closed = true;
  return { ok: true, capture };
}

/**
 * The count of a hook drop report (`{"v":1,"kind":"drops","hookDropped":n}`: captures the hook
 * dropped with no later capture to carry the count), or null when `detail` is not one.
 */
export function hookDropsOf(detail: unknown): number | null {
  if (typeof detail !== 'string' || detail.length > 100 || !detail.startsWith('{"v":1,"kind":"drops",')) return null;
  try {
    const value = JSON.parse(detail) as Record<string, unknown>;
    const n = value.hookDropped;
    return Number.isSafeInteger(n) && (n as number) >= 0 && Object.keys(value).length === 3 ? (n as number) : null;
  } catch {
    return null;
  }
}

/** Admits at most `perSecond` items in any one-second window (fixed window: cheap, good enough). */
export class RateGate {
  private windowStart = 0;
  private admitted = 0;
  constructor(private readonly perSecond: number) {}
  admit(now: number): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.admitted = 0;
    }
    if (this.admitted >= this.perSecond) return false;
    this.admitted++;
    return true;
  }
}
