// Decrypts one encrypted MTProto 2.0 message with a key the user supplied:
//   auth_key_id(8) | msg_key(16) | AES-256-IGE(salt session_id msg_id seq_no length body padding)
// The msg_key is verified (SHA-256 over part of the key and the whole
// plaintext, padding included) before anything is returned, and the declared
// length and the padding (12..1024 bytes) are checked, as the MTProto spec
// asks of a receiver. Failures come back as values, never thrown.

import type { AuthKey } from '../../keys/auth-key.ts';
import type { KeyLookup } from '../../keys/key-ring.ts';
import { int64ToDecimal } from '../tl/tl-reader.ts';
import { readInt32LE, toHex } from '../bytes.ts';
import { AesIgeDecryptor } from '../crypto/aes-ige.ts';
import { deriveAesKeyIv, msgKeyMatches, type KeyOffset } from '../crypto/message-key.ts';
import type { StreamDirection } from '../types.ts';

export type DecryptDirection = StreamDirection | 'unknown';

export type DecryptFailureReason =
  /** Shorter than auth_key_id + msg_key + one header's worth of data. */
  | 'too-short'
  /** auth_key_id 0: an unencrypted (key exchange) message, nothing to decrypt. */
  | 'not-encrypted'
  /** No key with this auth_key_id was supplied (another DC, a temporary or CDN key). */
  | 'unknown-key'
  /** Encrypted data is not a whole number of 16-byte blocks. */
  | 'bad-length'
  /** The SHA-256 check failed: wrong key, wrong direction, or damaged bytes. */
  | 'bad-msg-key'
  /** message_data_length does not fit the decrypted data. */
  | 'bad-declared-length'
  /** Padding outside MTProto 2.0's 12..1024 bytes. */
  | 'bad-padding';

export interface DecryptFailure {
  ok: false;
  reason: DecryptFailureReason;
  message: string;
  /** auth_key_id of the message (16 hex digits, wire order) when it had one. */
  keyId: string | null;
  /** The direction tried last, when a key was found. */
  direction: StreamDirection | null;
}

export interface DecryptedMessage {
  ok: true;
  direction: StreamDirection;
  keyId: string;
  dc: number | null;
  /** 32 hex digits, wire order. */
  msgKey: string;
  /** 16 hex digits of the wire bytes, like EnvelopeInfo.salt. */
  salt: string;
  sessionId: string;
  /** Decimal. */
  msgId: string;
  seqNo: number;
  /** message_data_length. */
  length: number;
  padding: number;
  /** Bytes dropped from the end before decrypting (padded intermediate transport's 0..15 random bytes). */
  trimmed: number;
  /** The whole decrypted data: header, body, padding. */
  plaintext: Uint8Array;
  /** plaintext[32, 32 + length): the message body, a view. */
  body: Uint8Array;
}

export type DecryptResult = DecryptedMessage | DecryptFailure;

export interface DecryptOptions {
  /** 'out' client -> server (x = 0), 'in' server -> client (x = 8); 'unknown' tries both. Default 'unknown'. */
  direction?: DecryptDirection;
  /** The message occupies frame[start, end). */
  start?: number;
  end?: number;
}

/** Header (32) + smallest body (4) + smallest padding (12), rounded up to blocks. */
const MIN_DATA = 48;
const HEADER = 32;

function fail(reason: DecryptFailureReason, message: string, keyId: string | null, direction: StreamDirection | null): DecryptFailure {
  return { ok: false, reason, message, keyId, direction };
}

const aesKey = new Uint8Array(32);
const aesIv = new Uint8Array(32);

export function offsetFor(direction: StreamDirection): KeyOffset {
  return direction === 'in' ? 8 : 0;
}

/** A decryptor positioned at the start of the message's encrypted data. */
export function messageDecryptor(key: AuthKey, frame: Uint8Array, start: number, direction: StreamDirection): AesIgeDecryptor {
  deriveAesKeyIv(key.bytes, frame.subarray(start + 8, start + 24), offsetFor(direction), aesKey, aesIv);
  return new AesIgeDecryptor(aesKey, aesIv);
}

/**
 * Padding a declared length implies, or null when the length is impossible. Used on a
 * two-block prefix to tell which direction's key decrypts a message.
 */
export function impliedPadding(declaredLength: number, dataLength: number): number | null {
  if (declaredLength < 0 || declaredLength % 4 !== 0 || HEADER + declaredLength > dataLength) return null;
  return dataLength - HEADER - declaredLength;
}

function decryptAs(key: AuthKey, frame: Uint8Array, start: number, dataLength: number, trimmed: number, direction: StreamDirection): DecryptResult {
  const plaintext = new Uint8Array(dataLength);
  messageDecryptor(key, frame, start, direction).decrypt(frame, start + 24, dataLength, plaintext, 0);
  if (!msgKeyMatches(key.bytes, offsetFor(direction), plaintext, 0, dataLength, frame, start + 8)) {
    return fail(
      'bad-msg-key',
      `msg_key check failed for key ${key.keyId} as ${direction === 'in' ? 'server -> client' : 'client -> server'}`,
      key.keyId,
      direction,
    );
  }
  const length = readInt32LE(plaintext, 28);
  const padding = impliedPadding(length, dataLength);
  if (padding === null) {
    return fail('bad-declared-length', `message_data_length ${length} does not fit ${dataLength - HEADER} bytes of data`, key.keyId, direction);
  }
  if (padding < 12 || padding > 1024) {
    return fail('bad-padding', `padding of ${padding} bytes is outside 12..1024`, key.keyId, direction);
  }
  return {
    ok: true,
    direction,
    keyId: key.keyId,
    dc: key.dc,
    msgKey: toHex(frame, start + 8, start + 24),
    salt: toHex(plaintext, 0, 8),
    sessionId: toHex(plaintext, 8, 16),
    msgId: int64ToDecimal(readInt32LE(plaintext, 16) >>> 0, readInt32LE(plaintext, 20)),
    seqNo: readInt32LE(plaintext, 24),
    length,
    padding,
    trimmed,
    plaintext,
    body: plaintext.subarray(HEADER, HEADER + length),
  };
}

const probe = new Uint8Array(32);

/** Whether the first two blocks decrypted as `direction` declare a length that fits with legal padding. */
function plausibleAs(key: AuthKey, frame: Uint8Array, start: number, dataLength: number, direction: StreamDirection): boolean {
  messageDecryptor(key, frame, start, direction).decrypt(frame, start + 24, 32, probe, 0);
  const padding = impliedPadding(readInt32LE(probe, 28), dataLength);
  return padding !== null && padding >= 12 && padding <= 1024;
}

/** Decrypts and verifies the encrypted message in frame[start, end) with the key its auth_key_id names. */
export function decryptMessage(frame: Uint8Array, keys: KeyLookup, opts: DecryptOptions = {}): DecryptResult {
  const start = opts.start ?? 0;
  const end = Math.min(opts.end ?? frame.length, frame.length);
  if (end - start < 24 + MIN_DATA) {
    return fail('too-short', `${end - start} bytes are too few for an encrypted message`, end - start >= 8 ? toHex(frame, start, start + 8) : null, null);
  }
  const keyId = toHex(frame, start, start + 8);
  if (keyId === '0000000000000000') return fail('not-encrypted', 'auth_key_id is 0: an unencrypted message', keyId, null);
  const key = keys.lookup(keyId);
  if (!key) return fail('unknown-key', `no key with auth_key_id ${keyId}`, keyId, null);
  let dataLength = end - start - 24;
  // Padded intermediate appends 0..15 random bytes after the message; IGE data is whole blocks.
  const trimmed = dataLength % 16;
  dataLength -= trimmed;
  if (dataLength < MIN_DATA) return fail('bad-length', `${dataLength} bytes of encrypted data are too few`, keyId, null);
  const direction = opts.direction ?? 'unknown';
  if (direction !== 'unknown') return decryptAs(key, frame, start, dataLength, trimmed, direction);
  // Two blocks per direction pick the likely one, so the full decryption usually runs once.
  const inFirst = plausibleAs(key, frame, start, dataLength, 'in') || !plausibleAs(key, frame, start, dataLength, 'out');
  const first = decryptAs(key, frame, start, dataLength, trimmed, inFirst ? 'in' : 'out');
  if (first.ok) return first;
  // A matching msg_key settles the direction: its length or padding failure is the answer.
  if (first.reason !== 'bad-msg-key') return first;
  const second = decryptAs(key, frame, start, dataLength, trimmed, inFirst ? 'out' : 'in');
  if (second.ok || second.reason !== 'bad-msg-key') return second;
  return fail('bad-msg-key', `msg_key check failed for key ${keyId} in both directions`, keyId, null);
}
