// The layer between a transport payload and a message body: transport error
// codes, unencrypted (auth_key_id 0) messages, encrypted messages (only their
// outer header is readable), and already-decrypted message plaintext.

import { readInt32LE } from '../bytes.ts';
import type { EnvelopeInfo } from '../types.ts';
import { TlReader } from './tl-reader.ts';

export type EnvelopeRead =
  | { kind: 'transport-error'; code: number }
  | { kind: 'unencrypted'; info: EnvelopeInfo; bodyStart: number; bodyEnd: number }
  | { kind: 'encrypted'; info: EnvelopeInfo }
  | { kind: 'invalid'; reason: string };

function info(kind: EnvelopeInfo['kind']): EnvelopeInfo {
  return { kind, authKeyId: null, msgKey: null, msgId: null, seqNo: null, salt: null, sessionId: null, length: null };
}

/** A lone 4-byte payload holding a negative int32 is a transport error (-404, -429, -444). */
export function transportErrorCode(bytes: Uint8Array, start = 0, end = bytes.length): number | null {
  if (end - start !== 4) return null;
  const v = readInt32LE(bytes, start);
  return v < 0 ? v : null;
}

/** Reads the envelope of one transport payload occupying bytes[start..end). */
export function readEnvelope(bytes: Uint8Array, start = 0, end = bytes.length): EnvelopeRead {
  const code = transportErrorCode(bytes, start, end);
  if (code !== null) return { kind: 'transport-error', code };
  const r = new TlReader(bytes, start, end);
  if (r.remaining < 8) return { kind: 'invalid', reason: `payload of ${r.remaining} bytes is too short for an MTProto message` };
  const authKeyId = r.rawHex(8, 'auth_key_id');
  if (authKeyId === '0000000000000000') {
    const e = info('unencrypted');
    e.authKeyId = authKeyId;
    e.msgId = r.longDecimal('message_id');
    e.length = r.int32('message_data_length');
    if (r.error !== null) return { kind: 'invalid', reason: `unencrypted message: ${r.error}` };
    if (e.length < 0 || e.length > r.remaining) {
      return { kind: 'invalid', reason: `unencrypted message: declared length ${e.length} but ${r.remaining} bytes follow` };
    }
    return { kind: 'unencrypted', info: e, bodyStart: r.pos, bodyEnd: r.pos + e.length };
  }
  const e = info('encrypted');
  e.authKeyId = authKeyId;
  e.msgKey = r.rawHex(16, 'msg_key');
  if (r.error !== null) return { kind: 'invalid', reason: `encrypted message: ${r.error}` };
  e.length = r.remaining;
  return { kind: 'encrypted', info: e };
}

export type DecryptedRead = { ok: true; info: EnvelopeInfo; bodyStart: number; bodyEnd: number; warning: string | null } | { ok: false; reason: string };

/** salt:long session_id:long message_id:long seq_no:int message_data_length:int message_data padding. */
export function readDecryptedMessage(bytes: Uint8Array, start = 0, end = bytes.length): DecryptedRead {
  const r = new TlReader(bytes, start, end);
  const e = info('decrypted');
  e.salt = r.rawHex(8, 'salt');
  e.sessionId = r.rawHex(8, 'session_id');
  e.msgId = r.longDecimal('message_id');
  e.seqNo = r.int32('seq_no');
  e.length = r.int32('message_data_length');
  if (r.error !== null) return { ok: false, reason: `decrypted message: ${r.error}` };
  if (e.length < 0 || e.length > r.remaining) {
    return { ok: false, reason: `decrypted message: declared length ${e.length} but ${r.remaining} bytes follow` };
  }
  const padding = r.remaining - e.length;
  // MTProto 2.0 pads with 12..1024 bytes; callers may also pass the body without padding.
  const warning = padding !== 0 && (padding < 12 || padding > 1024) ? `decrypted message: unusual padding of ${padding} bytes` : null;
  return { ok: true, info: e, bodyStart: r.pos, bodyEnd: r.pos + e.length, warning };
}
