// Entry points for decoding one unit of MTProto traffic (an HTTP body, one
// transport payload, a decrypted message, a bare body). Never throw: anything
// unexpected, including a bug here, becomes a diagnostic.

import { transportErrorMeaning } from './constructors.ts';
import { DEFAULT_LIMITS, type DecodeContext, type DecodeLimits, type Location } from './context.ts';
import { readDecryptedMessage, readEnvelope } from './envelope.ts';
import { decodeMessageObject } from './objects.ts';
import type { DescribeRequest, RequestTracker } from './request-tracker.ts';
import { TlReader } from './tl-reader.ts';
import { emptyFindings, type DecodeFindings, type MethodNameLookup, type StreamDirection } from '../types.ts';

export { mayContainRpcError } from '../transport/prefilter.ts';

export interface DecodeOptions {
  direction: StreamDirection;
  /** Method constructor id (passed unsigned) -> name; used for outgoing requests. */
  methodName?: MethodNameLookup | null;
  /** Outgoing requests are remembered in it; incoming results are named from it. */
  tracker?: RequestTracker | null;
  /** Outgoing requests' parameters and fingerprints, remembered with them in the tracker. */
  describeRequest?: DescribeRequest | null;
  limits?: Partial<DecodeLimits>;
  /** Added to every byteOffset, e.g. the payload's offset within its transport frame. */
  baseOffset?: number;
}

export interface BodyDecodeOptions extends DecodeOptions {
  /** msg_id of the message the body came from, when the caller knows it (decimal). */
  msgId?: string | null;
}

function makeContext(opts: DecodeOptions, findings: DecodeFindings): DecodeContext {
  // Limits are only read, so the defaults are shared when the caller sets none.
  const limits = opts.limits ? { ...DEFAULT_LIMITS, ...opts.limits } : DEFAULT_LIMITS;
  return {
    direction: opts.direction === 'out' ? 'out' : 'in',
    methodName: opts.methodName ?? null,
    tracker: opts.tracker ?? null,
    describeRequest: opts.describeRequest ?? null,
    limits,
    findings,
    objectsLeft: limits.maxObjects,
  };
}

function guarded(fill: (findings: DecodeFindings) => void): DecodeFindings {
  const findings = emptyFindings();
  try {
    fill(findings);
  } catch (err) {
    findings.diagnostics.push(`internal decoder error: ${err instanceof Error ? err.message : String(err)}`);
  }
  return findings;
}

function decodeBodyRange(bytes: Uint8Array, start: number, end: number, ctx: DecodeContext, base: number, msgId: string | null): void {
  const loc: Location = { msgId, path: [], base, compressed: null, depth: 0 };
  decodeMessageObject(new TlReader(bytes, start, end), ctx, loc);
}

/**
 * One transport payload (or one HTTP transport body): a transport error code,
 * an unencrypted message (decoded), or an encrypted one (header only).
 */
export function decodeMtprotoPayload(bytes: Uint8Array, opts: DecodeOptions): DecodeFindings {
  return guarded((findings) => {
    const base = opts.baseOffset ?? 0;
    const env = readEnvelope(bytes);
    switch (env.kind) {
      case 'transport-error':
        findings.transportErrors.push({ code: env.code, meaning: transportErrorMeaning(env.code), byteOffset: base });
        return;
      case 'invalid':
        findings.diagnostics.push(env.reason);
        return;
      case 'encrypted':
        findings.envelope = env.info;
        return;
      case 'unencrypted':
        findings.envelope = env.info;
        decodeBodyRange(bytes, env.bodyStart, env.bodyEnd, makeContext(opts, findings), base, env.info.msgId);
        return;
    }
  });
}

/** A decrypted MTProto message: salt | session_id | msg_id | seq_no | length | body | padding. */
export function decodeDecryptedMessage(bytes: Uint8Array, opts: DecodeOptions): DecodeFindings {
  return guarded((findings) => {
    const msg = readDecryptedMessage(bytes);
    if (!msg.ok) {
      findings.diagnostics.push(msg.reason);
      return;
    }
    findings.envelope = msg.info;
    if (msg.warning) findings.diagnostics.push(msg.warning);
    decodeBodyRange(bytes, msg.bodyStart, msg.bodyEnd, makeContext(opts, findings), opts.baseOffset ?? 0, msg.info.msgId);
  });
}

/** A bare message body starting with its constructor id (rpc_result, msg_container, a method call...). */
export function decodeMessageBody(bytes: Uint8Array, opts: BodyDecodeOptions): DecodeFindings {
  return guarded((findings) => {
    findings.envelope = {
      kind: 'body',
      authKeyId: null,
      msgKey: null,
      msgId: opts.msgId ?? null,
      seqNo: null,
      salt: null,
      sessionId: null,
      length: bytes.length,
    };
    decodeBodyRange(bytes, 0, bytes.length, makeContext(opts, findings), opts.baseOffset ?? 0, opts.msgId ?? null);
  });
}
