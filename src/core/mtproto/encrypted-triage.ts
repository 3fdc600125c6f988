// Triage of encrypted MTProto messages where the traffic is seen (the page hook), so only
// what can matter crosses to the background: decrypting three AES-IGE blocks (the
// message header and the first constructor ids) tells an rpc_error, a service notice or a
// request from the bulk (updates, results, file parts), which then costs the page
// nothing more. The background decrypts what is forwarded in full and checks its msg_key;
// nothing decided here is trusted there (a wrong key only forwards garbage, which fails
// that check).
//
// Allocation-free per message except the AES key schedule: buffers are made once.

import { AesIgeDecryptor } from './crypto/aes-ige.ts';
import { deriveAesKeyIv, type KeyOffset } from './crypto/message-key.ts';
import { sha1 } from './crypto/sha1.ts';
import { ID } from './constructors.ts';

/** auth_key_id (8) + msg_key (16) + three encrypted blocks: salt, session_id, msg_id, seq_no, length, 16 body bytes. */
export const TRIAGE_BYTES = 72;

export const TRIAGE_SKIP = 0;
/** Forward the whole message (it can carry an error). */
export const TRIAGE_WHOLE = 1;
/** Forward its first bytes (a request to name, or an answer that succeeded). */
export const TRIAGE_PREFIX = 2;
/** Its auth_key_id matches no key given for this page. */
export const TRIAGE_UNKNOWN_KEY = 3;

/**
 * Sizes chosen for what they must hold. An rpc_error answer, even gzip-packed or in a
 * container with acks, is a few hundred bytes; a container is read whole up to 64 KB
 * (beyond, it is forwarded as a prefix and the background says it could not be read).
 * A request's prefix holds its wrappers (invokeWithLayer, initConnection) and the
 * parameters of ordinary calls; file parts are cut.
 */
export const TRIAGE_LIMITS = {
  gzipWhole: 4096,
  containerWhole: 64 * 1024,
  requestPrefix: 4096,
  answerPrefix: TRIAGE_BYTES,
} as const;

// Service messages a client sends that never fail with an rpc_error (mtp-schema.json).
const MSGS_ACK = ID.msgsAck;
const PING = 0x7abe77ec;
const PING_DELAY_DISCONNECT = 0xf3427b8c;

interface TriageKey {
  /** auth_key_id as two little-endian 32-bit halves, compared without allocating. */
  lo: number;
  hi: number;
  key: Uint8Array;
}

const u32 = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

export class EncryptedTriage {
  private keys: TriageKey[] = [];
  private readonly msgKey = new Uint8Array(16);
  private readonly aesKey = new Uint8Array(32);
  private readonly aesIv = new Uint8Array(32);
  private readonly plain = new Uint8Array(48);

  /** Replaces the keys (each 256 bytes; others are ignored). */
  setKeys(keys: readonly Uint8Array[]): void {
    const next: TriageKey[] = [];
    for (const key of keys) {
      if (key.length !== 256) continue;
      const id = sha1(key).subarray(12, 20);
      next.push({ lo: u32(id, 0), hi: u32(id, 4), key: key.slice() });
    }
    this.keys = next;
  }

  get armed(): boolean {
    return this.keys.length > 0;
  }

  /** The key whose auth_key_id is head[at..at+8), or null. */
  private keyFor(head: Uint8Array, at: number): Uint8Array | null {
    const lo = u32(head, at);
    const hi = u32(head, at + 4);
    for (const k of this.keys) if (k.lo === lo && k.hi === hi) return k.key;
    return null;
  }

  /**
   * head[at..at+available): the message's first bytes in plaintext (after any transport
   * obfuscation), `available` = min(TRIAGE_BYTES, payloadLength). Returns a TRIAGE_* value.
   */
  triage(incoming: boolean, head: Uint8Array, at: number, available: number, payloadLength: number): number {
    const key = this.keyFor(head, at);
    if (key === null) return TRIAGE_UNKNOWN_KEY;
    if (available < TRIAGE_BYTES) return TRIAGE_SKIP;
    const msgKey = this.msgKey;
    for (let i = 0; i < 16; i++) msgKey[i] = head[at + 8 + i];
    const x: KeyOffset = incoming ? 8 : 0;
    deriveAesKeyIv(key, msgKey, x, this.aesKey, this.aesIv);
    const plain = this.plain;
    new AesIgeDecryptor(this.aesKey, this.aesIv).decrypt(head, at + 24, 48, plain, 0);
    const bodyLength = u32(plain, 28);
    // A length that does not fit the message means another key with a colliding id, or noise.
    if (bodyLength % 4 !== 0 || bodyLength + 32 > payloadLength - 24) return TRIAGE_SKIP;
    const ctor = u32(plain, 32);
    return incoming ? triageIncoming(ctor, u32(plain, 44), payloadLength) : triageOutgoing(ctor);
  }

  /** How many payload bytes a TRIAGE_PREFIX capture takes. */
  prefixLength(incoming: boolean, payloadLength: number): number {
    return Math.min(payloadLength, incoming ? TRIAGE_LIMITS.answerPrefix : TRIAGE_LIMITS.requestPrefix);
  }
}

function triageIncoming(ctor: number, inner: number, payloadLength: number): number {
  switch (ctor) {
    case ID.rpcResult:
      if (inner === ID.rpcError) return TRIAGE_WHOLE;
      if (inner === ID.gzipPacked && payloadLength <= TRIAGE_LIMITS.gzipWhole) return TRIAGE_WHOLE;
      // A result: its req_msg_id tells the background the request succeeded.
      return TRIAGE_PREFIX;
    case ID.msgContainer:
      return payloadLength <= TRIAGE_LIMITS.containerWhole ? TRIAGE_WHOLE : TRIAGE_PREFIX;
    case ID.gzipPacked:
      return payloadLength <= TRIAGE_LIMITS.gzipWhole ? TRIAGE_WHOLE : TRIAGE_SKIP;
    case ID.badServerSalt:
    case ID.badMsgNotification:
      return TRIAGE_WHOLE;
    default:
      return TRIAGE_SKIP;
  }
}

function triageOutgoing(ctor: number): number {
  return ctor === MSGS_ACK || ctor === PING || ctor === PING_DELAY_DISCONNECT ? TRIAGE_SKIP : TRIAGE_PREFIX;
}
