// Turns one validated capture into classified records. Pure (no extension API), so the
// whole decode path is unit-tested with the same captures the hook produces.

import { readCallNotes, type CallNotesRead } from './call-notes.ts';
import type { HookCapture } from './capture.ts';
import type { Dialect, ErrorRecord, Evidence } from '../record.ts';
import { classifyRpcError, type CaptureContext } from '../errors/classify.ts';
import { findErrors, findErrorsInText, type FoundError } from '../dialects/dialects.ts';
import type { NotApiReason } from '../dialects/worker-dialects.ts';
import { botApiMethodFromUrl, dcFromUrl } from './dc-from-url.ts';
import { maskSecrets } from './mask-secrets.ts';
import { methodNameById } from '../errors/method-names.ts';
import { decodeMtprotoPayload } from '../mtproto/tl/decode.ts';
import { createStreamDecoder } from '../mtproto/transport/stream-decoder.ts';
import { detectTransport } from '../mtproto/transport/transports.ts';
import { parseObfuscationInit } from '../mtproto/transport/obfuscation.ts';
import { RequestTracker, type DescribeRequest, type SavedRequestTracker } from '../mtproto/tl/request-tracker.ts';
import { createRequestDescriber } from '../params/describe-request.ts';
import { protocolErrorRecord, transportErrorRecord } from '../errors/service-errors.ts';
import { rememberHttpRequest } from './http-request-head.ts';
import type { DecodeFindings, RpcErrorFound } from '../mtproto/types.ts';
import type { KeyLookup } from '../keys/key-ring.ts';
import { decodeEncryptedCapture, type EncryptedOutcome } from './decode-encrypted.ts';
import { fromBase64, fromHex, toBase64, toHex } from '../mtproto/bytes.ts';

export type { NewRecord } from '../record.ts';
import type { NewRecord } from '../record.ts';

/**
 * An outgoing request for the handling audit: an MTProto request the decoder read (plaintext
 * frames, /apiw1 request heads, decrypted messages and request prefixes), or a request the
 * hook sighted (kind 'request': JSON bodies, WebSocket text, worker calls).
 */
export interface RequestSeen {
  msgId: string | null;
  /** Innermost method, wrappers removed; service calls by their name ('ping'); null when unknown. */
  method: string | null;
  dc: number | null;
  /** The tracker's salted digest of its params (random_id aside), or the hook's fingerprint; null when unknown. */
  fingerprint: string | null;
  /** 16 hex digits of the auth key it was sent under, when known (encrypted messages). */
  authKeyId: string | null;
  /** Epoch ms: the capture's time. */
  at: number;
}

/** An answer that succeeded: the req_msg_id it answers, and when it came. */
export interface AnswerSeen {
  reqMsgId: string;
  /** Epoch ms. */
  at: number;
}

export interface DecodedCapture {
  records: NewRecord[];
  diagnostics: string[];
  /** Requests the capture carried, in order (absent when none). */
  requests?: RequestSeen[];
  /** The rpc_results without an error the capture carried or noted (the call log's `ok`); absent when none. */
  answers?: AnswerSeen[];
  /** The capture's connection closed (the call log's `unanswered`). */
  closed?: true;
  /** A batch of call notes: JSON requests and worker-boundary calls, and their answers. */
  callNotes?: CallNotesRead;
  /** For an encrypted MTProto capture: whether it decrypted, or the key it needs. */
  encrypted?: EncryptedOutcome;
  /** Error-shaped things the capture held that are not API errors, by reason (not listed). */
  notApi?: Partial<Record<NotApiReason, number>>;
}

/**
 * Frame bytes kept as evidence, so the panel can show a hex dump around the error. Kept
 * small: every record lives in session storage (10 MB for the whole extension).
 */
const EVIDENCE_BYTES = 256;

function withoutId(record: ErrorRecord): NewRecord {
  const { id: _id, ...rest } = record;
  return rest;
}

function contextOf(capture: HookCapture): CaptureContext {
  const dc = dcFromUrl(capture.url);
  return {
    capturedAt: capture.at,
    channel: capture.channel,
    direction: capture.direction,
    url: maskSecrets(capture.url),
    method: capture.method ?? botApiMethodFromUrl(capture.url),
    dc: dc?.dc ?? null,
    evidence: null,
  };
}

function decodeJsonCapture(capture: HookCapture, parse: 'text' | 'structured'): DecodedCapture {
  const scan = parse === 'text' ? findErrorsInText(capture.data) : structuredScan(capture.data);
  const base = contextOf(capture);
  const records = scan.errors.map((found) => {
    // The paired call (capture.method) is the client's own call when the error names the Telegram method.
    const call = found.method ?? base.method;
    const method = found.errorMethod ?? call;
    return withoutId(
      classifyRpcError(
        {
          code: found.code,
          message: found.message,
          dialect: found.dialect as Dialect,
          retryAfter: found.retryAfter,
          name: found.name,
          codeFromClass: found.codeFromClass,
          note: found.note,
        },
        { ...base, method, clientCall: found.errorMethod !== undefined ? call : null, evidence: { kind: 'json', excerpt: found.excerpt } },
        0,
      ),
    );
  });
  // The hook paired the error with its request: the fingerprint of that request's input.
  if (capture.fingerprint !== undefined) for (const r of records) r.request = { params: undefined, fingerprint: capture.fingerprint };
  const decoded: DecodedCapture = { records, diagnostics: scan.diagnostics };
  if (scan.notApi !== undefined && Object.keys(scan.notApi).length > 0) decoded.notApi = scan.notApi;
  return decoded;
}

function structuredScan(data: string): { errors: FoundError[]; diagnostics: string[]; notApi?: Partial<Record<NotApiReason, number>> } {
  try {
    const result = findErrors(JSON.parse(data));
    return { errors: result.errors, notApi: result.notApi, diagnostics: result.truncated ? ['structured message too large: scan truncated'] : [] };
  } catch {
    return { errors: [], diagnostics: ['structured message is not JSON'] };
  }
}

/** A window of at most EVIDENCE_BYTES around the error, with the error's bytes marked. */
function bytesEvidence(frame: Uint8Array, error: Pick<RpcErrorFound, 'byteOffset' | 'byteLength' | 'path'>, onlyMarked = false): Evidence {
  const start = Math.max(0, Math.min(error.byteOffset, frame.length));
  const from = onlyMarked ? start : Math.max(0, Math.min(start - 32, frame.length - EVIDENCE_BYTES));
  const to = Math.min(frame.length, from + (onlyMarked ? Math.min(error.byteLength, EVIDENCE_BYTES) : EVIDENCE_BYTES));
  return {
    kind: 'bytes',
    hex: toHex(frame, from, to),
    markStart: start - from,
    markLength: Math.max(0, Math.min(error.byteLength, to - start)),
    path: error.path,
    truncated: from > 0 || to < frame.length,
  };
}

/**
 * `decrypted`: the bytes are a decrypted message, whose neighbours of the error (other messages
 * of a container: updates, texts, codes) are the user's: its evidence keeps the error object only.
 */
export function findingsToRecords(
  findings: DecodeFindings,
  frameBytes: Uint8Array,
  capture: HookCapture,
  dc: number | null,
  tracker: RequestTracker | null = null,
  decrypted = false,
): NewRecord[] {
  const base = { ...contextOf(capture), dc: dcFromUrl(capture.url)?.dc ?? dc };
  // Records in the order their objects stand in the frame.
  const found: [number, NewRecord][] = [];
  for (const error of findings.rpcErrors) {
    const record = classifyRpcError(
      { code: error.code, message: error.message, dialect: 'mtproto' },
      { ...base, method: error.method ?? base.method, evidence: bytesEvidence(frameBytes, error, decrypted) },
      0,
    );
    const request = requestOf(tracker, error.reqMsgId);
    const withRequest: ErrorRecord = request ? { ...record, request } : record;
    found.push([error.byteOffset, withoutId(error.reqMsgId !== null ? { ...withRequest, reqMsgId: error.reqMsgId } : withRequest)]);
  }
  for (const error of findings.protocolErrors) {
    const record = protocolErrorRecord(error, base, bytesEvidence(frameBytes, error, decrypted));
    const request = requestOf(tracker, error.badMsgId);
    found.push([error.byteOffset, { ...record, ...(request ? { request } : {}), reqMsgId: error.badMsgId }]);
  }
  for (const error of findings.transportErrors) {
    const evidence = bytesEvidence(frameBytes, { byteOffset: error.byteOffset, byteLength: 4, path: ['transport error'] }, decrypted);
    found.push([error.byteOffset, transportErrorRecord(error.code, error.meaning, base, evidence)]);
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, record]) => record);
}

/** The requests of decoded findings, with the fingerprints the tracker kept for them. */
export function requestsSeen(
  findings: DecodeFindings,
  tracker: RequestTracker | null,
  dc: number | null,
  at: number,
  authKeyId: string | null = null,
): RequestSeen[] {
  const out: RequestSeen[] = [];
  for (const r of findings.requests) {
    out.push({
      msgId: r.msgId,
      method: r.method,
      dc,
      fingerprint: tracker?.lookup(r.msgId)?.fingerprint ?? null,
      authKeyId: authKeyId ?? findings.envelope?.authKeyId ?? null,
      at,
    });
  }
  return out;
}

/** An answer note's answers: req_msg_id (decimal) and when it came (epoch ms), from 24 hex digits each. */
export function answersOfNote(hex: string, noteAt: number): AnswerSeen[] {
  const out: AnswerSeen[] = [];
  for (let i = 0; i + 24 <= hex.length; i += 24) {
    out.push({ reqMsgId: BigInt(`0x${hex.slice(i, i + 16)}`).toString(), at: noteAt - parseInt(hex.slice(i + 16, i + 24), 16) });
  }
  return out;
}

/** req_msg_ids of the successful rpc_results among decoded findings. */
export function answersSeen(findings: DecodeFindings, at: number): AnswerSeen[] {
  const out: AnswerSeen[] = [];
  for (const o of findings.objects) if (o.name === 'rpc_result' && o.reqMsgId !== undefined) out.push({ reqMsgId: o.reqMsgId, at });
  return out;
}

/** The failing request's parameters (masked) and fingerprint, when the tracker kept them. */
function requestOf(tracker: RequestTracker | null, reqMsgId: string | null): ErrorRecord['request'] | null {
  const tracked = tracker?.lookup(reqMsgId) ?? null;
  if (!tracked || tracked.params === undefined) return null;
  let params: unknown;
  try {
    params = JSON.parse(tracked.params);
  } catch {
    return null;
  }
  return { params, fingerprint: tracked.fingerprint ?? null };
}

/** DC from the obfuscation init the client sent (bytes 60..61 of the decrypted init). */
export function dcFromClientHead(capture: HookCapture): number | null {
  const head = capture.clientHead ? fromHex(capture.clientHead) : null;
  if (!head || head.length < 64) return null;
  const dc = parseObfuscationInit(head)?.dcId ?? null;
  return dc === null ? null : Math.abs(dc);
}

/** One plaintext transport frame, or one HTTP transport body, decoded with the connection's tracker. */
function decodeBinaryCapture(capture: HookCapture, session: CaptureSession): DecodedCapture {
  const bytes = fromBase64(capture.data);
  if (!bytes) return { records: [], diagnostics: ['binary capture is not base64'] };
  const tracker = session.trackerFor(capture.conn ?? capture.url);
  const dc = dcFromUrl(capture.url)?.dc ?? dcFromClientHead(capture);
  const withDc = { ...capture };
  let units: { findings: DecodeFindings; bytes: Uint8Array }[];
  const diagnostics: string[] = [];
  const requests: RequestSeen[] = [];
  if (capture.framing) {
    const decoder = createStreamDecoder({ methodName: methodNameById, transport: capture.framing, tracker, describeRequest: session.describeRequest });
    const result = decoder.push(capture.direction, bytes);
    diagnostics.push(...result.diagnostics);
    units = result.frames.map((frame) => ({ findings: frame, bytes: frame.bytes ?? bytes }));
  } else if (capture.channel === 'websocket') {
    // The hook could not follow this stream's framing: take the message as frames of the
    // client's plain transport, if it announced one (web clients send a frame per message).
    const head = capture.clientHead ? fromHex(capture.clientHead) : null;
    const detected = head ? detectTransport(head) : null;
    if (!detected || detected.kind !== 'plain') {
      return { records: [], diagnostics: ['websocket binary message: transport unknown (not decoded)'] };
    }
    const startsWithTag = capture.direction === 'out' && (capture.offset ?? 0) === 0;
    const decoder = createStreamDecoder({
      methodName: methodNameById,
      transport: startsWithTag ? undefined : detected.transport,
      tracker,
      describeRequest: session.describeRequest,
    });
    const result = decoder.push(capture.direction, bytes);
    diagnostics.push(...result.diagnostics);
    units = result.frames.map((frame) => ({ findings: frame, bytes: frame.bytes ?? bytes }));
  } else {
    // HTTP transport: one message per body, no framing. The request it answers, when the hook
    // kept its head, goes into the tracker first so the answer names its method.
    const request = capture.requestHead ? fromHex(capture.requestHead) : null;
    if (request) {
      for (const r of rememberHttpRequest(request, tracker, methodNameById, session.describeRequest)) {
        requests.push({ ...r, dc, fingerprint: tracker.lookup(r.msgId)?.fingerprint ?? null, authKeyId: null, at: capture.at });
      }
    }
    units = [
      {
        findings: decodeMtprotoPayload(bytes, { direction: capture.direction, methodName: methodNameById, tracker, describeRequest: session.describeRequest }),
        bytes,
      },
    ];
  }
  const records: NewRecord[] = [];
  const answers: AnswerSeen[] = [];
  for (const unit of units) {
    records.push(...findingsToRecords(unit.findings, unit.bytes, withDc, dc, tracker));
    requests.push(...requestsSeen(unit.findings, tracker, dc, capture.at));
    answers.push(...answersSeen(unit.findings, capture.at));
    diagnostics.push(...unit.findings.diagnostics);
  }
  const out: DecodedCapture = requests.length > 0 ? { records, diagnostics, requests } : { records, diagnostics };
  if (answers.length > 0) out.answers = answers;
  return out;
}

/**
 * A request sighting from the hook (JSON bodies, WebSocket text, worker calls): the method the
 * hook named (or the Bot API method in the URL), the DC when the URL names one, the hook's
 * fingerprint. No msg_id: these requests are paired with their errors in the page.
 */
function requestSighted(capture: HookCapture): RequestSeen {
  return {
    msgId: null,
    method: capture.method ?? botApiMethodFromUrl(capture.url),
    dc: dcFromUrl(capture.url)?.dc ?? null,
    fingerprint: capture.fingerprint ?? null,
    authKeyId: null,
    at: capture.at,
  };
}

/** What a CaptureSession keeps across a stopped service worker (see CaptureSession.save). */
export interface SavedCaptureSession {
  v: 1;
  /** Per connection, least recently used first: its requests for pairing, its verified session_ids. */
  connections: Array<{ connection: string; requests: SavedRequestTracker | null; sessionIds: string[] }>;
}

/** The snapshot's caps: a restarted worker needs the requests still awaiting an answer, not the whole history. */
export const SAVED_SESSION_LIMITS = {
  /** The most recently used connections. */
  connections: 8,
  /** The newest requests of each. */
  requestsPerConnection: 128,
  /** Longer masked parameters are left out of the snapshot (the method and fingerprint stay). */
  paramsChars: 1024,
  /** Verified session_ids per connection. */
  sessionIds: 8,
} as const;

/**
 * What decoding remembers between captures of one tab: each connection's outgoing
 * requests, so an error answered later names its method. Bounded.
 */
export class CaptureSession {
  private readonly trackers = new Map<string, RequestTracker>();
  /** Reads each outgoing request's parameters (masked) and fingerprint; salted per session. */
  readonly describeRequest: DescribeRequest;
  /** session_ids verified per connection: an unverifiable encrypted prefix is believed only under one. */
  private readonly sessionIds = new Map<string, Set<string>>();
  /** `salt`: at least 16 random bytes the caller draws (the background: once per worker start). */
  constructor(
    private readonly maxConnections = 64,
    salt: Uint8Array = new Uint8Array(16),
  ) {
    this.describeRequest = createRequestDescriber(salt);
  }

  sessionsFor(connection: string): Set<string> {
    let set = this.sessionIds.get(connection);
    if (!set) {
      if (this.sessionIds.size >= this.maxConnections) this.sessionIds.delete(this.sessionIds.keys().next().value!);
      this.sessionIds.set(connection, (set = new Set()));
    }
    return set;
  }

  /**
   * The request pairing (msg_id → method, masked parameters, fingerprint) and verified
   * session_ids of the most recent connections, within SAVED_SESSION_LIMITS. The salt is not in
   * it: the caller keeps that where secrets go (storage.session) and gives it to restore().
   */
  save(limits: { connections: number; requestsPerConnection: number; paramsChars: number; sessionIds: number } = SAVED_SESSION_LIMITS): SavedCaptureSession {
    const names = [...new Set([...this.sessionIds.keys(), ...this.trackers.keys()])];
    // Trackers are kept in recency order; connections with a tracker are the ones in use.
    const recent = [...this.trackers.keys()].slice(-limits.connections);
    const chosen = recent.length > 0 ? recent : names.slice(-limits.connections);
    return {
      v: 1,
      connections: chosen.map((connection) => ({
        connection,
        requests: this.trackers.get(connection)?.save({ maxEntries: limits.requestsPerConnection, maxParamsChars: limits.paramsChars }) ?? null,
        sessionIds: [...(this.sessionIds.get(connection) ?? [])].slice(-limits.sessionIds),
      })),
    };
  }

  /** A session continuing from save(), with the same salt (fingerprints then compare across the restart). Never throws. */
  static restore(saved: unknown, salt: Uint8Array, maxConnections = 64): CaptureSession {
    const session = new CaptureSession(maxConnections, salt);
    const s = saved as Partial<SavedCaptureSession> | null;
    if (s === null || typeof s !== 'object' || s.v !== 1 || !Array.isArray(s.connections)) return session;
    for (const c of s.connections) {
      if (c === null || typeof c !== 'object' || typeof c.connection !== 'string') continue;
      if (c.requests) {
        const restored = RequestTracker.restore(c.requests);
        const tracker = session.trackerFor(c.connection);
        for (const e of restored.save().entries) {
          const tracked = restored.lookup(e[0]);
          if (tracked) tracker.remember(e[0], tracked);
        }
      }
      if (Array.isArray(c.sessionIds)) {
        const ids = session.sessionsFor(c.connection);
        for (const id of c.sessionIds) if (typeof id === 'string') ids.add(id);
      }
    }
    return session;
  }

  trackerFor(connection: string): RequestTracker {
    let tracker = this.trackers.get(connection);
    if (tracker) {
      this.trackers.delete(connection);
    } else {
      tracker = new RequestTracker(1024);
      if (this.trackers.size >= this.maxConnections) this.trackers.delete(this.trackers.keys().next().value!);
    }
    this.trackers.set(connection, tracker);
    return tracker;
  }
}

/** Encrypted MTProto, read with the keys given for the capture's origin (null: none given). */
function decodeEncrypted(capture: HookCapture, session: CaptureSession, keys: KeyLookup | null): DecodedCapture {
  const connection = capture.conn ?? capture.url;
  const requests: RequestSeen[] = [];
  const answers: AnswerSeen[] = [];
  const context = {
    keys,
    tracker: session.trackerFor(connection),
    sessions: session.sessionsFor(connection),
    dc: dcFromClientHead(capture),
    describeRequest: session.describeRequest,
    toRecords: (findings: DecodeFindings, plaintext: Uint8Array, dc: number | null, tracker: RequestTracker) =>
      findingsToRecords(findings, plaintext, capture, dc, tracker, true),
    seeFindings: (findings: DecodeFindings, dc: number | null, authKeyId: string) => {
      requests.push(...requestsSeen(findings, session.trackerFor(connection), dc, capture.at, authKeyId));
      answers.push(...answersSeen(findings, capture.at));
    },
  };
  // HTTP transport: the encrypted request this body answers travels with it; read it first.
  const head = capture.requestHead ? fromHex(capture.requestHead) : null;
  if (head && head.length >= 24 && head.subarray(0, 8).some((b) => b !== 0)) {
    decodeEncryptedCapture({ ...capture, direction: 'out', encrypted: 'prefix', data: toBase64(head), requestHead: undefined }, context);
  }
  const decoded = decodeEncryptedCapture(capture, context);
  const out: DecodedCapture = { records: decoded.records, diagnostics: decoded.diagnostics, encrypted: decoded.outcome };
  if (requests.length > 0) out.requests = requests;
  if (answers.length > 0) out.answers = answers;
  return out;
}

export function decodeCapture(capture: HookCapture, session: CaptureSession = new CaptureSession(), keys: KeyLookup | null = null): DecodedCapture {
  try {
    if (capture.kind === 'binary' && capture.encrypted !== undefined) return decodeEncrypted(capture, session, keys);
    switch (capture.kind) {
      case 'text':
        return decodeJsonCapture(capture, 'text');
      case 'structured':
        return decodeJsonCapture(capture, 'structured');
      case 'binary':
        return decodeBinaryCapture(capture, session);
      case 'request':
        if (capture.closed === true) return { records: [], diagnostics: [], closed: true };
        if (capture.calls !== undefined) {
          const callNotes = readCallNotes(capture.calls, capture.at);
          return { records: [], diagnostics: callNotes.malformed > 0 ? [`call notes: ${callNotes.malformed} malformed lines`] : [], callNotes };
        }
        if (capture.answers !== undefined) return { records: [], diagnostics: [], answers: answersOfNote(capture.answers, capture.at) };
        return { records: [], diagnostics: [], requests: [requestSighted(capture)] };
    }
  } catch (error) {
    return { records: [], diagnostics: [`decoder failure: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
