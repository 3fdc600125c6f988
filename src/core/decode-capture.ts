// Turns one validated capture into classified records. Pure (no extension API), so the
// whole decode path is unit-tested with the same captures the hook produces.

import type { HookCapture } from '../shared/messages.ts';
import type { Dialect, ErrorRecord, Evidence } from './record.ts';
import { classifyRpcError, type CaptureContext } from './classify.ts';
import { findErrors, findErrorsInText, type FoundError } from './dialects.ts';
import { botApiMethodFromUrl, dcFromUrl } from './dc-from-url.ts';
import { maskSecrets } from './mask-secrets.ts';
import { methodNameById } from './method-names.ts';
import { decodeMtprotoPayload } from './mtproto/decode.ts';
import { createStreamDecoder } from './mtproto/stream-decoder.ts';
import { detectTransport } from './mtproto/transports.ts';
import type { DecodeFindings, RpcErrorFound } from './mtproto/types.ts';
import { fromBase64, fromHex, toHex } from './mtproto/bytes.ts';

export type NewRecord = Omit<ErrorRecord, 'id'>;

export interface DecodedCapture {
  records: NewRecord[];
  diagnostics: string[];
}

/** Frame bytes kept as evidence, so the panel can show a hex dump around the error. */
const EVIDENCE_BYTES = 4096;

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
  const records = scan.errors.map((found) =>
    withoutId(
      classifyRpcError(
        { code: found.code, message: found.message, dialect: found.dialect as Dialect, retryAfter: found.retryAfter },
        { ...base, method: found.method ?? base.method, evidence: { kind: 'json', excerpt: found.excerpt } },
        0,
      ),
    ),
  );
  return { records, diagnostics: scan.diagnostics };
}

function structuredScan(data: string): { errors: FoundError[]; diagnostics: string[] } {
  try {
    const result = findErrors(JSON.parse(data));
    return { errors: result.errors, diagnostics: result.truncated ? ['structured message too large: scan truncated'] : [] };
  } catch {
    return { errors: [], diagnostics: ['structured message is not JSON'] };
  }
}

/** A window of at most EVIDENCE_BYTES around the error, with the error's bytes marked. */
function bytesEvidence(frame: Uint8Array, error: RpcErrorFound): Evidence {
  const start = Math.max(0, Math.min(error.byteOffset, frame.length));
  const from = Math.max(0, Math.min(start - 64, frame.length - EVIDENCE_BYTES));
  const to = Math.min(frame.length, from + EVIDENCE_BYTES);
  return {
    kind: 'bytes',
    hex: toHex(frame, from, to),
    markStart: start - from,
    markLength: Math.max(0, Math.min(error.byteLength, to - start)),
    path: error.path,
    truncated: from > 0 || to < frame.length,
  };
}

function findingsToRecords(findings: DecodeFindings, frameBytes: Uint8Array, capture: HookCapture): NewRecord[] {
  const base = contextOf(capture);
  const records: NewRecord[] = [];
  for (const error of findings.rpcErrors) {
    records.push(
      withoutId(
        classifyRpcError(
          { code: error.code, message: error.message, dialect: 'mtproto' },
          { ...base, method: error.method ?? base.method, evidence: bytesEvidence(frameBytes, error) },
          0,
        ),
      ),
    );
  }
  return records;
}

function decodeBinaryCapture(capture: HookCapture): DecodedCapture {
  const bytes = fromBase64(capture.data);
  if (!bytes) return { records: [], diagnostics: ['binary capture is not base64'] };
  // HTTP transport: one message per body, no framing.
  if (capture.channel !== 'websocket') {
    const findings = decodeMtprotoPayload(bytes, { direction: capture.direction, methodName: methodNameById });
    return { records: findingsToRecords(findings, bytes, capture), diagnostics: findings.diagnostics };
  }
  const head = capture.clientHead ? fromHex(capture.clientHead) : null;
  const detected = head ? detectTransport(head) : null;
  if (!detected || detected.kind !== 'plain') {
    return { records: [], diagnostics: ['websocket binary message: transport unknown or obfuscated (not decoded here)'] };
  }
  // The client's first message starts with the transport tag; later messages and all
  // server messages start at a frame boundary (web clients send one frame per message).
  const startsWithTag = capture.direction === 'out' && (capture.offset ?? 0) === 0;
  const decoder = createStreamDecoder({ methodName: methodNameById, transport: startsWithTag ? undefined : detected.transport });
  const result = decoder.push(capture.direction, bytes);
  const records: NewRecord[] = [];
  const diagnostics = [...result.diagnostics];
  for (const frame of result.frames) {
    records.push(...findingsToRecords(frame, frame.bytes ?? new Uint8Array(0), capture));
    diagnostics.push(...frame.diagnostics);
  }
  return { records, diagnostics };
}

export function decodeCapture(capture: HookCapture): DecodedCapture {
  try {
    switch (capture.kind) {
      case 'text':
        return decodeJsonCapture(capture, 'text');
      case 'structured':
        return decodeJsonCapture(capture, 'structured');
      case 'binary':
        return decodeBinaryCapture(capture);
    }
  } catch (error) {
    return { records: [], diagnostics: [`decoder failure: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
