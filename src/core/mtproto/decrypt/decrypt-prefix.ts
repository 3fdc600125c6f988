// Cheap look into an encrypted message: decrypt only its first blocks (IGE
// decrypts sequentially, so the rest is not needed) to read msg_id, seq_no,
// the declared length and the first constructor ids. Meant for a filter that
// decides, per frame, whether a message can carry an error (or names a
// request) and so is worth sending on; nothing is verified here, because the
// msg_key covers the whole plaintext. decryptMessage() verifies it later.

import type { KeyLookup } from '../../keys/key-ring.ts';
import type { AuthKey } from '../../keys/auth-key.ts';
import { readInt32LE, toHex } from '../bytes.ts';
import { ID } from '../tl/constructors.ts';
import { impliedPadding, messageDecryptor, type DecryptDirection, type DecryptFailure } from './decrypt.ts';
import type { AesIgeDecryptor } from '../crypto/aes-ige.ts';
import { int64ToDecimal } from '../tl/tl-reader.ts';
import type { StreamDirection } from '../types.ts';

export interface MessagePeek {
  ok: true;
  direction: StreamDirection;
  keyId: string;
  dc: number | null;
  msgId: string;
  seqNo: number;
  /** Declared message_data_length. */
  length: number;
  /**
   * Whether the declared length fits the message with 12..1024 bytes of padding. With a wrong
   * key or direction the length is random, so this is false all but about once in 2^21.
   */
  plausible: boolean;
  /** Unsigned constructor id of the body, null when the prefix ends before it. */
  bodyConstructor: number | null;
  /** rpc_result: the result's constructor; msg_container: the first message's; gzip_packed: null. */
  innerConstructor: number | null;
  /** The decrypted bytes read (header first). */
  prefix: Uint8Array;
}

export interface PeekOptions {
  direction?: DecryptDirection;
  /** 16-byte blocks to decrypt, at least 2 (the header). Default 4: the header, the body's constructor and the next ones. */
  blocks?: number;
  start?: number;
  end?: number;
}

const HEADER = 32;

function failure(reason: DecryptFailure['reason'], message: string, keyId: string | null): DecryptFailure {
  return { ok: false, reason, message, keyId, direction: null };
}

function u32(b: Uint8Array, at: number): number | null {
  return at + 4 <= b.length ? readInt32LE(b, at) >>> 0 : null;
}

function plausible(prefix: Uint8Array, dataLength: number): boolean {
  const padding = impliedPadding(readInt32LE(prefix, 28), dataLength);
  return padding !== null && padding >= 12 && padding <= 1024;
}

function headerAs(key: AuthKey, frame: Uint8Array, start: number, direction: StreamDirection, prefix: Uint8Array): AesIgeDecryptor {
  const d = messageDecryptor(key, frame, start, direction);
  d.decrypt(frame, start + 24, HEADER, prefix, 0);
  return d;
}

/** Decrypts the first blocks of the encrypted message in frame[start, end) without verifying it. */
export function peekMessage(frame: Uint8Array, keys: KeyLookup, opts: PeekOptions = {}): MessagePeek | DecryptFailure {
  const start = opts.start ?? 0;
  const end = Math.min(opts.end ?? frame.length, frame.length);
  if (end - start < 24 + 48) return failure('too-short', `${end - start} bytes are too few for an encrypted message`, null);
  const keyId = toHex(frame, start, start + 8);
  if (keyId === '0000000000000000') return failure('not-encrypted', 'auth_key_id is 0: an unencrypted message', keyId);
  const key = keys.lookup(keyId);
  if (!key) return failure('unknown-key', `no key with auth_key_id ${keyId}`, keyId);
  const dataLength = (end - start - 24) & ~15;
  const prefixLength = Math.min(dataLength, 16 * Math.max(2, opts.blocks ?? 4));
  const prefix = new Uint8Array(prefixLength);
  let direction: StreamDirection = opts.direction === 'out' ? 'out' : 'in';
  let d = headerAs(key, frame, start, direction, prefix);
  if (opts.direction !== 'in' && opts.direction !== 'out' && !plausible(prefix, dataLength)) {
    // 'in' first (errors travel that way); 'out' only when 'in' gives an impossible header.
    const otherHeader = new Uint8Array(HEADER);
    const other = headerAs(key, frame, start, 'out', otherHeader);
    if (plausible(otherHeader, dataLength)) {
      direction = 'out';
      prefix.set(otherHeader, 0);
      d = other;
    }
  }
  if (prefixLength > HEADER) d.decrypt(frame, start + 24 + HEADER, prefixLength - HEADER, prefix, HEADER);
  const body = u32(prefix, HEADER);
  let inner: number | null = null;
  if (body === ID.rpcResult) inner = u32(prefix, HEADER + 12);
  else if (body === ID.msgContainer) inner = u32(prefix, HEADER + 24);
  return {
    ok: true,
    direction,
    keyId,
    dc: key.dc,
    msgId: int64ToDecimal(readInt32LE(prefix, 16) >>> 0, readInt32LE(prefix, 20)),
    seqNo: readInt32LE(prefix, 24),
    length: readInt32LE(prefix, 28),
    plausible: plausible(prefix, dataLength),
    bodyConstructor: body,
    innerConstructor: inner,
    prefix,
  };
}

/** Incoming bodies that may hold an error somewhere inside. */
const MAY_HOLD_ERROR = new Set<number>([ID.msgContainer, ID.gzipPacked, ID.rpcError, ID.badMsgNotification, ID.badServerSalt, ID.msgCopy]);

export type PeekVerdict =
  /** Keep: an rpc_result holding an error or gzip, a container, a service error... */
  | 'error-possible'
  /** Keep: an outgoing message naming a request (pairing needs it). */
  | 'request'
  /** Drop: an answer that cannot be an error (a plain result, updates, pong, acks). */
  | 'no-error'
  /** Keep: the prefix did not decrypt to a plausible header (wrong key or direction): let the full check decide. */
  | 'undecided';

export function peekVerdict(peek: MessagePeek): PeekVerdict {
  if (!peek.plausible || peek.bodyConstructor === null) return 'undecided';
  const body = peek.bodyConstructor;
  if (peek.direction === 'out') return body === ID.msgsAck ? 'no-error' : 'request';
  if (body === ID.rpcResult) {
    const inner = peek.innerConstructor;
    return inner === null || inner === ID.rpcError || inner === ID.gzipPacked ? 'error-possible' : 'no-error';
  }
  return MAY_HOLD_ERROR.has(body) ? 'error-possible' : 'no-error';
}
