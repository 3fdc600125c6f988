// MTProto 2.0 key derivation and msg_key (core.telegram.org/mtproto/description):
//   x = 0 for client->server messages, 8 for server->client
//   a = SHA256(msg_key + auth_key[x, x+36)),  b = SHA256(auth_key[40+x, 76+x) + msg_key)
//   aes_key = a[0,8) + b[8,24) + a[24,32),     aes_iv = b[0,8) + a[8,24) + b[24,32)
//   msg_key = SHA256(auth_key[88+x, 120+x) + plaintext incl. padding)[8,24)

import { Sha256, sha256Concat } from './sha256.ts';

/** 0: client -> server; 8: server -> client. */
export type KeyOffset = 0 | 8;

const a = new Uint8Array(32);
const b = new Uint8Array(32);

/** Fills aesKey (32 bytes) and aesIv (32 bytes) for msgKey = bytes[msgKeyAt, msgKeyAt+16). */
export function deriveAesKeyIv(authKey: Uint8Array, msgKey: Uint8Array, x: KeyOffset, aesKey: Uint8Array, aesIv: Uint8Array): void {
  if (authKey.length !== 256) throw new RangeError('auth_key must be 256 bytes');
  if (msgKey.length !== 16) throw new RangeError('msg_key must be 16 bytes');
  sha256Concat(msgKey, authKey, a, 0, x, x + 36);
  // b = SHA256(auth_key[40+x, 76+x) + msg_key): hashed part by part.
  hasher
    .update(authKey, 40 + x, 76 + x)
    .update(msgKey)
    .digestInto(b, 0);
  aesKey.set(a.subarray(0, 8), 0);
  aesKey.set(b.subarray(8, 24), 8);
  aesKey.set(a.subarray(24, 32), 24);
  aesIv.set(b.subarray(0, 8), 0);
  aesIv.set(a.subarray(8, 24), 8);
  aesIv.set(b.subarray(24, 32), 24);
}

const hasher = new Sha256();
const digest = new Uint8Array(32);

/** The msg_key of plaintext[start, end) (padding included), compared in constant shape with expected[at..at+16). */
export function msgKeyMatches(authKey: Uint8Array, x: KeyOffset, plaintext: Uint8Array, start: number, end: number, expected: Uint8Array, at: number): boolean {
  hasher
    .update(authKey, 88 + x, 120 + x)
    .update(plaintext, start, end)
    .digestInto(digest, 0);
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= digest[8 + i] ^ expected[at + i];
  return diff === 0;
}

/** msg_key for plaintext (used to build test and bench messages). */
export function computeMsgKey(authKey: Uint8Array, x: KeyOffset, plaintext: Uint8Array): Uint8Array {
  hasher
    .update(authKey, 88 + x, 120 + x)
    .update(plaintext)
    .digestInto(digest, 0);
  return digest.slice(8, 24);
}
