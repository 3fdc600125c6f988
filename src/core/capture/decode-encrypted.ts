// Encrypted MTProto captures, read with the keys the user gave for the page's origin. The
// hook triaged them in the page (src/core/mtproto/decrypt/encrypted-triage.ts); here a whole message
// is decrypted and its msg_key verified before anything in it is believed, then decoded
// like a plaintext one (rpc_result -> gzip_packed -> rpc_error, containers, service
// notices). A prefix (a request's first bytes, or an answer's header) cannot be verified:
// it is believed only when its session_id is one a verified message of the same
// connection carried, and it is used only to name requests and to see answers arrive.

import type { HookCapture } from './capture.ts';
import type { KeyLookup } from '../keys/key-ring.ts';
import { dcFromUrl } from './dc-from-url.ts';
import { methodNameById } from '../errors/method-names.ts';
import { fromBase64, readInt32LE, toHex } from '../mtproto/bytes.ts';
import { decryptAndDecode } from '../mtproto/decrypt/decrypt-decode.ts';
import { peekMessage } from '../mtproto/decrypt/decrypt-prefix.ts';
import { decodeMessageBody } from '../mtproto/tl/decode.ts';
import type { DescribeRequest, RequestTracker } from '../mtproto/tl/request-tracker.ts';
import { int64ToDecimal } from '../mtproto/tl/tl-reader.ts';
import type { NewRecord } from '../record.ts';
import type { DecodeFindings } from '../mtproto/types.ts';

/** What the tab's encrypted traffic taught, for the panel's counts. */
export interface EncryptedOutcome {
  decrypted: number;
  failed: number;
  unknownKeyId: string | null;
}

export interface DecodedEncrypted {
  records: NewRecord[];
  diagnostics: string[];
  outcome: EncryptedOutcome;
}

export interface EncryptedContext {
  keys: KeyLookup | null;
  tracker: RequestTracker;
  /** session_ids seen in verified messages of this connection (bounded by the caller). */
  sessions: Set<string>;
  dc: number | null;
  /** Records from decoded findings (decode-capture's, so plaintext and decrypted records agree). */
  toRecords(findings: DecodeFindings, plaintext: Uint8Array, dc: number | null, tracker: RequestTracker): NewRecord[];
  describeRequest: DescribeRequest;
  /** Told of every decoded message's findings (requests among them), with its DC and auth_key_id. */
  seeFindings?(findings: DecodeFindings, dc: number | null, authKeyId: string): void;
}

const none = (unknownKeyId: string | null = null): EncryptedOutcome => ({ decrypted: 0, failed: 0, unknownKeyId });
const MAX_SESSIONS = 16;

export function decodeEncryptedCapture(capture: HookCapture, context: EncryptedContext): DecodedEncrypted {
  const bytes = fromBase64(capture.data);
  if (!bytes || bytes.length < 8) return { records: [], diagnostics: ['encrypted capture is not base64 of a message'], outcome: none() };
  const keyId = toHex(bytes, 0, 8);
  if (capture.encrypted === 'unknown-key' || context.keys === null || context.keys.lookup(keyId) === null) {
    return { records: [], diagnostics: [], outcome: none(keyId) };
  }
  const dc = dcFromUrl(capture.url)?.dc ?? context.dc;
  if (capture.encrypted === 'whole') return decodeWhole(bytes, capture, context, dc);
  return decodePrefix(bytes, capture, context, dc, keyId);
}

function decodeWhole(bytes: Uint8Array, capture: HookCapture, context: EncryptedContext, dc: number | null): DecodedEncrypted {
  const { decrypted, findings } = decryptAndDecode(bytes, context.keys!, {
    direction: capture.direction,
    methodName: methodNameById,
    tracker: context.tracker,
    describeRequest: context.describeRequest,
  });
  if (!decrypted.ok) return { records: [], diagnostics: findings.diagnostics, outcome: { decrypted: 0, failed: 1, unknownKeyId: null } };
  if (context.sessions.size >= MAX_SESSIONS) context.sessions.clear();
  context.sessions.add(decrypted.sessionId);
  context.seeFindings?.(findings, decrypted.dc ?? dc, decrypted.keyId);
  const records = context.toRecords(findings, decrypted.plaintext, decrypted.dc ?? dc, context.tracker);
  return { records, diagnostics: findings.diagnostics, outcome: { decrypted: 1, failed: 0, unknownKeyId: null } };
}

/** A request's first bytes: its msg_id and method (and wrappers) go to the connection's tracker. */
function decodePrefix(bytes: Uint8Array, capture: HookCapture, context: EncryptedContext, dc: number | null, keyId: string): DecodedEncrypted {
  const blocks = Math.floor((bytes.length - 24) / 16);
  const peek = peekMessage(bytes, context.keys!, { direction: capture.direction, blocks });
  if (!peek.ok || !peek.plausible) return { records: [], diagnostics: [], outcome: none() };
  const sessionId = toHex(peek.prefix, 8, 16);
  // Unverifiable: trusted only under a session a verified message of this connection named.
  if (context.sessions.size > 0 && !context.sessions.has(sessionId))
    return { records: [], diagnostics: ['prefix under an unknown session_id (not used)'], outcome: none() };
  if (capture.direction === 'in') {
    // A container too large to forward whole: errors among its first messages, decoded from
    // this unverified prefix only under a session a verified message of the connection named.
    if (!context.sessions.has(sessionId)) return { records: [], diagnostics: ['answer prefix under an unverified session (not used)'], outcome: none() };
    const end = Math.min(peek.prefix.length, 32 + peek.length);
    const msgId = int64ToDecimal(readInt32LE(peek.prefix, 16) >>> 0, readInt32LE(peek.prefix, 20));
    const findings = decodeMessageBody(peek.prefix.subarray(32, end), { direction: 'in', msgId, methodName: methodNameById, tracker: context.tracker });
    const records = context.toRecords(findings, peek.prefix.subarray(32, end), peek.dc ?? dc, context.tracker);
    return { records, diagnostics: [...findings.diagnostics, 'a container too large to read in the page: only its first messages were read'], outcome: none() };
  }
  if (capture.direction === 'out') {
    const end = Math.min(peek.prefix.length, 32 + peek.length);
    const msgId = int64ToDecimal(readInt32LE(peek.prefix, 16) >>> 0, readInt32LE(peek.prefix, 20));
    const findings = decodeMessageBody(peek.prefix.subarray(32, end), {
      direction: 'out',
      msgId,
      methodName: methodNameById,
      tracker: context.tracker,
      describeRequest: context.describeRequest,
    });
    context.seeFindings?.(findings, dc, keyId);
  }
  return { records: [], diagnostics: [], outcome: none() };
}
