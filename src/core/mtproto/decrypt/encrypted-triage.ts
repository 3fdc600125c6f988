// Triage of encrypted MTProto messages where the traffic is seen (the page hook), so only
// what can matter crosses to the background: decrypting three AES-IGE blocks (the
// message header and the first constructor ids) tells an rpc_error, a service notice or a
// request from the bulk (updates, results, file parts), which then costs the page
// nothing more. The background decrypts what is forwarded in full and checks its msg_key;
// nothing decided here is trusted there (a wrong key only forwards garbage, which fails
// that check).
//
// Allocation-free per message: hasher, key schedules and blocks are made once, the key's two
// derivation slices per direction are cut once per key, and the three blocks are decrypted
// in place (IGE: p_i = D(c_i ^ p_{i-1}) ^ c_{i-1}, iv = c_0 | p_0).

import { decryptWords, expandDecryptKey256Into } from '../crypto/aes-inverse.ts';
import { Sha256 } from '../crypto/sha256.ts';
import { sha1 } from '../crypto/sha1.ts';
import { ID } from '../tl/constructors.ts';

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
  /** An answer's prefix: a container too large to forward whole (its first messages). */
  answerPrefix: 4096,
} as const;

// Service messages a client sends that never fail with an rpc_error (mtp-schema.json).
const MSGS_ACK = ID.msgsAck;
const PING = 0x7abe77ec;
const PING_DELAY_DISCONNECT = 0xf3427b8c;

interface TriageKey {
  /** auth_key_id as two little-endian 32-bit halves, compared without allocating. */
  lo: number;
  hi: number;
  /** auth_key[x, x+36) and auth_key[40+x, 76+x) for x = 8 (server to client) and x = 0. */
  inA: Uint8Array;
  inB: Uint8Array;
  outA: Uint8Array;
  outB: Uint8Array;
}

const u32 = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
/** A big-endian word as the little-endian int32 TL reads from the same four bytes. */
const swap = (v: number): number => ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);

const word = (b: Uint8Array, at: number): number => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];

export class EncryptedTriage {
  private keys: TriageKey[] = [];
  private readonly hasher = new Sha256();
  private readonly a = new Uint8Array(32);
  private readonly b = new Uint8Array(32);
  private readonly aesKey = new Uint8Array(32);
  private readonly encSchedule = new Int32Array(60);
  private readonly decSchedule = new Int32Array(60);
  private readonly block = new Int32Array(4);
  /** The decrypted words of the three blocks: salt, session_id, msg_id, seq_no, length, body[0..16). */
  private readonly plain = new Int32Array(12);
  /**
   * Set by the last `triage`: the message was an rpc_result answered without an error (skipped),
   * and `answerLo`/`answerHi` are its req_msg_id's low and high 32 bits. The call log's `ok`,
   * read from bytes already decrypted: no extra work beyond two word swaps.
   */
  answered = false;
  answerLo = 0;
  answerHi = 0;

  /** Replaces the keys (each 256 bytes; others are ignored). */
  setKeys(keys: readonly Uint8Array[]): void {
    const next: TriageKey[] = [];
    for (const key of keys) {
      if (key.length !== 256) continue;
      const id = sha1(key).subarray(12, 20);
      next.push({ lo: u32(id, 0), hi: u32(id, 4), inA: key.slice(8, 44), inB: key.slice(48, 84), outA: key.slice(0, 36), outB: key.slice(40, 76) });
    }
    this.keys = next;
  }

  get armed(): boolean {
    return this.keys.length > 0;
  }

  /** The key whose auth_key_id is head[at..at+8), or null. */
  private keyFor(head: Uint8Array, at: number): TriageKey | null {
    const lo = u32(head, at);
    const hi = u32(head, at + 4);
    for (const k of this.keys) if (k.lo === lo && k.hi === hi) return k;
    return null;
  }

  /**
   * head[at..at+available): the message's first bytes in plaintext (after any transport
   * obfuscation), `available` = min(TRIAGE_BYTES, payloadLength). Returns a TRIAGE_* value.
   */
  triage(incoming: boolean, head: Uint8Array, at: number, available: number, payloadLength: number): number {
    this.answered = false;
    const key = this.keyFor(head, at);
    if (key === null) return TRIAGE_UNKNOWN_KEY;
    if (available < TRIAGE_BYTES) return TRIAGE_SKIP;
    this.decryptHead(incoming ? key.inA : key.outA, incoming ? key.inB : key.outB, head, at);
    const plain = this.plain;
    const bodyLength = swap(plain[7]);
    // A length that does not fit the message means another key with a colliding id, or noise.
    if (bodyLength < 0 || bodyLength % 4 !== 0 || bodyLength + 32 > payloadLength - 24) return TRIAGE_SKIP;
    const ctor = swap(plain[8]) >>> 0;
    if (!incoming) return triageOutgoing(ctor);
    const verdict = triageIncoming(ctor, swap(plain[11]) >>> 0, payloadLength);
    if (verdict === TRIAGE_SKIP && ctor === ID.rpcResult) {
      this.answered = true;
      this.answerLo = swap(plain[9]) >>> 0;
      this.answerHi = swap(plain[10]) >>> 0;
    }
    return verdict;
  }

  /**
   * MTProto 2.0 key derivation (a = SHA256(msg_key + keyA), b = SHA256(keyB + msg_key);
   * aes_key = a[0,8) b[8,24) a[24,32), aes_iv = b[0,8) a[8,24) b[24,32)), then the first three
   * blocks of head[at+24..] decrypted into this.plain as big-endian words.
   */
  private decryptHead(keyA: Uint8Array, keyB: Uint8Array, head: Uint8Array, at: number): void {
    const { hasher, a, b, aesKey } = this;
    const msgKey = at + 8;
    hasher
      .update(head, msgKey, msgKey + 16)
      .update(keyA)
      .digestInto(a, 0);
    hasher
      .update(keyB)
      .update(head, msgKey, msgKey + 16)
      .digestInto(b, 0);
    for (let i = 0; i < 8; i++) {
      aesKey[i] = a[i];
      aesKey[24 + i] = a[24 + i];
    }
    for (let i = 8; i < 24; i++) aesKey[i] = b[i];
    const schedule = expandDecryptKey256Into(aesKey, this.encSchedule, this.decSchedule);
    // iv: c_0 = b[0,8) a[8,16); p_0 = a[16,24) b[24,32).
    let c0 = word(b, 0),
      c1 = word(b, 4),
      c2 = word(a, 8),
      c3 = word(a, 12);
    let p0 = word(a, 16),
      p1 = word(a, 20),
      p2 = word(b, 24),
      p3 = word(b, 28);
    const out = this.block;
    const plain = this.plain;
    for (let blk = 0; blk < 3; blk++) {
      const from = at + 24 + 16 * blk;
      const x0 = word(head, from),
        x1 = word(head, from + 4),
        x2 = word(head, from + 8),
        x3 = word(head, from + 12);
      decryptWords(schedule, x0 ^ p0, x1 ^ p1, x2 ^ p2, x3 ^ p3, out);
      p0 = out[0] ^ c0;
      p1 = out[1] ^ c1;
      p2 = out[2] ^ c2;
      p3 = out[3] ^ c3;
      c0 = x0;
      c1 = x1;
      c2 = x2;
      c3 = x3;
      plain[4 * blk] = p0;
      plain[4 * blk + 1] = p1;
      plain[4 * blk + 2] = p2;
      plain[4 * blk + 3] = p3;
    }
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
      // A result: the bulk of the traffic. Forwarding even its header would cost the page a
      // capture per answer (and the hook's capture budget); the handling audit judges from
      // the requests that follow an error, which are forwarded.
      return TRIAGE_SKIP;
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
